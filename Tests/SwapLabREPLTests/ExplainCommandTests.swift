import Foundation
import SwapLabExplain
import SwapLabKernel
import SwapLabModel
import SwapLabREPL
import SwapLabTestSupport
import Testing

/// `explain` in the shell: on a trace file, on the session's timeline with --since, in JSON, and its errors.
@Suite struct ExplainCommandTests {
    static let d1bMilestones = FixtureRun.directory("D1b-kswapd-swapout-clean").appendingPathComponent(
        "trace_pipe.milestones.txt"
    ).path

    @Test func explainsATraceFileInBothLanguages() {
        let session = Session(output: Output(capturingWidth: 200), stateDirectory: testStateDirectory())
        let shell = Shell(session: session)
        #expect(shell.execute("explain --trace \(Self.d1bMilestones) --lang en"))
        let en = session.output.takeCaptured().replacingOccurrences(of: "\n", with: " ")
        #expect(en.contains("kswapd0 (node 0): 2 finished cycles"))
        #expect(en.contains("It slept at 745.652 after 3.74 s."))
        #expect(shell.execute("explain --trace \(Self.d1bMilestones) --lang ko"))
        #expect(session.output.takeCaptured().contains("사이클을 2번 마쳤습니다"))
    }

    @Test func jsonOfATraceFile() throws {
        let session = Session(output: Output(capturingWidth: 80), stateDirectory: testStateDirectory())
        #expect(Shell(session: session).execute("explain --trace \(Self.d1bMilestones) --json"))
        let obj = try #require(
            try JSONSerialization.jsonObject(with: Data(session.output.captured.utf8)) as? [String: Any])
        let cycles = try #require(obj["kswapd_cycles"] as? [[String: Any]])
        #expect(cycles.map { $0["passes"] as? Int } == [3, 5])
    }

    @Test func sinceAMarkerOfTheSessionTimeline() throws {
        let session = Session(output: Output(capturingWidth: 200), stateDirectory: testStateDirectory())
        let timeline = try FixtureRun.timeline(run: "D1b-kswapd-swapout-clean")
        session.replay = timeline
        let shell = Shell(session: session)
        let second = try #require(timeline.markers.last { $0.time < 741.9 && $0.time > 739.2 } ?? timeline.markers.last)
        #expect(shell.execute("explain --since \(second.label) --json"))
        let obj = try #require(
            try JSONSerialization.jsonObject(with: Data(session.output.takeCaptured().utf8)) as? [String: Any])
        let cycles = try #require(obj["kswapd_cycles"] as? [[String: Any]])
        #expect(cycles.count == timeline.since(second.time).events.filter { $0.name == "mm_vmscan_kswapd_sleep" }.count)
        #expect(!shell.execute("explain --since no-such-mark"))
        #expect(session.output.takeCaptured().contains("no marker 'no-such-mark'"))
    }

    @Test func aMissingFileIsAnErrorAndTheShellGoesOn() {
        let session = Session(output: Output(capturingWidth: 80), stateDirectory: testStateDirectory())
        let shell = Shell(session: session)
        #expect(!shell.execute("explain --trace /nonexistent/trace.txt"))
        #expect(session.output.takeCaptured().contains("cannot read the trace file /nonexistent/trace.txt"))
        #expect(!shell.execute("explain --trace \(Self.d1bMilestones) --lang fr"))
    }

    /// `explain --trace` streams the file; what it says equals the narrative of the whole text parsed in memory.
    @Test(arguments: Fixtures.runs)
    func theStreamedTraceSaysWhatTheInMemoryTraceSays(run: String) throws {
        let text = try FixtureRun.traceText(run: run)
        let dir = try FakeRoot.make(["trace.txt": text])
        defer { FakeRoot.remove(dir) }
        let file = dir.appendingPathComponent("trace.txt").path
        let parsed = TraceLineParser.parse(text: text)
        var report = ReclaimExplainer.analyze(
            Timeline(machine: MachineDescription(engine: "trace", summary: ""), events: parsed.events))
        for lang in NarrativeLanguage.allCases {
            let session = Session(output: Output(capturingWidth: 100_000), stateDirectory: testStateDirectory())
            #expect(Shell(session: session).execute("explain --trace \(file) --lang \(lang.rawValue)"))
            #expect(session.output.takeCaptured() == ReclaimNarrative.text(report, lang: lang) + "\n")
        }
        // The JSON adds what the file's lines held.
        report.traceLines = TraceFile.Counts(parsed: parsed.events.count, skipped: parsed.skipped, lost: parsed.lost)
        let session = Session(output: Output(capturingWidth: 80), stateDirectory: testStateDirectory())
        #expect(Shell(session: session).execute("explain --trace \(file) --json"))
        #expect(session.output.takeCaptured() == report.json().text + "\n")
    }
}

