import Foundation
import SwapLabCourse
import SwapLabKernel
import SwapLabModel

/// `lessons test --live [ID]`: proves every live step on this machine's kernel. For each step that has live lines,
/// in a fresh session on the live engine: its live setup runs, its expectation must FAIL (it reads a window that
/// is empty right after the setup), its live solution runs, the expectation must PASS; then everything the step
/// changed is undone (`Session.cleanup()`: hogs, tracing, swap, sysctls, mounts) and the machine is compared with
/// how it was before the step. A step whose `requires` this machine cannot meet is skipped, not passed.
public enum LiveLessonTester {
    /// What `test --live` found.
    public struct Report: Sendable {
        public var checked = 0
        public var failed = 0
        public var skipped = 0
        public var seconds = 0.0
        public var lines: [String] = []
        public var passed: Int { checked - failed - skipped }
    }

    /// What one step did.
    public struct StepResult: Sendable {
        /// Why the step is not proven, nil when it passed.
        public var problem: String?
        /// Why it was not run at all (a requirement is missing), nil when it ran.
        public var skipReason: String?
        /// The observed values after the solution, `predicate.name=value`.
        public var observed: [String] = []
        public var seconds = 0.0
    }

    /// The live steps of `lesson`: those that may run on the live engine and have live lines to run.
    public static func liveSteps(of lesson: Lesson) -> [Step] {
        lesson.steps.filter { $0.engine.allows(.live) && !$0.solutionLines(for: .live).isEmpty }
    }

    /// Tests every live step of `course` (or of lesson `only`, an id or a number), one line per step to `output`.
    /// `probe` says why a requirement is unmet (the course's own probe by default).
    @discardableResult
    public static func test(
        _ course: Course, only: String? = nil, output: Output,
        probe: (Requirement) -> String? = { CourseSession.defaultProbe($0, systemRoot: "/") }
    ) -> Report {
        var report = Report()
        let t0 = Syscall.monotonicSeconds()
        let chosen = only.flatMap { course.lesson($0)?.id }
        for lesson in course.lessons where only == nil || lesson.id == chosen {
            for step in liveSteps(of: lesson) {
                report.checked += 1
                let r = testStep(step, of: lesson, in: course, probe: probe)
                let name = "\(lesson.id)/\(step.id)"
                let time = String(format: "%.1f s", r.seconds)
                let line: String
                if let reason = r.skipReason {
                    report.skipped += 1
                    line = "– SKIP \(name): needs \(reason)"
                } else if let problem = r.problem {
                    report.failed += 1
                    line = "✗ FAIL \(name) (\(time)): \(problem)"
                } else {
                    line =
                        "✓ PASS \(name) (\(time))"
                        + (r.observed.isEmpty ? "" : ": " + r.observed.joined(separator: ", "))
                }
                report.lines.append(line)
                output.line(line)
            }
        }
        report.seconds = Syscall.monotonicSeconds() - t0
        let skipped = report.skipped > 0 ? ", \(report.skipped) skipped" : ""
        output.line(
            "lessons test --live: \(report.passed) of \(report.checked) live steps pass on this kernel\(skipped) "
                + "(\(String(format: "%.0f", report.seconds)) s)")
        return report
    }

    /// Runs `step` on the live engine as described on the type, and puts the machine back.
    /// Runs `lines`; returns those that failed and what they recorded (the check reads the record, in which a
    /// wrapped report is unwrapped, as in the course).
    static func runLines(_ lines: [String], in shell: Shell) -> (failed: [String], recorded: String) {
        var failed: [String] = []
        let (_, recorded) = shell.session.output.recording {
            for line in lines where !shell.execute(line) { failed.append(line) }
        }
        return (failed, recorded)
    }

    public static func testStep(
        _ step: Step, of lesson: Lesson, in course: Course, probe: (Requirement) -> String?
    ) -> StepResult {
        var result = StepResult()
        let missing = step.requires.compactMap { probe($0) }
        if !missing.isEmpty {
            result.skipReason = missing.joined(separator: "; ")
            return result
        }
        let t0 = Syscall.monotonicSeconds()
        let before = LiveMachineState.read()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "swaplab-live-test-\(ProcessInfo.processInfo.processIdentifier)-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = Output(capturingWidth: 100)
        let session = Session(output: out, stateDirectory: dir)
        let shell = Shell(session: session)
        session.course?.use(course)
        session.engine = .live
        _ = session.liveEngine()
        var problem: String?
        var solutionOutput = ""
        run: do {
            for line in step.setup.live where !shell.execute(line) {
                problem = "setup line '\(line)' failed: \(trimmed(out.takeCaptured()))"
                break run
            }
            let start = (try? session.currentTimeline())?.span?.upperBound ?? -Double.infinity
            _ = out.takeCaptured()
            guard let expect = step.expect else {
                // Nothing to check: the lines must at least run.
                for line in step.solutionLines(for: .live) where !shell.execute(line) {
                    problem = "line '\(line)' failed: \(trimmed(out.takeCaptured()))"
                    break run
                }
                result.observed = ["no expectation; its lines ran"]
                break run
            }
            func check(_ output: String) -> CheckOutcome {
                var timeline: Timeline?
                var why: String?
                do { timeline = try session.currentTimeline() } catch { why = "\(error)" }
                return Checker.evaluate(
                    expect,
                    input: CheckInput(timeline: timeline, timelineProblem: why, windowStart: start, output: output))
            }
            let early = check("")
            if early.passed {
                problem =
                    "the check already passes right after setup (\(observed(early).joined(separator: ", "))); "
                    + "the step teaches nothing"
                break run
            }
            // A solution line may fail on purpose (the allocation guard refusing); the check decides.
            let (failedLines, recorded) = runLines(step.solutionLines(for: .live), in: shell)
            solutionOutput = out.takeCaptured()
            let after = check(recorded)
            result.observed = observed(after)
            if let f = after.firstFailure {
                // A failed `lab run` says which phase of its story fell short; show that, not just the line.
                let said = solutionOutput.split(separator: "\n").last { $0.hasPrefix("error:") }.map { ": \($0)" } ?? ""
                let lines =
                    failedLines.isEmpty
                    ? "" : " (line(s) \(failedLines.map { "'\($0)'" }.joined(separator: ", ")) failed\(said))"
                problem = "after the solution\(lines) the check fails: \(f.predicate.id): \(f.feedback(.en))"
            }
        }
        session.cleanup()
        let cleanup = out.takeCaptured()
        let after = LiveMachineState.read()
        if after != before {
            let left =
                "the step left the machine changed: before \(before), after \(after); cleanup said: \(trimmed(cleanup))"
            problem = problem.map { $0 + "; and " + left } ?? left
        }
        result.problem = problem
        result.seconds = Syscall.monotonicSeconds() - t0
        return result
    }

    /// `predicate.name=value` for every observed value worth showing (not the raw match text).
    static func observed(_ outcome: CheckOutcome) -> [String] {
        outcome.outcomes.flatMap { o in
            o.values.filter { $0.key != "matched" && $0.key != "fields" && !$0.value.isEmpty }
                .sorted { $0.key < $1.key }
                .map { "\(o.predicate.id).\($0.key)=\($0.value)" }
        }
    }

    private static func trimmed(_ s: String) -> String {
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.count > 400 ? String(t.suffix(400)) : t
    }
}
