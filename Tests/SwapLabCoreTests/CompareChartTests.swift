import Foundation
import SwapLabAnalysis
import SwapLabExplain
import SwapLabModel
import SwapLabTestSupport
import Testing

/// `lab run --compare`'s chart and explanation without the live machine: a real run of the 6.18 VM beside its
/// simulated mirror (`MirrorPlan`, as the fidelity benchmark builds it), on one clock from each run's hog start.
@Suite struct CompareChartTests {
    static let run = "D1b-kswapd-swapout-clean"

    /// The real run, its mirror, and the pair.
    static func pair(
        _ run: String = run
    ) throws -> (
        real: Timeline, sim: Timeline, simHogStart: Double, comparison: RunComparison
    ) {
        let real = try FixtureRun.timeline(run: run, trace: .best)
        let sim = try MirrorPlan(run: run, timeline: real).simulate()
        let comparison = RunComparison(
            real: real, realHogStart: try #require(real.markerTime("hog")), simulated: sim.timeline,
            simulatedHogStart: sim.hogStart)
        return (real, sim.timeline, sim.hogStart, comparison)
    }

    /// Rows of `samples.csv` as (t, phase, Normal_free), read here with no code of the chart's.
    static func csvNormalFree() throws -> [(t: Double, phase: String, free: Double)] {
        let url = FixtureRun.directory(run).appendingPathComponent("samples.csv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline)
        let header = lines[0].split(separator: ",").map(String.init)
        let t = try #require(header.firstIndex(of: "t"))
        let phase = try #require(header.firstIndex(of: "phase"))
        let free = try #require(header.firstIndex(of: "Normal_free"))
        return lines.dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            return (Double(f[t])!, String(f[phase]), Double(f[free])!)
        }
    }

    @Test func theRealLineIsSamplesCsvFromTheHogsStart() throws {
        let (_, _, _, c) = try Self.pair()
        let d = try #require(
            ChartData(
                timeline: c.real, subject: .zone(.normal, node: 0), timeRange: c.timeRange, overlay: c.simulated))
        let rows = try Self.csvNormalFree()
        let hog = try #require(rows.firstIndex { $0.phase == "hog" })
        let t0 = rows[hog].t
        #expect(d.start == 0)
        // The hog's first sample at 0, then every sample after it, in seconds from it.
        for k in [hog, hog + 1, hog + 10, hog + 40, rows.count - 1] {
            let want = rows[k]
            let got = try #require(d.points.first { abs($0.time - (want.t - t0)) < 1e-9 }, "no point at row \(k)")
            #expect(got.free == want.free, "row \(k)")
        }
        #expect(d.points.count == rows.count - hog)
        // D1b's hog started at 735.246 s with 554,080 Normal pages free (row 33 of samples.csv).
        #expect(t0 == 735.246)
        #expect(d.points[0].free == 554_080)
    }

    @Test func theSimulatedLineIsTheMirrorsSamplesFromItsHogStart() throws {
        let (_, sim, simHogStart, c) = try Self.pair()
        let d = try #require(
            ChartData(
                timeline: c.real, subject: .zone(.normal, node: 0), timeRange: c.timeRange, overlay: c.simulated))
        let o = try #require(d.overlay)
        let samples = sim.samples.filter { $0.time >= simHogStart && $0.time - simHogStart <= d.end }
        #expect(o.points.count == samples.count)
        for s in [samples[0], samples[samples.count / 3], samples[samples.count - 1]] {
            let got = try #require(o.points.first { abs($0.time - (s.time - simHogStart)) < 1e-9 })
            #expect(got.free == Double(try #require(s.zone(.normal)).free.count))
        }
        // The mirror starts from snap-before's zoneinfo: Normal's free there, before the balloon took its part.
        #expect(o.points[0].time == 0)
        #expect(o.kswapd.count == sim.events.filter { $0.name == "mm_vmscan_kswapd_sleep" }.count)
    }

    static func render(
        _ c: RunComparison, lang: NarrativeLanguage = .en, glyphs: ChartOptions.Glyphs = .block
    )
        -> String
    {
        var o = ChartOptions(width: 80, height: 16)
        o.glyphs = glyphs
        o.lang = lang
        o.overlay = c.simulated
        o.timeRange = c.timeRange
        if let (resolved, reason) = ChartData.choose(.auto, in: c.real) {
            o.subject = resolved
            o.reason = reason
            o.pageRange = ChartData.pageRange(
                of: ChartData.points(of: resolved, in: c.real) + ChartData.points(of: resolved, in: c.simulated))
        }
        return TerminalChart.render(c.real, options: o)
    }

    @Test func theTerminalChartDrawsBothLinesIn80Columns() throws {
        let (_, _, _, c) = try Self.pair()
        for (lang, glyphs) in [(NarrativeLanguage.en, ChartOptions.Glyphs.block), (.ko, .block), (.en, .ascii)] {
            let text = Self.render(c, lang: lang, glyphs: glyphs)
            let lines = text.split(separator: "\n").map(String.init)
            #expect(lines.filter { DisplayWidth.of($0) > 80 } == [], "\(lang) \(glyphs)")
            let dot = glyphs == .ascii ? "o" : "•"
            let curve = glyphs == .ascii ? "*" : "▆"
            let (real, sim) = lang == .ko ? ("실제", "시뮬레이터") : ("real", "simulator")
            #expect(lines.contains { $0.contains("\(curve) \(real)") && $0.contains("\(dot) \(sim)") }, "legend")
            // The plot holds the simulator's dots; the sim lane its kswapd cycles (▲ … ▼ or ^ … v).
            let plot = lines.filter { $0.contains(glyphs == .ascii ? "|" : "│") || $0.contains("┤") }
            #expect(plot.contains { $0.contains(dot) })
            let lane = try #require(lines.first { $0.hasPrefix(lang == .ko && glyphs != .ascii ? "시뮬" : "sim ") })
            #expect(lane.contains(glyphs == .ascii ? "^" : "▲"))
            #expect(text.contains(lang == .ko && glyphs != .ascii ? "hog가 시작한 때" : "each run's hog start"))
        }
        try ChartSnapshot.check(Self.render(c), named: "compare-D1b.txt")
    }

    @Test func theSVGDrawsBothLines() throws {
        let (_, _, _, c) = try Self.pair()
        var o = ChartOptions(width: 80, height: 16)
        o.overlay = c.simulated
        o.timeRange = c.timeRange
        let svg = try #require(SVGChart.render(c.real, options: o))
        #expect(svg.components(separatedBy: "<polyline").count - 1 >= 2)
        #expect(svg.contains(">real</text>") && svg.contains(">simulator</text>"))
        #expect(svg.contains(">kswapd (simulator)</text>"))
        try ChartSnapshot.check(svg, named: "compare-D1b.svg")
    }
}

