import Foundation
import SwapLabAnalysis
import SwapLabExplain
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

    /// "Frees on take" explains a simulated free that dipped less deep, never one that dipped deeper: D2a's lowest
    /// free sat below min (its direct reclaim), D1b's between min and low.
    @Test func freesOnTakeOnlyWhereTheSimulatorDippedLess() throws {
        let d2a = try Self.measures("D2a-direct-reclaim")
        let d1b = try Self.measures("D1b-kswapd-swapout-clean")
        #expect(d2a.lowestBand == .belowMin && d1b.lowestBand == .minToLow)
        let less = LabCompare.lines(real: d2a, simulated: d1b, realLab: LabResult(), simLab: LabResult())
        #expect(less.contains { $0.hasPrefix("- kswapd frees on take: ") })
        let deeper = LabCompare.lines(real: d1b, simulated: d2a, realLab: LabResult(), simLab: LabResult())
        #expect(!deeper.contains { $0.hasPrefix("- kswapd frees on take: ") })
    }

    /// D4's kswapd gave up (no zone balanced at its sleeps) and D1b's did not. With D4 as the simulator's side, the
    /// refault cause says the simulator gave up sooner; with D4 as this machine's, its 759 passes against 8 make it
    /// "fewer passes". A side with no balanced zone is no zone placement.
    @Test func causesFollowWhichSideGaveUp() throws {
        let d4 = try Self.measures("D4-noswap-file-thrash-hopeless")
        let d1b = try Self.measures("D1b-kswapd-swapout-clean")
        #expect(d4.gaveUp && !d1b.gaveUp)
        let simGaveUp = LabCompare.lines(real: d1b, simulated: d4, realLab: LabResult(), simLab: LabResult())
        #expect(simGaveUp.contains { $0.contains("gave up sooner.") })
        #expect(!simGaveUp.contains { $0.hasPrefix("- zone placement") })
        let realGaveUp = LabCompare.lines(real: d4, simulated: d1b, realLab: LabResult(), simLab: LabResult())
        #expect(realGaveUp.contains { $0.contains("fewer kswapd passes.") })
        #expect(!realGaveUp.contains { $0.contains("gave up sooner") })
        #expect(!realGaveUp.contains { $0.hasPrefix("- zone placement") })
    }

    /// D6b's 7,166 pages swapped out against D1b's 297,489: when the two labs chose different hogs, that is named.
    @Test func aDifferentHogIsNamed() throws {
        var realLab = LabResult()
        realLab.hogMib = 1275
        var simLab = LabResult()
        simLab.hogMib = 2048
        let lines = LabCompare.lines(
            real: try Self.measures("D6b-sawtooth-normal-swap"),
            simulated: try Self.measures("D1b-kswapd-swapout-clean"),
            realLab: realLab, simLab: simLab)
        #expect(lines.contains { $0.hasPrefix("pswpout ") && $0.contains("7166 pages") && $0.hasSuffix("✗") })
        #expect(
            lines.contains {
                $0.hasPrefix("- the simulated lab sized its hog at 2048 MiB against 1275 MiB here")
                    && $0.contains("more")
            })
        simLab.hogMib = 1300
        let same = LabCompare.lines(
            real: try Self.measures("D6b-sawtooth-normal-swap"),
            simulated: try Self.measures("D1b-kswapd-swapout-clean"),
            realLab: realLab, simLab: simLab)
        #expect(!same.contains { $0.contains("sized its hog") })
    }
}

/// `chart` and `explain` after `lab run --compare`, with the comparison a live run would leave (D2a beside its
/// simulated mirror) and no live machine touched.
@Suite struct LabCompareShellTests {
    static func shell() throws -> Shell {
        let session = Session(
            output: Output(capturingWidth: 80), stateDirectory: FileManager.default.temporaryDirectory)
        let real = try FixtureRun.timeline(run: "D2a-direct-reclaim", trace: .best)
        let sim = try MirrorPlan(run: "D2a-direct-reclaim", timeline: real).simulate()
        session.engine = .live
        session.labTimeline = real
        _ = session.liveEngine()
        session.labComparison = RunComparison(
            real: real, realHogStart: try #require(real.markerTime("hog")), simulated: sim.timeline,
            simulatedHogStart: sim.hogStart)
        return Shell(session: session)
    }

    @Test func chartDrawsBothRunsFromTheHogsStart() throws {
        let sh = try Self.shell()
        #expect(sh.execute("chart"))
        let out = sh.session.output.takeCaptured()
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.filter { DisplayWidth.of($0) > 80 } == [])
        #expect(out.contains("t=0 at each run's hog start"))
        #expect(lines.contains { $0.contains("▆ real") && $0.contains("• simulator") })
        #expect(lines.contains { $0.hasPrefix("sim ") && $0.contains("▲") })
        let svg = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-cmp-\(getpid()).svg").path
        defer { try? FileManager.default.removeItem(atPath: svg) }
        #expect(sh.execute("chart --svg \(svg)"))
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.contains(">simulator</text>") && text.contains("stroke-dasharray=\"7 4\""))
        // With no comparison (a later lab clears it), chart draws this machine's run alone.
        sh.session.labComparison = nil
        #expect(sh.execute("chart"))
        #expect(!sh.session.output.takeCaptured().contains("simulator"))
    }

    @Test func explainSaysWhereTheyDifferInBothLanguages() throws {
        let sh = try Self.shell()
        #expect(sh.execute("explain --lang en"))
        // Paragraphs are wrapped at 80 columns: read them as one line each.
        func joined(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        let en = sh.session.output.takeCaptured()
        #expect(en.split(separator: "\n").allSatisfy { DisplayWidth.of(String($0)) <= 80 })
        #expect(joined(en).contains("Beside the simulator (the same lab, simulated from this machine as it was before"))
        #expect(joined(en).contains("pgscan_direct 67367 pages here against 17364 pages simulated."))
        #expect(joined(en).contains("- the simulator carries out a task's direct reclaims"))
        #expect(sh.execute("explain --lang ko"))
        let ko = sh.session.output.takeCaptured()
        #expect(joined(ko).contains("동작 8개 중 7개가 같습니다."))
        #expect(joined(ko).contains("- zone 배치가 다릅니다."))
        #expect(ko.split(separator: "\n").allSatisfy { DisplayWidth.of(String($0)) <= 80 })
    }
}
