import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabExplain
@testable import SwapLabModel

/// The terminal and SVG charts against real fixture runs and small built timelines.
@Suite struct ChartTests {
    @Test(arguments: ["D6b", "D1b"], [ChartOptions.Glyphs.ascii, .block, .braille])
    func fixtureChartMatchesSnapshot(run: String, glyphs: ChartOptions.Glyphs) throws {
        let timeline = try FixtureRun.timeline(run: run, includeTrace: true)
        let text = TerminalChart.render(timeline, options: ChartOptions(glyphs: glyphs, width: 96, height: 16))
        if ProcessInfo.processInfo.environment["SHOW_CHARTS"] != nil { print(text) }
        try ChartSnapshot.check(text, named: "\(run)-\(glyphs.rawValue).txt")
    }
}

extension ChartTests {
    /// A course-shaped run built by hand, so the chart's drawing is pinned apart from the simulator: a 1 GiB zone,
    /// wsf 300, an allocation draining free memory at 20 MiB/s from t=2 s, kswapd waking at low and sleeping at
    /// high, pswpout growing while it runs.
    static func courseShaped() -> Timeline {
        let min = Pages(bytes: 64 << 20)
        let low = Pages(bytes: 144 << 20)
        let high = Pages(bytes: 224 << 20)
        var free = Pages(bytes: 400 << 20)
        var samples: [Sample] = []
        var events: [TraceEvent] = []
        var running = false
        var pswpout: Int64 = 0
        for i in 0...300 {
            let t = Double(i) / 10
            if t >= 2 && t < 24 { free -= Pages(bytes: 2 << 20) }
            if !running && free <= low {
                running = true
                events.append(
                    TraceEvent(
                        time: t, comm: "kswapd0", pid: 45, name: "mm_vmscan_kswapd_wake", payload: "nid=0 order=0"))
            }
            if running {
                free += Pages(bytes: 3 << 20)
                pswpout += 768
                if free >= high {
                    running = false
                    events.append(
                        TraceEvent(time: t, comm: "kswapd0", pid: 45, name: "mm_vmscan_kswapd_sleep", payload: "nid=0"))
                }
            }
            let zone = ZoneSample(
                node: 0, zone: .normal, free: free, min: min, low: low, high: high, managed: Pages(262_144))
            samples.append(
                Sample(time: t, zones: [zone], counters: ["pswpout": pswpout, "pswpin": 0, "pgscan_kswapd": pswpout]))
        }
        let machine = MachineDescription(
            engine: "sim", summary: "1 GiB zone, wsf=300 (built in the test)", watermarkScaleFactor: 300)
        return Timeline(machine: machine, samples: samples, events: events, markers: [Marker(time: 2, label: "alloc")])
    }

    @Test(arguments: [ChartOptions.Glyphs.ascii, .block])
    func courseShapedChartMatchesSnapshot(glyphs: ChartOptions.Glyphs) throws {
        let text = TerminalChart.render(
            Self.courseShaped(), options: ChartOptions(glyphs: glyphs, width: 96, height: 16))
        if ProcessInfo.processInfo.environment["SHOW_CHARTS"] != nil { print(text) }
        try ChartSnapshot.check(text, named: "course-shaped-\(glyphs.rawValue).txt")
    }

