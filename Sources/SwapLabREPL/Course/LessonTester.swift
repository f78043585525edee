import Foundation
import SwapLabCourse
import SwapLabModel

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
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "swaplab-lessons-test-\(ProcessInfo.processInfo.processIdentifier)")
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

extension LessonTester {
    /// `lessons test --wrong`: every prediction of `course` (or of lesson `only`) rejects each wrong choice and
    /// passes on the right one, through the shell as a learner answers; one line per prediction to `output`.
    @discardableResult
    public static func testQuizzes(_ course: Course, only: String? = nil, output: Output) -> Report {
        var report = Report()
        var wrong = 0
        for lesson in course.lessons where only.map({ course.lesson($0)?.id == lesson.id }) ?? true {
            for step in lesson.steps where step.kind == .predict {
                guard let right = step.answer else { continue }
                report.checked += 1
                let numbers = step.choices.indices.filter { $0 != right }.map { "\($0 + 1)" }
                wrong += numbers.count
                let problem = testQuiz(step, of: lesson, in: course)
                let passed = "✓ PASS \(lesson.id)/\(step.id): rejects \(numbers.joined(separator: ", ")); "
                let line = problem.map { "✗ FAIL \(lesson.id)/\(step.id): \($0)" } ?? passed + "accepts \(right + 1)"
                if problem != nil { report.failed += 1 }
                report.lines.append(line)
                output.line(line)
            }
        }
        output.line(
            "lessons test --wrong: \(report.checked - report.failed) of \(report.checked) quizzes reject each of their "
                + "wrong choices (\(wrong) in all)")
        return report
    }

    /// Why the prediction `step` does not reject each wrong choice with that choice's feedback (and a hint from the
    /// second one on), or does not pass on the right one; nil when it does. Runs in a fresh shell and state folder.
    public static func testQuiz(_ step: Step, of lesson: Lesson, in course: Course) -> String? {
        guard let right = step.answer else { return "it has no answer" }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-quiz-test-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = Output(capturingWidth: 100)
        let session = Session(output: out, stateDirectory: dir)
        session.engine = .sim
        let shell = Shell(session: session)
        guard let tutor = session.course else { return "the shell has no course" }
        tutor.use(course)
        tutor.language = .en
        // Wrapped lines joined again, without the tutor's margin, so a feedback is found whatever its length.
        func said() -> String {
            out.takeCaptured().split(separator: "\n").map { $0.hasPrefix("│ ") ? $0.dropFirst(2) : $0 }
                .joined(separator: " ")
        }
        guard shell.execute("start \(lesson.id)"), shell.execute("goto \(step.id)") else {
            return "could not open the step: \(said())"
        }
        _ = said()
        var wrongSoFar = 0
        for choice in step.choices.indices where choice != right {
            wrongSoFar += 1
            _ = shell.execute("answer \(choice + 1)")
            let heard = said()
            if tutor.machine.passed || tutor.progress.isDone(step, of: lesson) {
                return "answer \(choice + 1) (wrong) passed the step"
            }
            if !heard.contains("✗ Not \(choice + 1).") { return "answer \(choice + 1) was not rejected: \(heard)" }
            if let feedback = step.choiceFeedback[choice]?[.en],
                !heard.contains(feedback.split(whereSeparator: \.isWhitespace).joined(separator: " "))
            {
                return "answer \(choice + 1) did not hear its feedback: \(heard)"
            }
            if wrongSoFar >= 2, !step.hints.isEmpty, !heard.contains("💡") {
                return "a second wrong answer (\(choice + 1)) did not show the hint"
            }
        }
        _ = shell.execute("answer \(right + 1)")
        if !tutor.machine.passed || !tutor.progress.isDone(step, of: lesson) {
            return "the right answer \(right + 1) did not pass the step: \(said())"
        }
        return nil
    }
}

/// Keeps what the commands showed, as a step's check window does (`lessons test`).
final class OutcomeLog: ShellHook {
    var window = CheckWindowState()
    func didRun(_ outcome: CommandOutcome) { window.add(outcome) }
}
