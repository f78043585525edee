import Foundation
import SwapLabCourse
import SwapLabModel
import SwapLabTestSupport
import Testing

@testable import SwapLabREPL

/// Issue 12, proof: a learner without root finishes the whole course on the simulator, in English and in Korean,
/// typing each step's solution as a learner would (through the shell), and the course ends on its summary.
@Suite struct CourseFinishTests {
    /// A step the learner may leave: marked `optional: true` (issue 12's "on your own machine" part), read through
    /// the step's fields so this test needs no change when that field lands.
    static func optional(_ step: Step) -> Bool {
        Mirror(reflecting: step).children.first { $0.label == "optional" }.flatMap { $0.value as? Bool } ?? false
    }

    /// A step that a learner without root cannot pass on the simulator and may not leave: live-only and not
    /// optional. Until the live steps become optional twins, these keep their lessons from ✓.
    static func blocking(_ step: Step) -> Bool { !step.engine.allows(.sim) && !optional(step) }

    /// What the learner types in `step`: the answer, the solution lines, or nothing (text, observe, optional and
    /// live-only steps, which `next` passes), then `next`.
    static func typed(_ step: Step) -> [String] {
        if optional(step) || !step.engine.allows(.sim) { return ["next"] }
        switch step.kind {
        case .predict: return ["answer \((step.answer ?? 0) + 1)", "next"]
        case .command, .free: return step.solution.lines(for: .sim) + ["next"]
        case .text, .observe: return ["next"]
        }
    }

    /// Runs the whole course in `language` through a fresh shell; returns the shell's output, the course and the
    /// progress it saved.
    static func finish(_ language: String) throws -> (text: String, course: Course, progress: CourseProgress) {
        let (shell, out, state) = try courseShell(width: 80)
        defer { try? FileManager.default.removeItem(at: state) }
        let learner = try #require(shell.session.course)
        // A learner without root: every live requirement is missing, whatever machine runs the test.
        let w = Words(language: language == "ko" ? .ko : .en)
        learner.probe = { requirement in
            switch requirement {
            case .root: return w("root (run swaplab with sudo)", "root 권한(swaplab을 sudo로 실행)")
            case .tracefs: return w("tracefs (needs root to mount and use it)", "tracefs(마운트하고 쓰려면 root 권한 필요)")
            case .swap: return w("swap (root, to add a swapfile; or swapon)", "swap(swap 파일을 추가할 root 권한, 또는 swapon)")
            }
        }
        let course = try learner.course()
        var failed: [String] = []
        #expect(shell.execute("lang \(language)"))
        for (i, lesson) in course.lessons.enumerated() {
            if !shell.execute("start \(i + 1)") { failed.append("start \(i + 1)") }
            for step in lesson.steps {
                for line in typed(step) where !shell.execute(line) {
                    failed.append("\(lesson.id)/\(step.id): \(line)")
                }
            }
        }
        // Only `next` past a blocking step may be refused (the step is not done).
        #expect(failed.filter { !$0.hasSuffix(": next") } == [], "lines that failed")
        let progress = try ProgressStore.read(state.appendingPathComponent("progress.json"))
        return (out.captured, course, progress)
    }

    @Test(arguments: ["en", "ko"])
    func aLearnerWithoutRootFinishesTheCourseOnTheSimulator(language: String) throws {
        let (text, course, progress) = try Self.finish(language)
        // To read the whole transcript: COURSE_TRANSCRIPT_DIR=/tmp swift test --filter CourseFinishTests
        if let dir = ProcessInfo.processInfo.environment["COURSE_TRANSCRIPT_DIR"] {
            try text.write(toFile: dir + "/course-\(language).txt", atomically: true, encoding: .utf8)
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Every line fits 80 columns, but a trace line, which is printed as trace_pipe prints it.
        let wide = lines.filter { DisplayWidth.of($0) > 80 && !Self.traceLine($0) }
        #expect(wide == [], "lines wider than 80 columns")
        #expect(!text.contains("error:"), "an error in the transcript")
        // A solution of several lines may hear "not yet" before its last line; nothing fails or answers wrongly.
        for failed in ["✗ FAIL", "✗ 아직 통과하지 못했습니다", "✗ Not ", "번은 아닙니다."] {
            #expect(!text.contains(failed), "a failed check or a wrong answer in the transcript")
        }
        let pass = language == "ko" ? "✓ 통과 [" : "✓ PASS ["
        for lesson in course.lessons {
            let blocked = lesson.steps.contains(where: Self.blocking)
            // Every checked step the learner did passed, in the course language.
            for step in lesson.steps where step.isChecked && step.engine.allows(.sim) && !Self.optional(step) {
                #expect(text.contains(pass + step.id + "]"), "\(lesson.id)/\(step.id) did not pass")
            }
            let finished = progress.lessons[lesson.id]?.finished(lesson) == true
            if blocked {
                // Pre-merge: the live steps still block. This turns into a failure to fix once they are optional.
                withKnownIssue("\(lesson.id) still has live-only steps that are not optional") { #expect(finished) }
            } else {
                #expect(finished, "\(lesson.id) is not ✓")
            }
        }
        let summary = language == "ko" ? "★ 과정 요약: 강 10개 중 10개를 마쳤습니다." : "★ Course summary: 10 of 10 lessons finished;"
        if course.lessons.contains(where: { $0.steps.contains(where: Self.blocking) }) {
            withKnownIssue("the course cannot end while live-only steps block") { #expect(text.contains(summary)) }
        } else {
            // The course ends on the summary: it is the last thing said.
            let tail = lines.suffix(from: try #require(lines.lastIndex { $0.contains(summary) }))
            #expect(!tail.contains { $0.contains("━━") }, "the summary is not at the end")
        }
        if language == "ko" { Self.expectKorean(lines) }
    }

    /// A line as trace_pipe prints it: `task-pid [cpu] flags timestamp: event: fields`.
    static func traceLine(_ line: String) -> Bool {
        line.firstMatch(of: #/^\s*\S+-\d+\s+\[\d+\]\s+\S+\s+[0-9.]+: /#) != nil
    }

    /// Every line the course says (`│`) and every command summary in a Korean transcript is Korean prose: the
    /// linter's rule (no three English words in a row outside code, bold and quoted output) holds for each.
    static func expectKorean(_ lines: [String]) {
        let english = lines.filter { line in
            let said = line.hasPrefix("│ ") ? String(line.dropFirst(2)) : line
            return !LessonLinter.englishProse(in: said).isEmpty && !tableHeader(line)
                && !traceLine(line)
        }
        #expect(english == [], "English prose under lang ko")
    }

    /// A table's header row, which may stay English: column names only, two spaces or more apart.
    static func tableHeader(_ line: String) -> Bool {
        let cells = line.split(separator: "  ", omittingEmptySubsequences: true).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        return cells.count >= 4 && cells.allSatisfy { !$0.contains(" ") }
    }
}