/// Issue 14, "escape sequences in untrusted text reach the terminal raw", for `explain --trace`: every place a trace's
/// task names reach the narrative (the waker, the direct-reclaim tasks, the OOM victim, another task's reclaim) is
/// shown escaped by the output layer, and wrapped by what is shown.
@Suite struct ExplainUntrustedTextTests {
    static func line(_ comm: String, _ pid: Int, _ time: String, _ event: String) -> String {
        "\(comm)-\(pid) [000] ..... \(time): \(event)\n"
    }

    @Test func taskNamesReachTheTerminalEscaped() throws {
        let evil = "ev\u{1B}]0;pwned\u{07}il\u{1B}[2J\r\u{9B}1m\u{202E}"
        let shown = "ev\\x1B]0;pwned\\x07il\\x1B[2J\\r\\u{9B}1m\\u{202E}"
        let text =
            Self.line(evil, 100, "10.000000", "mm_vmscan_wakeup_kswapd: nid=0 order=0 gfp_flags=GFP_KERNEL")
            + Self.line("kswapd0", 45, "10.000100", "mm_vmscan_kswapd_wake: nid=0 order=0")
            + Self.line(evil, 100, "10.000200", "mm_vmscan_direct_reclaim_begin: order=0 gfp_flags=GFP_KERNEL")
            + Self.line(evil, 100, "10.000300", "mm_vmscan_direct_reclaim_end: nr_reclaimed=3")
            + Self.line("kswapd0", 45, "10.000400", "mm_vmscan_kswapd_sleep: nid=0")
            + Self.line(evil, 101, "10.000500", "mm_vmscan_reclaim_pages: nid=0 nr_reclaimed=6")
            + Self.line("oom_reaper", 50, "10.000600", "mark_victim: pid=100 uid=0 comm=\(evil) anon-rss=4096kB")
        let dir = try FakeRoot.make(["trace.txt": text])
        defer { FakeRoot.remove(dir) }
        let file = dir.appendingPathComponent("trace.txt").path
        for lang in ["en", "ko"] {
            let session = Session(output: Output(capturingWidth: 80), stateDirectory: testStateDirectory())
            #expect(Shell(session: session).execute("explain --trace \(file) --lang \(lang)"))
            let out = session.output.takeCaptured()
            let flat = out.replacingOccurrences(of: "\n", with: "")
            #expect(flat.components(separatedBy: shown).count - 1 == 4, "\(out)")
            for raw: Character in ["\u{1B}", "\u{07}", "\r", "\u{9B}", "\u{202E}"] { #expect(!out.contains(raw)) }
            #expect(out.split(separator: "\n").allSatisfy { DisplayWidth.of(String($0)) <= 80 }, "\(out)")
        }
        // The JSON quotes them.
        let session = Session(output: Output(capturingWidth: 80), stateDirectory: testStateDirectory())
        #expect(Shell(session: session).execute("explain --trace \(file) --json"))
        let json = session.output.takeCaptured()
        #expect(!json.contains("\u{1B}") && json.contains("ev\\u001b]0;pwned\\u0007il"))
    }

    @Test func aTraceOfRefusedLinesOnlyIsAnErrorThatSaysWhy() throws {
        let text =
            Self.line(String(repeating: "x", count: 200_000), 1, "1.000000", "mm_vmscan_kswapd_sleep: nid=0")
            + Self.line("hog", 1, "99999999999999999999.000000", "mm_vmscan_kswapd_sleep: nid=0") + "# tracer: nop\n"
        let dir = try FakeRoot.make(["trace.txt": text])
        defer { FakeRoot.remove(dir) }
        let file = dir.appendingPathComponent("trace.txt").path
        let session = Session(output: Output(capturingWidth: 400), stateDirectory: testStateDirectory())
        #expect(!Shell(session: session).execute("explain --trace \(file)"))
        #expect(
            session.output.takeCaptured()
                == "error: \(file) holds no trace events (3 other lines, 2 of them refused for a length or a number no "
                + "kernel prints); give a trace_pipe capture\n")
    }

    @Test func aParagraphIsWrappedByItsEscapedForm() {
        let output = Output(capturingWidth: 40)
        output.paragraph(String(repeating: "a", count: 36) + " b\u{1B}[2Jc d")
        #expect(output.takeCaptured() == String(repeating: "a", count: 36) + "\nb\\x1B[2Jc d\n")
    }
}
