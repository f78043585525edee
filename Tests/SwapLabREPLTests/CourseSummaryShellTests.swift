import Foundation
import SwapLabCourse
import SwapLabModel
import SwapLabTestSupport
import Testing

@testable import SwapLabREPL

/// Issue 12 through the shell: `lessons` with progress bars, the summary at the end of the course and by
/// `course summary`, and command reports in Korean that are graded in English.
@Suite struct CourseSummaryShellTests {
    /// A two-lesson course in a temporary folder: a question, then a step that needs an allocation.
    static func tinyCourse() throws -> Course {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-tiny-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let quiz = """
            format: 1
            id: quiz
            version: 1
            title: {en: A question, ko: 질문 하나}
            steps:
              - id: ask
                kind: predict
                text: {en: "Pick one.", ko: "하나를 고르세요."}
                choices:
                  - {en: "right", ko: "맞음"}
                  - {en: "wrong", ko: "틀림", feedback: {en: "No.", ko: "아닙니다."}}
                answer: 0
                hints: [{en: "The first.", ko: "첫 번째입니다."}]
            """
        let alloc = """
            format: 1
            id: alloc
            version: 1
            title: {en: An allocation, ko: 할당 하나}
            steps:
              - id: write
                kind: command
                input: "alloc .*"
                text: {en: "Type `alloc 100M`.", ko: "`alloc 100M`을 입력하세요."}
                setup: {sim: ["reset"]}
                expect:
                  all:
                    - id: wrote
                      output: {matches: "wrote (?<size>[0-9.]+ [KMGT]?i?B)"}
                hints: [{en: "`alloc 100M`", ko: "`alloc 100M`"}]
                solution: {sim: ["alloc 100M"]}
                explain: {en: "It wrote {size} in {wrote.size}.", ko: "{size}를 썼습니다 ({wrote.size})."}
            """
        for (name, text) in [("quiz", quiz), ("alloc", alloc)] {
            try FileManager.default.createDirectory(
                at: dir.appendingPathComponent(name), withIntermediateDirectories: true)
            try text.write(to: dir.appendingPathComponent("\(name)/lesson.yaml"), atomically: true, encoding: .utf8)
        }
        try "format: 1\nlessons:\n  - quiz/lesson.yaml\n  - alloc/lesson.yaml\n".write(
            to: dir.appendingPathComponent("index.yaml"), atomically: true, encoding: .utf8)
        let course = try LessonLoader.loadCourse(from: dir)
        #expect(course.errors.isEmpty)
        return course
    }

    static func shell(_ course: Course) -> (Shell, Output) {
        let out = Output(capturingWidth: 80)
        let session = Session(output: out, stateDirectory: testStateDirectory())
        let shell = Shell(session: session)
        session.course?.use(course)
        session.course?.probe = { $0 == .root ? "root (run swaplab with sudo)" : nil }
        return (shell, out)
    }

    @Test func barsShowProgressPerLessonAndForTheCourse() {
        #expect(CourseMenu.bar(0, of: 4, width: 10) == "░░░░░░░░░░ 0/4  ")
        #expect(CourseMenu.bar(3, of: 4, width: 10) == "███████░░░ 3/4  ")
        #expect(CourseMenu.bar(4, of: 4, width: 10) == "██████████ 4/4  ")
        // Rounded down: only a finished lesson is full.
        #expect(CourseMenu.bar(43, of: 44, width: 30).hasPrefix(String(repeating: "█", count: 29) + "░ 43/44"))
        #expect(CourseMenu.bar(0, of: 0, width: 4) == "░░░░ 0/0  ")
    }

    @Test(arguments: ["en", "ko"])
    func finishingTheCourseEndsOnItsSummary(language: String) throws {
        let (shell, out) = Self.shell(try Self.tinyCourse())
        for line in ["lang \(language)", "start 1", "answer 1", "next"] { #expect(shell.execute(line)) }
        #expect(shell.execute("lessons"))
        let menu = out.takeCaptured()
        #expect(menu.contains("  1. ✓ ██████████ 1/1    "))
        #expect(menu.contains("  2. · ░░░░░░░░░░ 0/1    "))
        #expect(
            menu.contains(
                language == "ko"
                    ? "전체 ███████████████░░░░░░░░░░░░░░░ 1/2단계 · 강 1/2개 마침"
                    : "course ███████████████░░░░░░░░░░░░░░░ 1/2 steps · 1/2 lessons finished"))
        for line in ["start 2", "alloc 100M", "next"] { #expect(shell.execute(line)) }
        let end = out.takeCaptured()
        let expected =
            language == "ko"
            ? """
            │ ★ 강 완료: 할당 하나.

            │ ★ 과정 요약: 강 2개 중 2개를 마쳤습니다. 단계 2개 중 2개를 통과했고 0개는
            │ 건너뛰었으며, 힌트는 0번 보았습니다.
            │ 한 일과 직접 본 숫자:
            │ 1. ✓ 질문 하나 (1/1)
            │ 2. ✓ 할당 하나 (1/1)
            │ - write: size 100 MiB · wrote.size 100 MiB

            """
            : """
            │ ★ Lesson finished: An allocation.

            │ ★ Course summary: 2 of 2 lessons finished; of 2 steps you passed 2 and skipped
            │ 0, with 0 hints.
            │ What you did, and the numbers you saw:
            │ 1. ✓ A question (1/1)
            │ 2. ✓ An allocation (1/1)
            │ - write: size 100 MiB · wrote.size 100 MiB

            """
        #expect(end.hasSuffix(expected), "\(end)")
        // `course summary` says it again.
        #expect(shell.execute("course summary"))
        let again = out.takeCaptured()
        #expect(again.hasPrefix(language == "ko" ? "│ ★ 과정 요약: " : "│ ★ Course summary: "))
        #expect(expected.hasSuffix(again))
    }

    /// Under `lang ko` the report is Korean, and the step's English `output` pattern still passes: the shell
    /// grades the English report.
    @Test func aKoreanReportIsGradedInEnglish() throws {
        let (shell, out) = Self.shell(try Self.tinyCourse())
        #expect(shell.execute("lang ko; start 2"))
        _ = out.takeCaptured()
        let (ok, shown) = out.recording { shell.execute("alloc 100M") }
        #expect(ok)
        #expect(shown.hasPrefix("hog (pid 1000): wrote 100 MiB in "))
        let said = out.takeCaptured()
        #expect(said.hasPrefix("hog (pid 1000): 시뮬레이션 시간 "))
        #expect(said.contains("100 MiB를 썼습니다\n"))
        #expect(said.contains("│ ✓ 통과 [write]\n│ 100 MiB를 썼습니다 (100 MiB).\n"))
    }
}
