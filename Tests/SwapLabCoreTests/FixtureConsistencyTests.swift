import Foundation
import SwapLabAnalysis
import SwapLabExplain
import SwapLabModel
import SwapLabTestSupport
import Testing

/// Issue 11, Proof 2: the checks of the property test on every real run of `linux-6.18-vm`, whose samples carry the
/// counters. The expected numbers come from the raw files, not from the code under test, in `runs/<run>/`:
///
/// - the whole run, from the vmstat captures around it:
///   `for c in pgsteal_kswapd pgsteal_direct pswpout; do awk -v c=$c '$1==c{print $2}' snap-before/vmstat.txt
///   snap-after/vmstat.txt; done` (after − before), the same as the first and last rows of `samples.csv`
///   (`awk -F, 'NR==2{a=$29;b=$31;c=$36} END{print $29-a, $31-b, $36-c}' samples.csv`);
/// - each cycle, from the sample at or before its first `mm_vmscan_wakeup_kswapd` to the first at or after its
///   `mm_vmscan_kswapd_sleep`: `awk -F, -v a=WAKEUP -v b=SLEEP 'NR>1{if($1<=a){k=$29;o=$36}
///   if($1>=b&&B==""){B=1;print $29-k,$36-o}}' samples.csv`, the times from `grep -E
///   'wakeup_kswapd|kswapd_sleep' trace_pipe.milestones.txt`;
/// - the lanes, from the trace lines (the milestones file holds every wake, sleep, wake-up and direct-reclaim line of
///   the raw capture; `trace_stats.json` counts the same): `grep -c mm_vmscan_kswapd_wake: …`, `…kswapd_sleep:`,
///   `…wakeup_kswapd:`, `…direct_reclaim_end:`, `mark_victim`.
@Suite struct FixtureConsistencyTests {
    struct Expected: Sendable, CustomStringConvertible {
        var run: String
        /// pgsteal_kswapd, pgsteal_direct and pswpout over the whole run.
        var kswapd: Int64, direct: Int64, pswpout: Int64
        /// pgsteal_kswapd and pswpout of each cycle.
        var cycleKswapd: [Int64], cyclePswpout: [Int64]
        /// kswapd_wake lines (passes), kswapd_sleep lines, wakeup_kswapd lines, direct-reclaim ends, OOM victims.
        var passes: Int, sleeps: Int, wakeups: Int, episodes: Int, kills: Int
        var description: String { run }
    }

    static let runs: [Expected] = [
        Expected(
            run: "D0-course-recipe-default-settings", kswapd: 0, direct: 0, pswpout: 0, cycleKswapd: [],
            cyclePswpout: [], passes: 0, sleeps: 0, wakeups: 0, episodes: 0, kills: 0),
        // Cycles 737.520261 → 739.200092 (samples 737.446, 739.246) and 741.907956 → 745.652064 (741.846, 745.746).
        Expected(
            run: "D1b-kswapd-swapout-clean", kswapd: 510_815, direct: 0, pswpout: 297_489,
            cycleKswapd: [227_953, 282_862], cyclePswpout: [89_758, 207_731], passes: 8, sleeps: 2, wakeups: 2,
            episodes: 0, kills: 0),
        // Cycles 781.720356 → 781.827945 (781.697, 781.897) and 783.021002 → 790.364029 (782.997, 790.397).
        Expected(
            run: "D2a-direct-reclaim", kswapd: 481_743, direct: 21_506, pswpout: 291_913, cycleKswapd: [126, 481_617],
            cyclePswpout: [0, 291_913], passes: 37, sleeps: 2, wakeups: 2, episodes: 576, kills: 0),
        // One cycle 1139.031217 → 1141.092047 (1139.008, 1141.106).
        Expected(
            run: "D4-noswap-file-thrash-hopeless", kswapd: 613_481, direct: 0, pswpout: 0, cycleKswapd: [613_481],
            cyclePswpout: [0], passes: 759, sleeps: 1, wakeups: 1, episodes: 0, kills: 0),
        // Cycles 1402.487247 → 1402.720046 (1402.485, 1402.785) and 1408.870728 → 1409.20804 (1408.785, 1409.285).
        Expected(
            run: "D6b-sawtooth-normal-swap", kswapd: 199_435, direct: 0, pswpout: 7_166,
            cycleKswapd: [140_293, 59_142], cyclePswpout: [5, 7_161], passes: 3, sleeps: 2, wakeups: 2, episodes: 0,
            kills: 0),
    ]

    @Test func everyRealRunIsCovered() {
        #expect(Set(Self.runs.map(\.run)) == Set(Fixtures.runs))
    }

    @Test(arguments: runs)
    func explainAndTheChartAgreeWithTheCountersOfARealRun(_ x: Expected) throws {
        let timeline = try FixtureRun.timeline(run: x.run)
        let r = ReclaimExplainer.analyze(timeline)
        let d = r.counterDeltas
        #expect([d["pgsteal_kswapd"], d["pgsteal_direct"], d["pswpout"]] == [x.kswapd, x.direct, x.pswpout])
        #expect(r.cycles.map { $0.counterDeltas["pgsteal_kswapd"] ?? -1 } == x.cycleKswapd)
        #expect(r.cycles.map { $0.counterDeltas["pswpout"] ?? -1 } == x.cyclePswpout)
        // The properties themselves: the cycles add up to the run, kswapd + direct is the total, the lanes count
        // what explain counts.
        #expect(x.cycleKswapd.reduce(0, +) == x.kswapd)
        #expect(x.cyclePswpout.reduce(0, +) == x.pswpout)
        #expect(ConsistencyCheck.reclaimSums(r, allLines: false).isEmpty)
        #expect(ConsistencyCheck.lanes(timeline, r).isEmpty)
        let chart = try #require(ChartData(timeline: timeline, subject: .node(0)))
        #expect(chart.kswapdPasses == x.passes)
        #expect(chart.kswapd.filter { $0.end != nil }.count == x.sleeps)
        #expect(chart.direct.filter { $0.end != nil }.count == x.episodes)
        #expect(r.wakeupCount == x.wakeups)
        #expect(r.oomKills.count == x.kills)
        // What the narrative says of each cycle is those numbers.
        let text = ReclaimNarrative.text(r, lang: .en)
        /// `297489` as `297,489`.
        func grouped(_ v: Int64) -> String {
            let f = NumberFormatter()
            f.numberStyle = .decimal
            f.locale = Locale(identifier: "en_US_POSIX")
            f.groupingSeparator = ","
            f.usesGroupingSeparator = true
            return f.string(from: NSNumber(value: v)) ?? "\(v)"
        }
        for (steal, out) in zip(x.cycleKswapd, x.cyclePswpout) {
            #expect(text.contains("kswapd itself reclaimed \(grouped(steal)) pages (pgsteal_kswapd)"))
            if out > 0 { #expect(text.contains("\(grouped(out)) pages (")) }
        }
    }
}
