import Foundation
import SwapLabModel
import SwapLabSimulator
import SwapLabKernel
import SwapLabAnalysis
import SwapLabExplain
import SwapLabCourse
import SwapLabTestSupport
import Testing

@testable import SwapLabREPL

/// A plain-mode shell over the shipped lessons, with a fresh state folder and a capturing output.
func courseShell(width: Int = 72) throws -> (Shell, Output, URL) {
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-shell-\(UUID().uuidString)")
    let out = Output(capturingWidth: width)
    let session = Session(output: out, stateDirectory: state)
    let shell = Shell(session: session)
    session.course?.use(try LessonLoader.loadCourse(from: Fixtures.repositoryRoot.appendingPathComponent("Lessons")))
    return (shell, out, state)
}

@Suite struct CourseShellTests {
    @Test func shippedLessonsPassLint() throws {
        let course = try LessonLoader.loadCourse(from: Fixtures.repositoryRoot.appendingPathComponent("Lessons"))
        let issues = LessonLinter.lint(course, knownCommands: KnownCommands.all)
        #expect(issues.map(\.description) == [])
        #expect(
            course.lessons.map(\.id) == [
                "pages", "watermarks", "kswapd", "reclaimable", "notes-experiment", "direct-reclaim", "swap-in", "oom",
                "trace", "tuning",
            ])
        #expect(course.errors.isEmpty)
    }

    @Test func everyCourseCommandIsRegistered() {
        for name in KnownCommands.course { #expect(CommandRegistry.find(name) != nil, "\(name)") }
    }

    @Test func aPredictionStepPassesAndProgressIsSavedAndOffered() throws {
        let (shell, out, state) = try courseShell()
        #expect(shell.execute("start pages"))
        #expect(shell.execute("goto pages-per-gib"))
        #expect(shell.execute("answer 2"))
        let text = out.takeCaptured()
        #expect(text.contains("│ Not quite — the answer is 1."))
        #expect(text.contains("│ ✓ PASS [pages-per-gib]"))
        let prose = text.split(separator: "\n").map { $0.hasPrefix("│ ") ? String($0.dropFirst(2)) : String($0) }
            .joined(separator: " ")
        #expect(prose.contains("so a GiB is 2^18 = 262144 pages."))
        // next on a checked step that is not done is refused, and inspection of `where` is not an attempt.
        #expect(shell.execute("goto 2"))
        #expect(!shell.execute("next"))
        #expect(shell.execute("where"))
        #expect(out.takeCaptured().contains("│ Pages and free memory [pages] · step 2/4 [sim-watermarks]"))
        // Progress is on disk, and a new shell offers to resume in one line.
        let saved = try ProgressStore.read(state.appendingPathComponent("progress.json"))
        #expect(saved.lessons["pages"]?.done == ["pages-per-gib"])
        #expect(saved.lessons["pages"]?.current == "sim-watermarks")
        let session2 = Session(output: Output(capturingWidth: 72), stateDirectory: state)
        let shell2 = Shell(session: session2)
        session2.course?.use(
            try LessonLoader.loadCourse(from: Fixtures.repositoryRoot.appendingPathComponent("Lessons")))
        #expect(
            session2.course?.startupNotices() == [
                "│ You were in lesson “Pages and free memory”. Type `resume` to go on, or `lessons` for the menu."
            ])
        #expect(shell2.execute("resume"))
        #expect(session2.output.captured.contains("[pages/sim-watermarks] step 2 of 4"))
    }

    @Test func koreanTextIsWrappedByDisplayWidthWithTheMargin() throws {
        let (shell, out, _) = try courseShell(width: 40)
        #expect(shell.execute("lang ko; start 3"))
        let lines = out.takeCaptured().split(separator: "\n").filter { $0.hasPrefix("│") }
        #expect(lines.contains("│ ━━ 3. kswapd가 깨어나고 다시 잠드는"))
        #expect(lines.contains("│ 1. 여유공간이 High 이상이면 kswapd는"))
        #expect(lines.contains("│   sleep."))
        for l in lines { #expect(DisplayWidth.of(String(l)) <= 40, "\(l)") }
    }

    @Test func solutionInPlainModeSaysItShowsItAndHintsAreStaged() throws {
        let (shell, out, _) = try courseShell()
        #expect(shell.execute("start kswapd; goto push-below-low"))
        _ = out.takeCaptured()
        #expect(shell.execute("hint; hint; hint"))
        let hints = out.takeCaptured()
        #expect(hints.contains("hint 1/2: Run `watermarks`: the line 'kswapd wakes after"))
        #expect(hints.contains("hint 2/2: `alloc 1600M --name hog --rate 200M/s`"))
        #expect(hints.contains("(that is the last hint; `solution` shows the answer)"))
        #expect(shell.execute("solution"))
        #expect(
            out.takeCaptured() == """
                │ Showing the solution (not interactive, so without asking):
                │ alloc 1600M --name hog --rate 200M/s

                """)
    }

    @Test func corruptProgressIsReportedAtStartup() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-shell-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        try "garbage".write(to: state.appendingPathComponent("progress.json"), atomically: true, encoding: .utf8)
        let session = Session(output: Output(capturingWidth: 80), stateDirectory: state)
        _ = Shell(session: session)
        let notices = session.course?.startupNotices() ?? []
        #expect(notices.first?.hasPrefix("warning: your progress file") == true)
        #expect(notices.first?.contains("progress.json.corrupt-") == true)
    }

    /// Every simulator step: the check fails after setup and passes after the solution.
    @Test func everySimulatorStepIsSolvable() throws {
        let course = try LessonLoader.loadCourse(from: Fixtures.repositoryRoot.appendingPathComponent("Lessons"))
        let report = LessonTester.test(course, output: Output(capturingWidth: 100))
        #expect(report.failed == 0, "\(report.lines.filter { $0.hasPrefix("✗") })")
        #expect(report.checked > 10)
    }

    /// One full lesson through the plain-mode shell, in each language, compared with a snapshot.
    @Test(arguments: ["en", "ko"])
    func transcriptOfTheKswapdLesson(language: String) throws {
        let (shell, out, _) = try courseShell(width: 80)
        let lines = [
            "lang \(language)", "start kswapd", "next", "watermarks", "alloc 1600M --name hog --rate 200M/s", "next",
            "run 5s", "next", "next", "explain", "next", "next",
        ]
        _ = shell.run(reader: ScriptLineReader(lines: lines))
        let snapshot = Fixtures.repositoryRoot.appendingPathComponent(
            "Tests/SwapLabREPLTests/Snapshots/transcript-kswapd-\(language).txt")
        let text = out.captured
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try text.write(to: snapshot, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: snapshot, encoding: .utf8)
        #expect(text == expected)
        #expect(text.contains("✓ PASS [push-below-low]"))
        #expect(text.contains("✓ PASS [back-to-sleep]"))
    }
}
