import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabCourse
@testable import SwapLabExplain
@testable import SwapLabKernel
@testable import SwapLabModel
@testable import SwapLabREPL
@testable import SwapLabSimulator

/// Issue 14, runtime traps: every number that enters has a stated range and a clear error, and the arithmetic on
/// it reports overflow instead of trapping (each case here used to end the process with exit 132).
@Suite struct InputBoundsTests {
    @Test func watermarkArithmeticReportsOverflowInsteadOfTrapping() throws {
        // Normal=144115188075855872 trapped at `lowmemKB * 16`; the sqrt rule now saturates and clamps.
        #expect(WatermarkFormula.minFreeKbytes(lowmemManaged: Pages(144_115_188_075_855_872)) == 262_144)
        #expect(WatermarkFormula.intSqrt(Int64.max) == 3_037_000_499)
        // `pagesMin * m` with min_free_kbytes 2^31 - 1 and 100 TiB trapped; the 128-bit product is exact.
        let zones: [(ZoneType, Pages)] = [(.normal, Pages(26_843_545_600))]
        let marks = try WatermarkFormula.perZone(managed: zones, minFreeKbytes: 2_147_483_647, scaleFactor: 10)
        #expect(marks[0].min.count == 536_870_911)
        // A zone far beyond any machine: reported, with what overflowed.
        #expect(throws: ArithmeticOverflow("the watermarks of a Movable zone of 9223372036854775807 pages")) {
            try WatermarkFormula.perZone(
                managed: [(.normal, Pages(1)), (.movable, Pages(Int64.max))], minFreeKbytes: 2_147_483_647,
                scaleFactor: 3000)
        }
        #expect(throws: ArithmeticOverflow("mult_frac(9223372036854775807, 30000, 10000)")) {
            try WatermarkFormula.multFrac(Int64.max, 30_000, 10_000)
        }
        #expect(try Checked.multiplyDivide(Int64.max, 4, 8, "x") == Int64.max / 2)
        #expect(try Checked.multiplyDivide(Int64.max, 3, 3, "x") == Int64.max)
        #expect(throws: ArithmeticOverflow("x")) { try Checked.multiplyDivide(Int64.max, 4, 2, "x") }
        #expect(throws: ArithmeticOverflow("x")) { try Checked.multiplyDivide(Int64.max, 3, 2, "x") }
    }

    @Test func zoneSizesAreBoundedWhereTheyEnter() throws {
        #expect(
            throws: SimulatorError.badZoneSpec(
                text: "Normal=200000000000000000",
                reason: "Normal has 200000000000000000 pages; a zone holds at most 1099511627776 (4 PiB)")
        ) {
            try MachineConfig.zones(parsing: "Normal=200000000000000000")
        }
        #expect(throws: SimulatorError.self) { try MachineConfig.zones(parsing: "DMA=9223372036854775807,Normal=1") }
        #expect(try MachineConfig.zones(parsing: "Normal=1099511627776") == [ZoneSpec(.normal, Pages(1 << 40))])
        // Building a config from absurd zones no longer traps; validation names the zone.
        let config = MachineConfig(nodes: [[ZoneSpec(.dma, Pages(Int64.max)), ZoneSpec(.normal, Pages(1))]])
        #expect(
            throws: SimulatorError.tooLarge(
                what: "node 0 zone DMA", value: "9223372036854775807 pages", limit: "1099511627776 pages (4 PiB)")
        ) {
            try config.validate()
        }
        #expect(throws: SimulatorError.tooLarge(what: "RAM", value: "8192 TiB", limit: "4 PiB")) {
            try MachineConfig.defaultZones(ramBytes: 1 << 53, nodes: 1)
        }
    }

    @Test func nodeNumbersAreCheckedBeforeAnythingIsBuilt() throws {
        let zoneinfo = try Fixtures.text("snapshots/after-full-growth/zoneinfo.txt")
        for node in ["-1", "9223372036854775807", "100000000"] {
            let text = zoneinfo.replacingOccurrences(of: "Node 0, zone      DMA", with: "Node \(node), zone      DMA")
            #expect(
                throws: KernelError.malformed(
                    path: "z", line: 1, text: "Node \(node), zone      DMA",
                    reason: "node \(node) is out of range; a kernel numbers its nodes 0…1023")
            ) {
                try ZoneinfoParser.parse(text, path: "z")
            }
        }
        // Node 64 is a real kernel's but not the simulator's: refused before any node array is built.
        let snapshot = ZoneSnapshot(
            node: 64, zone: .normal, free: Pages(1), min: .zero, low: .zero, high: .zero, managed: Pages(100))
        #expect(throws: SimulatorError.invalid("the zoneinfo names node 64; the simulator has nodes 0…63")) {
            try MachineConfig.zones(from: [snapshot])
        }
    }

    @Test func zoneinfoWithCRLFReadsTheSameAndAZonePrintedTwiceIsRefused() throws {
        let text = try Fixtures.text("snapshots/after-full-growth/zoneinfo.txt")
        let crlf = text.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try ZoneinfoParser.parse(crlf, path: "z").zones == ZoneinfoParser.parse(text, path: "z").zones)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(
            throws: KernelError.malformed(
                path: "z", line: lines, text: "Node 0, zone      DMA",
                reason: "node 0 zone DMA is printed twice (first at line 1)")
        ) {
            try ZoneinfoParser.parse(text + text, path: "z")
        }
    }

    @Test func sizesAndDurationsHaveStatedRanges() throws {
        #expect(
            throws: Quantity.ParseError(
                description: "'8000000T' is too large; a size is at most 4 PiB (4096T)",
                ko: "'8000000T'은(는) 너무 큽니다. 크기는 최대 4 PiB(4096T)입니다")
        ) {
            try Quantity.bytes("8000000T")
        }
        #expect(
            throws: Quantity.ParseError(
                description: "'-1' is not a size; sizes are positive (e.g. 300M)",
                ko: "'-1'은(는) 크기가 아닙니다. 크기는 양수입니다 (예: 300M)")
        ) {
            try Quantity.bytes("-1")
        }
        #expect(try Quantity.bytes("4096T") == 1 << 52)
        #expect(Quantity.isZero("0G") && Quantity.isZero("0") && !Quantity.isZero("1K") && !Quantity.isZero("x"))
        let nines = String(repeating: "9", count: 400)
        #expect(throws: Quantity.ParseError.self) { try Quantity.seconds(nines + "h") }
        #expect(throws: Quantity.ParseError.self) { try Quantity.seconds("-1s") }
        #expect(Pages(Int64.max).bytes == Int64.max)
    }

    /// A recording line with one field changed (line 2 of a real D1b recording).
    func recording(replacing pattern: String, with value: String) throws -> String {
        let original = try FixtureRun.timeline(run: "D1b", includeTrace: true)
        var lines = try TimelineRecording.text(of: original).split(separator: "\n").map(String.init)
        let range = try #require(lines[1].range(of: pattern, options: .regularExpression))
        lines[1].replaceSubrange(range, with: value)
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func recordingsKeepTheirNumbersInRange() throws {
        let cases: [(String, String, String)] = [
            (#""t_s":[0-9.]+"#, #""t_s":1e308"#, #""t_s" is 1e+308; times must be finite seconds within ±1000000000"#),
            (
                #""free_pages":[0-9]+"#, #""free_pages":9223372036854775807"#,
                #""zones[0].free_pages" is 9223372036854775807; page counts are 0…1099511627776"#
            ),
            (
                #""protection_pages":\[0"#, #""protection_pages":[-1"#,
                #""zones[0].protection_pages" holds -1; protection is 0…281474976710656 pages"#
            ),
            (
                #""pswpout":[0-9]+"#, #""pswpout":1.5"#,
                #""pswpout" is 1.5; counters are whole numbers 0…72057594037927936"#
            ),
            (
                #""pswpout":[0-9]+"#, #""pswpout":99999999999999999999"#,
                #""pswpout" is 99999999999999999999, beyond 64 bits; counters are whole numbers 0…72057594037927936"#
            ),
            (
                #""pswpout":[0-9]+"#, #""pswpout":9223372036854775807"#,
                #""counters.pswpout" is 9223372036854775807; counters are 0…72057594037927936"#
            ),
        ]
        for (pattern, value, message) in cases {
            let text = try recording(replacing: pattern, with: value)
            #expect(throws: TimelineRecording.ReadError(line: 2, message: message)) {
                try TimelineRecording.timeline(from: text)
            }
        }
    }

    @Test func checkerAndChartNeverTrapOnExtremeButAcceptedValues() throws {
        // Values at the bounds a recording may hold, and a timeline built in memory beyond them.
        let zone = ZoneSample(
            node: 0, zone: .normal, free: Pages(Int64.max), min: Pages(Int64.min), low: Pages(0), high: Pages(1),
            managed: Pages(Int64.max))
        let samples = [
            Sample(time: 0, zones: [zone], counters: ["pswpout": Int64.min, "allocstall_normal": Int64.max]),
            Sample(time: 1e-300, zones: [zone], counters: ["pswpout": Int64.max, "allocstall_dma": Int64.max]),
        ]
        let timeline = Timeline(machine: MachineDescription(engine: "sim", summary: "s"), samples: samples)
        let expectation = StepExpectation(all: [
            Predicate(id: "c", condition: .counter(name: "pswpout", delta: Comparison("> 0")!)),
            Predicate(id: "f", condition: .free(zone: .any, below: true, mark: .min, lastOnly: false)),
        ])
        let outcome = Checker.evaluate(expectation, input: CheckInput(timeline: timeline, windowStart: -.infinity))
        #expect(
            outcome.outcomes[0].values["problem"]
                == "the counter pswpout went from -9223372036854775808 to 9223372036854775807, too far apart to compare"
        )
        #expect(outcome.outcomes[1].values["gap"] == "9223372036854775807")
        let chart = TerminalChart.render(timeline, options: ChartOptions(subject: .node(0)))
        #expect(chart.contains("node 0: free memory of its zones"))
        // Every y label keeps to its five cells, however large the values.
        #expect(
            chart.split(separator: "\n").allSatisfy {
                !$0.contains("┤") || $0.firstIndex(of: "┤") == $0.index($0.startIndex, offsetBy: 6)
            }, "\(chart)")
        #expect(SVGChart.render(timeline, options: ChartOptions(subject: .node(0))) != nil)
        // An infinite span (a timeline built in memory) is clamped: the axis loops end.
        var wide = timeline
        wide.samples[1].time = .infinity
        #expect(!TerminalChart.render(wide, options: ChartOptions()).isEmpty)
    }

    @Test func progressHintCountsOutOfRangeAreRefusedWhereTheFileIsRead() throws {
        for bad in ["-1", "9223372036854775807"] {
            let dir = tempDir("progress")
            let store = ProgressStore(directory: dir)
            let json =
                #"{"format":1,"lessons":{"pages":{"version":1,"done":[],"skipped":[],"hints_used":{"a":"#
                + bad + #"},"language":"en","engine":"sim"}}}"#
            try json.write(to: store.file, atomically: true, encoding: .utf8)
            let (progress, notice) = store.load()
            #expect(progress == CourseProgress())
            #expect(notice?.contains(#"("lessons.pages.hints_used.a" is \#(bad); hint counts are 0…1000)"#) == true)
        }
    }
}