extension CompareChartTests {
    /// D2a against its mirror: the 36 real balance passes and 67,367 pages scanned by direct reclaim (the
    /// hog's and other tasks') off by more than 2×, each with the cause `sim about` documents; no measure is left
    /// without one.
    @Test func explainNamesWhereTheyDifferAndWhy() throws {
        let (_, _, _, c) = try Self.pair("D2a-direct-reclaim")
        let en = CompareNarrative.paragraphs(c, lang: .en)
        #expect(
            en[0]
                == "Beside the simulator (the same lab, simulated from this machine as it was before the run): 14 of "
                + "16 measures within 2×, 7 of 8 behaviours alike.")
        #expect(
            en[1]
                == "Off by more than 2×: balance passes 36 here against 6 simulated; pgscan_direct 67367 pages here "
                + "against 17364 pages simulated.")
        #expect(en[2] == "Behaviours that differ: balanced zone: Normal here, DMA32 simulated.")
        #expect(en[3] == "Why, where the cause is known (`sim about`):")
        #expect(en[4].hasPrefix("- no refaults: ") && en[4].hasSuffix("the simulator makes fewer kswapd passes."))
        #expect(
            en[5].hasPrefix("- the simulator carries out a task's direct reclaims")
                && en[5].contains("SWAP_CLUSTER_MAX"))
        #expect(en[6].hasPrefix("- zone placement: ") && en[6].hasSuffix("balanced when kswapd slept."))
        #expect(en.count == 7)
        let ko = CompareNarrative.paragraphs(c, lang: .ko)
        #expect(ko.count == 7)
        #expect(ko[0].hasSuffix("측정값 16개 중 14개가 2배 안에 들고, 동작 8개 중 7개가 같습니다."))
        #expect(ko[1].contains("balance pass 횟수 이 컴퓨터 36, 시뮬레이터 6; "))
        #expect(ko[1].contains("pgscan_direct 이 컴퓨터 67367페이지, 시뮬레이터 17364페이지"))
        #expect(ko[2] == "다르게 나온 동작: 잠들 때 균형 잡힌 zone: 이 컴퓨터 Normal, 시뮬레이터 DMA32.")
        #expect(ko[4].hasPrefix("- refault가 없습니다."))
        #expect(ko[5].contains("32페이지(SWAP_CLUSTER_MAX)"))
        #expect(ko[6].hasPrefix("- zone 배치가 다릅니다."))
    }

    /// D4 has no swap: kswapd's 759 real passes against the simulator's few are told by the missing refaults, not
    /// by swap-out timing; D1b's one miss (kswapd's file share) by the scan balance.
    @Test func aCauseIsGivenOnlyWhereItApplies() throws {
        let d4 = CompareNarrative.paragraphs(try Self.pair("D4-noswap-file-thrash-hopeless").comparison, lang: .en)
        #expect(d4[1].hasPrefix("Off by more than 2×: balance passes 759 here against "))
        #expect(d4.filter { $0.hasPrefix("- ") }.count == 1)
        #expect(d4.contains { $0.hasPrefix("- no refaults: ") })
        #expect(!d4.contains { $0.hasPrefix("No cause") })
        let d1b = CompareNarrative.paragraphs(try Self.pair().comparison, lang: .en)
        #expect(d1b[1] == "Off by more than 2×: kswapd file share 43.46 % here against 0 % simulated.")
        #expect(d1b.last?.hasPrefix("- the simulator's scan balance sees no workingset activations") == true)
        #expect(d1b.last?.contains("prepare_scan_control()") == true)
    }
}
