import Foundation
import SwapLabModel
import SwapLabTestSupport
import Testing

/// The trace_pipe parser against every captured line and the 4.x/5.x lines quoted in kernel.md §3.5.
@Suite struct TraceLineParserTests {
    /// Every `runs/<run>/<trace file>` pair.
    static let traceFiles: [String] = Fixtures.runs.flatMap { run in
        FixtureRun.traceFiles(run: run).map { "\(run)/\($0)" }
    }

    @Test func fixturesHaveTraceFiles() {
        #expect(Self.traceFiles.count == 13)
    }

    @Test(arguments: traceFiles)
    func everyEventLineOfEveryFixtureParses(_ path: String) throws {
        let text = try Fixtures.text("runs/\(path)")
        var lines = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) where !raw.isEmpty {
            lines += 1
            let line = String(raw)
            let e = try #require(TraceLineParser.parse(line: line), "not parsed: \(line)")
            // Independent checks by plain string slicing of the same line.
            let bracket = try #require(line.range(of: "] "))
            let cpuText = line[line.index(bracket.lowerBound, offsetBy: -3)..<bracket.lowerBound]
            #expect(e.cpu == Int(cpuText))
            let beforeCPU = line[..<line.index(bracket.lowerBound, offsetBy: -4)].trimmingCharacters(in: .whitespaces)
            let dash = try #require(beforeCPU.lastIndex(of: "-"))
            #expect(e.pid == Int(beforeCPU[beforeCPU.index(after: dash)...]))
            #expect(e.comm == String(beforeCPU[..<dash]))
            #expect(line.contains(" \(e.name): "))
            #expect(line.hasSuffix(": " + e.payload))
            #expect(e.flags?.count == 5)
        }
        let whole = TraceLineParser.parse(text: text)
        #expect(whole.events.count == lines)
        #expect(whole.skipped == 0)
        #expect(whole.lost == 0)
    }

    @Test func wholeCaptureCountsEqualTraceStats() throws {
        let whole = Fixtures.runs.filter { FixtureRun.isWhole(run: $0) }
        #expect(whole == ["D0-course-recipe-default-settings"])
        for run in whole {
            let stats = try FixtureRun.stats(run: run)
            let events = TraceLineParser.parse(text: try FixtureRun.traceText(run: run)).events
            #expect(events.count == stats.rawLines)
            #expect(Dictionary(grouping: events, by: \.name).mapValues(\.count) == stats.events)
        }
    }

    /// The milestones files keep every wake, sleep, wakeup, direct reclaim, throttled, reclaim_pages and oom line
    /// of the raw capture, so for those events the parsed counts equal trace_stats.json.
    @Test(arguments: Fixtures.runs.filter { !FixtureRun.isWhole(run: $0) })
    func milestoneCountsEqualTraceStats(_ run: String) throws {
        let stats = try FixtureRun.stats(run: run)
        let events = TraceLineParser.parse(
            text: try FixtureRun.traceText(run: run, choice: .file("trace_pipe.milestones.txt"))
        ).events
        let counts = Dictionary(grouping: events, by: \.name).mapValues(\.count)
        let kept = [
            "mm_vmscan_kswapd_wake", "mm_vmscan_kswapd_sleep", "mm_vmscan_wakeup_kswapd",
            "mm_vmscan_direct_reclaim_begin", "mm_vmscan_direct_reclaim_end", "mm_vmscan_throttled",
            "oom_score_adj_update", "reclaim_retry_zone",
        ]
        for name in kept { #expect(counts[name, default: 0] == stats.events[name, default: 0], "\(run) \(name)") }
    }

    @Test func fiveCharacterFlagsAndACommWithASpace() throws {
        let line =
            "      Web Content-10876   [000] ..... 14341.651522: mm_vmscan_throttled: nid=0 usec_timeout=100000 usect_delayed=100000 reason=VMSCAN_THROTTLE_WRITEBACK"
        let e = try #require(TraceLineParser.parse(line: line))
        #expect(e.comm == "Web Content")
        #expect(e.pid == 10876)
        #expect(e.cpu == 0)
        #expect(e.flags == ".....")
        #expect(e.time == 14341.651522)
        #expect(e.name == "mm_vmscan_throttled")
        #expect(e.intField("nid") == 0)
        #expect(e.intField("usec_timeout") == 100000)
        #expect(e.intField("usect_delayed") == 100000)
        #expect(e.field("reason") == "VMSCAN_THROTTLE_WRITEBACK")
        let timer = try #require(
            TraceLineParser.parse(
                line:
                    "           Timer-10841   [006] ..... 14341.639496: mm_vmscan_throttled: nid=0 usec_timeout=100000 usect_delayed=100000 reason=VMSCAN_THROTTLE_WRITEBACK"
            ))
        #expect(timer.comm == "Timer")
        #expect(timer.pid == 10841)
        #expect(timer.cpu == 6)
    }

    @Test func fourCharacterFlagsWithPreemptDepth() throws {
        let e = try #require(
            TraceLineParser.parse(line: "  kswapd0-610   [000] ...1   158.112152: mm_vmscan_kswapd_wake: nid=0 order=0")
        )
        #expect(e.comm == "kswapd0")
        #expect(e.pid == 610)
        #expect(e.flags == "...1")
        #expect(e.time == 158.112152)
        #expect(e.name == "mm_vmscan_kswapd_wake")
        #expect(e.payload == "nid=0 order=0")
    }

    @Test func strippedCommAndNoFlagsColumn() throws {
        let begin = try #require(
            TraceLineParser.parse(
                line:
                    "-5972    [006] ....  7971.248399: mm_vmscan_direct_reclaim_begin: order=4 gfp_flags=GFP_HIGHUSER|__GFP_NOWARN|__GFP_COMP|__GFP_ZERO"
            ))
        #expect(begin.comm == "")
        #expect(begin.pid == 5972)
        #expect(begin.intField("order") == 4)
        #expect(begin.field("gfp_flags") == "GFP_HIGHUSER|__GFP_NOWARN|__GFP_COMP|__GFP_ZERO")
        let old = try #require(
            TraceLineParser.parse(line: "dd-1970  [000]   266.608235: mm_vmscan_wakeup_kswapd: nid=0 zid=1 order=0"))
        #expect(old.comm == "dd")
        #expect(old.flags == nil)
        #expect(old.time == 266.608235)
        #expect(old.intField("zid") == 1)
    }

    @Test func tgidColumnDashedCommsUnknownCommCounterClockAndSystemPrefix() throws {
        let a = try #require(
            TraceLineParser.parse(
                line: "   binder:1138_3-1645    (   1138) [001] d..1.   10.000001: mm_vmscan_kswapd_sleep: nid=1"))
        #expect(a.comm == "binder:1138_3")
        #expect(a.pid == 1645)
        #expect(a.cpu == 1)
        let b = try #require(
            TraceLineParser.parse(
                line:
                    "           <...>-28646   (-------) [000] .....   735.165429: oom_score_adj_update: pid=28824 comm=hog oom_score_adj=1000"
            ))
        #expect(b.comm == "<...>")
        #expect(b.pid == 28646)
        let c = try #require(
            TraceLineParser.parse(
                line: " oot.default-qos-30681   [000] .....  123456789012: vmscan:mm_vmscan_kswapd_wake: nid=0 order=0")
        )
        #expect(c.comm == "oot.default-qos")
        #expect(c.time == 123456789012)
        #expect(c.name == "mm_vmscan_kswapd_wake")
    }

    @Test func nonEventLinesAreCountedAndLostEventsAddedUp() {
        let text = """
            # tracer: nop
            #
            #           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION

            CPU:1 [LOST 123 EVENTS]
                     kswapd0-45      [001] .....   739.200092: mm_vmscan_kswapd_sleep: nid=0
            CPU:0 [LOST 7 EVENTS]
            garbage line
                     kswapd0-45      [001] .....   739.300000: mm_vmscan_kswapd_wake: nid=0 order=0
            """
        let r = TraceLineParser.parse(text: text)
        #expect(r.events.map(\.name) == ["mm_vmscan_kswapd_sleep", "mm_vmscan_kswapd_wake"])
        #expect(r.skipped == 7)
        #expect(r.lost == 130)
    }

    @Test func chunkParserKeepsThePartialLine() {
        let text = "  kswapd0-45 [001] ..... 1.000001: mm_vmscan_kswapd_sleep: nid=0\n  kswapd0-45 [001] ..... 2.0000"
        var parser = TraceLineParser()
        var got: [TraceEvent] = []
        let used = Array(text.utf8).withUnsafeBytes { parser.parse(buffer: $0) { got.append($0) } }
        #expect(got.count == 1)
        #expect(
            used == text.utf8.firstIndex(of: 0x0A).map { text.utf8.distance(from: text.utf8.startIndex, to: $0) + 1 })
    }
}
