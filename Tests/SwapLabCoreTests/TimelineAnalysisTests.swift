import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabAnalysis
@testable import SwapLabExplain
@testable import SwapLabModel

/// The one analysis every reader shares (issue 10): the decoder against real lines, and the cycles, episodes,
/// crossings and swap windows of the captured runs against numbers counted from the raw files with grep and awk
/// (the trace files merged and de-duplicated as `FixtureRun` does, `samples.csv` read column by column), not from
/// this code.
@Suite struct TimelineAnalysisTests {
    /// Decodes one `trace_pipe` line.
    static func decode(_ line: String) throws -> ReclaimEvent {
        var decoder = ReclaimEventDecoder()
        return decoder.decode(try #require(TraceLineParser.parse(line: line))).event
    }

    // MARK: Names and the decoder

    @Test func theNamesAreTheFixtureMachinesVmscanAndOomEvents() throws {
        let listed = try ["events_vmscan.txt", "events_oom.txt"].flatMap {
            try Fixtures.text("snapshots/baseline-lazy-zone/\($0)").split(whereSeparator: \.isNewline).map(String.init)
        }.filter { $0 != "enable" && $0 != "filter" }
        #expect(listed.count == 27)
        #expect(Set(TracepointName.linux618.map(\.rawValue)) == Set(listed))
        #expect(TracepointName.allCases.count == 28)  // and 5.15's mm_vmscan_writepage
    }

    @Test func realLinesDecodeToTheirFields() throws {
        #expect(
            try Self.decode("         kswapd0-45      [001] .....   737.524036: mm_vmscan_kswapd_wake: nid=0 order=0")
                == .kswapdWake(nid: 0, order: 0))
        #expect(
            try Self.decode("         kswapd0-45      [000] .....   739.200092: mm_vmscan_kswapd_sleep: nid=0")
                == .kswapdSleep(nid: 0))
        #expect(
            try Self.decode(
                "             hog-28824   [001] .....   737.520261: mm_vmscan_wakeup_kswapd: nid=0 order=0 "
                    + "gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP")
                == .wakeupKswapd(nid: 0, zid: nil, order: 0, gfpFlags: "GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP"))
        #expect(
            try Self.decode(
                "             hog-30656   [000] .....   784.615775: mm_vmscan_direct_reclaim_begin: order=0 "
                    + "gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP")
                == .directReclaimBegin(order: 0, gfpFlags: "GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP"))
        #expect(
            try Self.decode(
                "         kswapd0-45      [001] .....   737.524272: mm_vmscan_lru_shrink_inactive: nid=0 nr_scanned=17 "
                    + "nr_reclaimed=17 nr_dirty=0 nr_writeback=0 nr_congested=0 nr_immediate=0 nr_activate_anon=0 "
                    + "nr_activate_file=0 nr_ref_keep=0 nr_unmap_fail=0 priority=12 "
                    + "flags=RECLAIM_WB_FILE|RECLAIM_WB_ASYNC")
                == .lruShrinkInactive(reclaimed: 17, list: .file))
        #expect(
            try Self.decode(
                "         kswapd0-45      [001] .....   737.524851: mm_vmscan_write_folio: page=000000003e7ee790 "
                    + "pfn=0x3fcf8 flags=RECLAIM_WB_ANON|RECLAIM_WB_ASYNC")
                == .writeFolio(anon: true))
        // 4.19 printed zid; 6.12+ prints mark_victim's comm and anon-rss (reference/kernel.md §3.3).
        #expect(
            try Self.decode("  hog-7 [000] .... 1.000000: mm_vmscan_wakeup_kswapd: nid=0 zid=2 order=3 gfp_flags=none")
                == .wakeupKswapd(nid: 0, zid: 2, order: 3, gfpFlags: "none"))
        #expect(
            try Self.decode(
                "  oom_reaper-50 [000] ..... 800.000000: mark_victim: pid=28824 comm=hog total-vm=2097152kB "
                    + "anon-rss=1048576kB file-rss:0kB shmem-rss:0kB uid=0 pgtables=4112kB oom_score_adj=1000")
                == .markVictim(
                    pid: 28824, comm: "hog",
                    memory: VictimMemory(anonRSSkB: 1_048_576, fileRSSkB: 0, shmemRSSkB: 0, pgtableskB: 4112)))
        #expect(
            try Self.decode("  hog-7 [000] .... 1.000000: mark_victim: pid=99")
                == .markVictim(
                    pid: 99, comm: nil, memory: VictimMemory()))
        #expect(
            try Self.decode(
                "  x-1 [000] ..... 1.0: mm_vmscan_lru_isolate: classzone=2 order=0 nr_requested=32 nr_scanned=32 "
                    + "nr_skipped=0 nr_taken=32 lru=inactive_file") == .other)
    }

    @Test func aNodeBeyondAnyKernelMakesTheEventUnusedAndIsCounted() throws {
        var decoder = ReclaimEventDecoder()
        let line = "  kswapd0-45 [000] ..... 1.000000: mm_vmscan_kswapd_wake: nid=1024 order=0"
        #expect(decoder.decode(try #require(TraceLineParser.parse(line: line))).event == .other)
        #expect(decoder.outOfRangeValues == 1)
    }

    // MARK: Cycles and episodes of the captured runs

    /// (wake, sleep, passes) of each kswapd cycle, from the runs' merged traces with awk: a cycle starts at a
    /// `kswapd_wake` when none is open, later wakes are passes, and `kswapd_sleep` ends it.
    static let cyclesFromTheRawLines: [String: [(Double, Double, Int)]] = [
        "D1b-kswapd-swapout-clean": [(737.524036, 739.200092, 3), (741.908026, 745.652064, 5)],
        "D2a-direct-reclaim": [(781.720532, 781.827945, 1), (783.021083, 790.364029, 36)],
        "D4-noswap-file-thrash-hopeless": [(1139.031288, 1141.092047, 759)],
        "D6b-sawtooth-normal-swap": [(1402.487281, 1402.720046, 2), (1408.870774, 1409.208040, 1)],
    ]

    @Test(arguments: cyclesFromTheRawLines.keys.sorted())
    func kswapdCyclesAndPassesAreTheRawLines(run: String) throws {
        let analysis = TimelineAnalysis(try FixtureRun.timeline(run: run))
        let expected = try #require(Self.cyclesFromTheRawLines[run])
        #expect(analysis.cycles.count == expected.count)
        for (c, e) in zip(analysis.cycles, expected) {
            #expect(c.nid == 0)
            #expect(c.wake == e.0)
            #expect(c.sleep == e.1)
            #expect(c.passes.count == e.2)
            #expect(!c.isOpen)
        }
        // The explainer's streaming analyzer pairs them with the same code: the same cycles.
        let report = ReclaimExplainer.analyze(try FixtureRun.timeline(run: run))
        #expect(report.cycles.map(\.wake) == analysis.cycles.map(\.wake))
        #expect(report.cycles.map(\.sleep) == analysis.cycles.map(\.sleep))
        #expect(report.cycles.map(\.passes) == analysis.cycles.map(\.passes.count))
    }

    @Test func d2aHas576DirectEpisodesAllEnded() throws {
        let analysis = TimelineAnalysis(try FixtureRun.timeline(run: "D2a-direct-reclaim"))
        // awk over the merged trace: 576 begin/end pairs by pid, no begin left open, no end without a begin.
        #expect(analysis.directEpisodes.count == 576)
        #expect(analysis.directEpisodes.allSatisfy { $0.end != nil })
        #expect(analysis.unmatchedDirectBegins == 0 && analysis.unmatchedDirectEnds == 0)
        #expect(analysis.count(.directReclaimBegin) == 576 && analysis.count(.directReclaimEnd) == 576)
        // Σ and max of (end − begin), with awk: 2.030997 s and 0.073556 s (the hog at 784.7 s).
        let stalls = analysis.directEpisodes.compactMap(\.stall)
        #expect(abs(stalls.reduce(0, +) - 2.030997) < 1e-6)
        #expect(abs((stalls.max() ?? 0) - 0.073556) < 1e-9)
        #expect(analysis.wakeups == 2)
        #expect(analysis.oomKills.isEmpty)
        // The chart's lane is the same episodes, and explain counts the same number.
        let chart = try #require(
            ChartData(timeline: try FixtureRun.timeline(run: "D2a-direct-reclaim"), subject: .auto))
        #expect(chart.direct.count == 576)
        #expect(
            ReclaimExplainer.analyze(try FixtureRun.timeline(run: "D2a-direct-reclaim")).directReclaim.episodes == 576)
    }

    @Test func aCycleStillRunningAtTheEndIsOpenAndOneSeenOnlyByItsSleepHasNoWake() throws {
        let lines = [
            "  kswapd0-45 [000] ..... 1.000000: mm_vmscan_kswapd_sleep: nid=0",
            "  hog-7 [001] ..... 2.000000: mm_vmscan_wakeup_kswapd: nid=0 order=0 gfp_flags=GFP_HIGHUSER_MOVABLE",
            "  kswapd0-45 [000] ..... 2.000100: mm_vmscan_kswapd_wake: nid=0 order=0",
            "  hog-7 [001] ..... 2.000200: mm_vmscan_direct_reclaim_begin: order=0 gfp_flags=GFP_HIGHUSER_MOVABLE",
            "  kswapd0-45 [000] ..... 2.100000: mm_vmscan_kswapd_wake: nid=0 order=0",
        ]
        let events = try lines.map { try #require(TraceLineParser.parse(line: $0)) }
        let analysis = TimelineAnalysis(
            Timeline(machine: MachineDescription(engine: "replay", summary: ""), events: events))
        #expect(
            analysis.cycles == [
                KswapdCycleSpan(nid: 0, wake: nil, sleep: 1.0, passes: []),
                KswapdCycleSpan(nid: 0, wake: 2.0001, sleep: nil, passes: [2.0001, 2.1]),
            ])
        #expect(analysis.cycles.map(\.isOpen) == [false, true])
        #expect(analysis.directEpisodes == [DirectReclaimEpisode(pid: 7, comm: "hog", begin: 2.0002)])
        #expect(analysis.wakeups == 1)
    }

    // MARK: Crossings and swap windows from samples.csv

    /// Watermark crossings per zone, from each run's `samples.csv` with awk: each zone with managed pages, its band
    /// (free ≤ min, ≤ low, ≤ high, above) against the row's own marks, changed from the row before.
    @Test(arguments: [
        ("D6b-sawtooth-normal-swap", 8, 6, 2), ("D2a-direct-reclaim", 23, 17, 6),
        ("D1b-kswapd-swapout-clean", 10, 6, 4),
    ])
    func crossingsAreTheBandChangesInSamplesCSV(run: String, total: Int, normal: Int, dma32: Int) throws {
        let crossings = TimelineAnalysis(try FixtureRun.timeline(run: run, includeTrace: false)).crossings
        #expect(crossings.count == total)
        #expect(crossings.filter { $0.zone == .normal }.count == normal)
        #expect(crossings.filter { $0.zone == .dma32 }.count == dma32)
        // The explainer's report finds the same crossings.
        let report = ReclaimExplainer.analyze(try FixtureRun.timeline(run: run))
        #expect(report.crossings == crossings)
    }

    @Test func d6bCrossingsAreTheSawtooth() throws {
        let crossings = TimelineAnalysis(try FixtureRun.timeline(run: "D6b-sawtooth-normal-swap")).crossings
        // awk: 1391.685 Normal 3→2, 1392.886 Normal 2→1, 1402.485 DMA32 3→2, 1402.585 Normal 1→2,
        // 1402.685 Normal 2→3, 1403.185 Normal 3→2, 1408.985 DMA32 2→3, 1416.885 Normal 2→3.
        #expect(
            crossings.map(\.time) == [1391.685, 1392.886, 1402.485, 1402.585, 1402.685, 1403.185, 1408.985, 1416.885])
        #expect(crossings.map(\.zone) == [.normal, .normal, .dma32, .normal, .normal, .normal, .dma32, .normal])
        #expect(crossings.map(\.from.rawValue) == [3, 2, 3, 1, 2, 3, 2, 2])
        #expect(crossings.map(\.to.rawValue) == [2, 1, 2, 2, 3, 2, 3, 3])
        #expect(crossings.filter(\.fellBelowLow).map(\.time) == [1392.886])
        #expect(crossings.filter(\.roseAboveHigh).map(\.time) == [1402.685, 1408.985, 1416.885])
        #expect(crossings.filter(\.fellBelowMin).isEmpty)
    }

    @Test func d6bSwapOverQuarterSecondWindows() throws {
        let windows = TimelineAnalysis(try FixtureRun.timeline(run: "D6b-sawtooth-normal-swap")).swapRates(window: 0.25)
        // awk over samples.csv: 123 windows from 1390.585 s to 1421.185 s (the last 0.1 s long); pswpout rose by
        // 7166 pages in all, at most 5610 in the window from 1408.835 s; pswpin by 3601, at most 3343.
        #expect(windows.count == 123)
        #expect(windows.map(\.outPages).reduce(0, +) == 7166)
        #expect(windows.map(\.inPages).reduce(0, +) == 3601)
        let peak = try #require(windows.max { $0.outPages < $1.outPages })
        #expect(peak.outPages == 5610)
        #expect(abs(peak.start - 1408.835) < 1e-9)
        // Those pages were counted from the sample at 1408.785 s (the last before the window) to 1409.085 s:
        // `awk -F, '$1=="1408.785"||$1=="1409.085"{print $1,$36}' samples.csv` gives pswpout 2648641 → 2654251,
        // so the rate is over 0.3 s, not the window's 0.25 s.
        #expect(abs(peak.seconds - 0.3) < 1e-9)
        #expect(abs(peak.outRate - 5610 / 0.3) < 1e-6)
        #expect(windows.map(\.inPages).max() == 3343)
        #expect(abs((windows.last.map { $0.end - $0.start } ?? 0) - 0.1) < 1e-9)
        #expect(TimelineAnalysis(try FixtureRun.timeline(run: "D6b-sawtooth-normal-swap")).swapRates(window: 0).isEmpty)
    }
}
