import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabAnalysis
@testable import SwapLabModel

/// The fidelity measures read from the captured runs, against numbers counted from the raw files, not by this code:
/// cycles and passes from `trace_stats.json` (whole raw capture), counter changes and the lowest free with awk over
/// `samples.csv` from the last row before the first `hog` row to the last row:
///
///     awk -F, 'NR==1{for(i=1;i<=NF;i++)c[$i]=i;next} $2=="hog"&&!h{h=1;for(k in c)b[k]=p[k]}
///       {for(k in c)p[k]=$c[k]} h{f=$c["DMA_free"]+$c["DMA32_free"]+$c["Normal_free"];if(!m||f<m)m=f}
///       END{print p["pswpout"]-b["pswpout"], p["pgsteal_kswapd"]-b["pgsteal_kswapd"], m}' samples.csv
@Suite struct FidelityMeasuresTests {
    static func measures(_ run: String) throws -> FidelityMeasures {
        let timeline = try FixtureRun.timeline(run: run, trace: .best)
        return FidelityMeasures(timeline, from: try #require(timeline.markerTime("hog")))
    }

    @Test func d1bTwoCyclesEightPassesAndItsSwap() throws {
        let m = try Self.measures("D1b-kswapd-swapout-clean")
        #expect(m.cycles == 2)
        #expect(m.passes == 8)
        #expect(m.deltas["pswpout"] == 297_489)  // live-lab.md: "pswpout 297,489 pages in all"
        #expect(m.deltas["pswpin"] == 285_006)  // live-lab.md: "pswpin 285,006"
        #expect(m.deltas["pgsteal_kswapd"] == 510_815)
        #expect(m.deltas["allocstall"] == 0)
        #expect(m.lowestFree == 661_019)
        #expect(!m.direct && !m.gaveUp && m.woke)
        // live-lab.md: "kswapd_sleep at 739.200 when DMA32 ≥ high + reserve".
        #expect(m.balancedAtSleep.first == .dma32)
        #expect(m.oomKills == 0)
    }

    @Test func d2aDirectReclaim() throws {
        let m = try Self.measures("D2a-direct-reclaim")
        #expect(m.directEpisodes == 576)  // trace_stats.json: mm_vmscan_direct_reclaim_begin 576
        #expect(m.deltas["allocstall"] == 578)
        #expect(m.deltas["pswpout"] == 291_913)
        #expect(m.lowestFree == 350_163)
        #expect(m.lowestBand == .belowMin)
        #expect(m.direct)
    }

    @Test func d4GivesUpWithoutSwap() throws {
        let m = try Self.measures("D4-noswap-file-thrash-hopeless")
        #expect(m.passes == 759)  // trace_stats.json: mm_vmscan_kswapd_wake 759
        #expect(m.deltas["pswpout"] == 0)
        #expect(m.deltas["pgsteal_kswapd"] == 613_481)
        #expect(m.lowestFree == 661_092)
        #expect(m.fileShare == 1)
        // Its one sleep is kswapd giving up (node_unreclaimable 1): no zone was above high.
        #expect(m.gaveUp)
    }

    @Test func d6bSawTooth() throws {
        let m = try Self.measures("D6b-sawtooth-normal-swap")
        #expect(m.cycles == 2)
        #expect(m.passes == 3)
        #expect(m.deltas["pswpout"] == 7_166)
        #expect(m.deltas["pgsteal_kswapd"] == 199_435)
        #expect(m.lowestFree == 471_844)
        // The first sleep (1402.720): Normal 568,226 free in the nearest sample, above its high 552,801.
        #expect(m.balancedAtSleep.first == .normal)
    }

    /// The score counts a measure only when one side is non-zero; a zero against a non-zero misses; pages under
    /// 1 MiB count as zero.
    @Test func scoringRules() throws {
        let real = try Self.measures("D6b-sawtooth-normal-swap")
        var sim = real
        sim.deltas["pswpout"] = 7_166 * 2 + 1  // just outside 2×
        sim.deltas["pswpin"] = 100  // under 1 MiB: zero against 3,601 real
        let rows = FidelityMeasures.rows(real: real, simulated: sim)
        let byName = Dictionary(uniqueKeysWithValues: rows.map { ($0.name, $0) })
        #expect(byName["pswpout"]?.within == false)
        #expect(byName["pswpin"]?.within == false && byName["pswpin"]?.counts == true)
        #expect(byName["pgscan_direct"]?.counts == false)  // zero on both sides
        #expect(byName["pgsteal_kswapd"]?.within == true)
        #expect(FidelityMeasures.behaviours(real: real, simulated: real).allSatisfy { $0.matches })
    }
}