    @Test func courseShapedChartShowsOneCycleAndLabelsEveryWatermark() {
        let text = TerminalChart.render(
            Self.courseShaped(), options: ChartOptions(glyphs: .ascii, width: 96, height: 16))
        // The right edge names each line with its value in MiB (the header says MiB).
        #expect(text.contains("high 224"))
        #expect(text.contains("low 144"))
        #expect(text.contains("min 64"))
        #expect(text.contains("1 cycle"))
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "ascii glyphs must be 7-bit")
    }

    @Test(arguments: ["D6b", "D1b"])
    func svgMatchesSnapshot(run: String) throws {
        let timeline = try FixtureRun.timeline(run: run, includeTrace: true)
        let svg = try #require(SVGChart.render(timeline, options: ChartOptions()))
        if let dir = ProcessInfo.processInfo.environment["SHOW_SVG"] {
            try Data(svg.utf8).write(to: URL(fileURLWithPath: dir).appendingPathComponent("\(run).svg"))
        }
        // The zone whose high + protection let kswapd sleep last: DMA32 in both runs (see the threshold tests).
        #expect(svg.contains("<title id=\"t\">Free memory of zone DMA32, node 0 against its watermarks</title>"))
        #expect(svg.contains("<desc id=\"d\">"))
        #expect(SVGChart.render(timeline, options: ChartOptions()) == svg, "the same timeline gives the same bytes")
        try ChartSnapshot.check(svg, named: "\(run).svg")
    }

    /// Free memory ending on min: its label at the right edge steps away from the watermark labels drawn before it
    /// instead of covering the min label.
    @Test func svgFreeLabelStepsAwayFromTheWatermarkLabels() throws {
        let zone = ZoneSample(
            node: 0, zone: .normal, free: Pages(1000), min: Pages(1000), low: Pages(4000), high: Pages(8000),
            managed: Pages(262_144))
        let samples = (0..<5).map { Sample(time: Double($0), zones: [zone]) }
        let timeline = Timeline(machine: MachineDescription(engine: "sim", summary: "free on min"), samples: samples)
        let svg = try #require(SVGChart.render(timeline, options: ChartOptions()))
        /// The y of the right-edge label whose text starts with `name`.
        func labelY(_ name: String) throws -> Double {
            let line = try #require(
                svg.split(separator: "\n").first { $0.contains("x=\"798.0\"") && $0.contains("\">\(name) ") })
            let y = try #require(line.split(separator: " ").first { $0.hasPrefix("y=") })
            return try #require(Double(y.dropFirst(3).dropLast()))
        }
        let free = try labelY("free")
        for mark in ["high", "low", "min"] {
            #expect(abs(try labelY(mark) - free) >= 16, "the free label must not cover the \(mark) label")
        }
    }

    @Test func emptyTimelineSaysNothingToDrawYet() {
        let empty = Timeline(machine: MachineDescription(engine: "sim", summary: "nothing yet"))
        for g in ChartOptions.Glyphs.allCases {
            let text = TerminalChart.render(empty, options: ChartOptions(glyphs: g, width: 60, height: 8))
            #expect(text.hasPrefix("nothing to draw yet"))
        }
        #expect(SVGChart.render(empty, options: ChartOptions()) == nil)
    }

    @Test func flatLineWithZeroWatermarksDrawsAndDoesNotCrash() throws {
        let zone = ZoneSample(
            node: 0, zone: .dma, free: Pages(3840), min: .zero, low: .zero, high: .zero, managed: Pages(3840))
        let samples = (0..<5).map { Sample(time: Double($0), zones: [zone]) }
        let flat = Timeline(machine: MachineDescription(engine: "sim", summary: "flat"), samples: samples)
        for g in ChartOptions.Glyphs.allCases {
            let text = TerminalChart.render(flat, options: ChartOptions(glyphs: g, width: 50, height: 6))
            #expect(text.contains("free 15"))
        }
        // One sample only: no time span at all.
        let one = Timeline(machine: flat.machine, samples: [samples[0]])
        #expect(
            TerminalChart.render(one, options: ChartOptions(glyphs: .block, width: 40, height: 6)).contains(
                "free 15"))
        #expect(try #require(SVGChart.render(one, options: ChartOptions())).hasSuffix("</svg>\n"))
    }

    @Test func unknownZoneIsNamedWithTheZonesThereAre() throws {
        let timeline = try FixtureRun.timeline(run: "D6b", includeTrace: false)
        let text = TerminalChart.render(timeline, options: ChartOptions(subject: .zone(.movable, node: 0)))
        #expect(text == "nothing to draw: zone Movable of node 0 is not in this timeline; zones: DMA, DMA32, Normal\n")
    }

    /// Without a trace the kswapd lane is inferred from pgscan_kswapd and says so.
    @Test func withoutEventsKswapdIsInferredFromCounters() throws {
        let timeline = try FixtureRun.timeline(run: "D1b", includeTrace: false)
        let d = try #require(ChartData(timeline: timeline, subject: .auto))
        #expect(d.kswapdInferred)
        #expect(!d.kswapd.isEmpty)
        #expect(TerminalChart.render(timeline, options: ChartOptions(glyphs: .ascii)).contains("(inferred)"))
    }

    /// The traced cycles equal what the raw milestone lines say: counted here from the file, not the chart.
    @Test func d1bCyclesMatchTheRawTraceLines() throws {
        let raw = try Fixtures.text("runs/D1b-kswapd-swapout-clean/trace_pipe.milestones.txt")
        let wakes = raw.split(separator: "\n").filter { $0.contains("mm_vmscan_kswapd_wake:") }.count
        let sleeps = raw.split(separator: "\n").filter { $0.contains("mm_vmscan_kswapd_sleep:") }.count
        let d = try #require(
            ChartData(timeline: try FixtureRun.timeline(run: "D1b", includeTrace: true), subject: .auto))
        #expect(d.kswapd.count == sleeps)
        #expect(d.kswapdPasses == wakes)
        #expect(d.kswapd.map(\.start) == [737.524036, 741.908026])
        #expect(d.kswapd.map(\.end) == [739.200092, 745.652064])
    }
}
