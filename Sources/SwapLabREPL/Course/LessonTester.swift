import Foundation
import SwapLabModel
import SwapLabSimulator
import SwapLabKernel
import SwapLabAnalysis
import SwapLabExplain
import SwapLabCourse

/// `lessons test`: proves every checked step solvable on the simulator. For each step, in a fresh session and
/// shell, the expectation must FAIL after the setup and PASS after the solution (rustlings `dev check`,
/// Learn Git Branching's levels test).
public enum LessonTester {
    /// What `test` found.
    public struct Report: Sendable {
        public var checked = 0
        public var failed = 0
        public var lines: [String] = []
    }

    /// Tests every simulator step of `course` (or of lesson `only`), printing one line per step to `output`.
    @discardableResult
    public static func test(_ course: Course, only: String? = nil, output: Output) -> Report {
        var report = Report()
        for lesson in course.lessons where only == nil || lesson.id == only || course.lesson(only!)?.id == lesson.id {
            for step in lesson.steps where step.expect != nil && step.engine.allows(.sim) {
                report.checked += 1
                let problem = testStep(step, of: lesson, in: course)
                let line = problem.map { "✗ FAIL \(lesson.id)/\(step.id): \($0)" } ?? "✓ PASS \(lesson.id)/\(step.id)"
                if problem != nil { report.failed += 1 }
                report.lines.append(line)
                output.line(line)
            }
        }
        output.line("lessons test: \(report.checked - report.failed) of \(report.checked) steps pass on the simulator")
        return report
    }

    /// Why `step` is not proven solvable, or nil when it is.
    public static func testStep(_ step: Step, of lesson: Lesson, in course: Course) -> String? {
        guard let expect = step.expect else { return nil }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-lessons-test-\(ProcessInfo.processInfo.processIdentifier)")
        let out = Output(capturingWidth: 100)
        let session = Session(output: out, stateDirectory: dir)
        session.engine = .sim
        let shell = Shell(session: session)
        session.course?.use(course)
        for line in step.setup.sim where !shell.execute(line) {
            return "setup line '\(line)' failed: \(out.takeCaptured().trimmingCharacters(in: .whitespacesAndNewlines))"
        }
        // Graded as the course grades: from the commands' outcomes and the timeline.
        let log = OutcomeLog()
        log.window.start = (try? session.currentTimeline())?.span?.upperBound ?? -Double.infinity
        shell.hooks.append(log)
        _ = out.takeCaptured()
        func check() -> CheckOutcome {
            var timeline: Timeline?
            var problem: String?
            do { timeline = try session.currentTimeline() } catch { problem = "\(error)" }
            return Checker.evaluate(expect, input: log.window.input(timeline: timeline, problem: problem))
        }
        if check().passed { return "the check already passes right after setup; the step teaches nothing" }
        for line in step.solutionLines(for: .sim) where !shell.execute(line) {
            return
                "solution line '\(line)' failed: \(out.takeCaptured().trimmingCharacters(in: .whitespacesAndNewlines))"
        }
        let after = check()
        if let f = after.firstFailure { return "after the solution the check fails: \(f.feedback(.en))" }
        return nil
    }
}

/// Keeps what the commands showed, as a step's check window does (`lessons test`).
final class OutcomeLog: ShellHook {
    var window = CheckWindowState()
    func didRun(_ outcome: CommandOutcome) { window.add(outcome) }
}
