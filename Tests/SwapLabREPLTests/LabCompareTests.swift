import Foundation
import SwapLabAnalysis
import SwapLabModel
import SwapLabTestSupport
import Testing

@testable import SwapLabREPL

/// The comparison `lab run --compare` prints, on real captured runs: a run against itself agrees on every line; a run
/// against another names the measures that differ and the causes known for them.
@Suite struct LabCompareTests {
    static func measures(_ run: String) throws -> FidelityMeasures {
        let timeline = try FixtureRun.timeline(run: run, trace: .best)
        return FidelityMeasures(timeline, from: try #require(timeline.markerTime("hog")))
    }

    @Test func aRunAgainstItselfAgreesEverywhere() throws {
        let m = try Self.measures("D1b-kswapd-swapout-clean")
        let lines = LabCompare.lines(real: m, simulated: m, realLab: LabResult(), simLab: LabResult())
        #expect(lines.contains("12 of 12 measures within 2×, 8 of 8 behaviours alike."))
        #expect(!lines.contains { $0.hasSuffix("✗") })
        #expect(!lines.contains("Where they differ, and why:"))
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 80 })
        // D1b's pswpout, 297,489 pages (live-lab.md), in both columns, ratio 1.
        #expect(lines.contains { $0.hasPrefix("pswpout ") && $0.contains("297489 pages") && $0.contains("1.00×") })
    }

    @Test func directReclaimAgainstNoneNamesTheCause() throws {
        let real = try Self.measures("D2a-direct-reclaim")
        let sim = try Self.measures("D1b-kswapd-swapout-clean")
        var realLab = LabResult()
        realLab.balloonPages = 10_442
        var simLab = LabResult()
        simLab.balloonPages = 9_824
        let lines = LabCompare.lines(real: real, simulated: sim, realLab: realLab, simLab: simLab)
        // D2a's 576 episodes against D1b's none: a miss, and the direct-reclaim batching is named.
        #expect(lines.contains { $0.hasPrefix("direct episodes") && $0.contains("576") && $0.hasSuffix("✗") })
        #expect(lines.contains { $0.hasPrefix("direct reclaim") && $0.contains("yes") && $0.hasSuffix("✗") })
        #expect(lines.contains { $0.contains("SWAP_CLUSTER_MAX") })
        #expect(lines.contains { $0.contains("9824 huge pages against 10442") })
    }
}
