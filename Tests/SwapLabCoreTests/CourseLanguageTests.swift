import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabCourse
@testable import SwapLabModel

/// Issue 12: Korean all the way. The linter rejects English prose in Korean text; observed values read as Korean
/// writes them; progress keeps the numbers the summary shows again.
@Suite struct CourseLanguageTests {
    @Test func lintRejectsEnglishProseInKoreanTextWithFileStepAndWords() throws {
        let bad = goodLesson.replacingOccurrences(
            of: "ko: \"`alloc 1G`를 입력하세요\"", with: "ko: \"`alloc 1G`를 입력하세요. Then wait for kswapd.\"")
        #expect(bad != goodLesson)
        let course = try LessonLoader.loadCourse(from: writeCourse([bad]))
        let issues = LessonLinter.lint(course, knownCommands: commands)
        #expect(issues.count == 1, "\(issues)")
        let issue = try #require(issues.first)
        // The file and line of the step's text, the step's id, and the words.
        #expect(issue.location.hasSuffix("l0/lesson.yaml:12"), "\(issue.location)")
        #expect(
            issue.message
                == "steps[1].text: the ko text of step 'push' has English prose: 'Then wait for kswapd'; write it in "
                + "Korean (commands stay in `backticks`, counter names in **bold**)")
        // The same lesson as written passes.
        #expect(
            LessonLinter.lint(try LessonLoader.loadCourse(from: writeCourse([goodLesson])), knownCommands: commands)
                == [])
    }

    @Test func lintRejectsEnglishProseInATitleAndAHint() throws {
        let bad = goodLesson.replacingOccurrences(of: "ko: 작은 레슨}", with: "ko: A tiny lesson}")
            .replacingOccurrences(of: "ko: \"`alloc 1G`를 해 보세요\"", with: "ko: \"try it with `alloc 1G` now\"")
        let issues = LessonLinter.lint(try LessonLoader.loadCourse(from: writeCourse([bad])), knownCommands: commands)
        #expect(
            issues.map(\.message) == [
                "title: the ko text has English prose: 'A tiny lesson'; write it in Korean (commands stay in "
                    + "`backticks`, counter names in **bold**)",
                "steps[1].hints[0]: the ko text of step 'push' has English prose: 'try it with'; write it in Korean "
                    + "(commands stay in `backticks`, counter names in **bold**)",
            ])
    }

    /// What may stay English in Korean text: code, bold counter names, placeholders, lists, terms of two words, and
    /// a command's output quoted as the English text quotes it.
    @Test(arguments: [
        "`watermarks`를 입력하고 `alloc 1600M --name hog --rate 200M/s`로 할당하세요.",
        "**pgsteal_kswapd** **allocstall_movable** **kswapd low wmark hit quickly**가 늘었습니다.",
        "{waker.comm} {waker.pid} {woke.at} 뒤에 깨어났습니다.",
        "여유공간이 Min, Low, High 순서로 놓입니다. DMA DMA32 Normal zone이 있습니다.",
        "direct reclaim이 일어나면 OOM killer가 나설 수도 있습니다. kswapd running 중에는 page-out 합니다.",
        "4 KiB page 하나, 2 GiB swap, 100 ms nap 동안.",
    ])
    func whatMayStayEnglish(_ ko: String) {
        #expect(LessonLinter.englishProse(in: ko) == [])
    }

    @Test func aQuotedLineMayStayEnglishOnlyWhenTheEnglishTextQuotesItToo() {
        let ko = "'kswapd wakes after … more is allocated' 줄에 필요한 양이 나옵니다."
        let en = "Run `watermarks`: the line 'kswapd wakes after … more is allocated' gives the amount."
        #expect(LessonLinter.englishProse(in: ko, en: en) == [])
        #expect(
            LessonLinter.englishProse(in: ko, en: "Run `watermarks`.") == ["kswapd wakes after", "more is allocated"])
        #expect(LessonLinter.englishProse(in: "kswapd는 이제 goes back to sleep 합니다.") == ["goes back to sleep"])
    }

    @Test func koreanWritesSecondsAsCho() {
        #expect(Template.localized("6.85 s", .ko) == "6.85초")
        #expect(Template.localized("6.85 s", .en) == "6.85 s")
        #expect(Template.localized("12 s", .ko) == "12초")
        // Sizes, pages and names are as recorded.
        #expect(Template.localized("1.56 GiB", .ko) == "1.56 GiB")
        #expect(Template.localized("488", .ko) == "488")
        #expect(Template.localized("hogs", .ko) == "hogs")
        #expect(
            Template.fill("이 단계를 시작하고 {at} 뒤, {free} 페이지", values: ["at": "6.85 s", "free": "488"], language: .ko)
                == "이 단계를 시작하고 6.85초 뒤, 488 페이지")
        #expect(
            Template.fill("{at} after the step began", values: ["at": "6.85 s"], language: .en)
                == "6.85 s after the step began")
    }

    @Test func progressKeepsTheNumbersTheExplanationQuotes() throws {
        let course = try LessonLoader.loadCourse(from: writeCourse([goodLesson]))
        let lesson = try #require(course.lessons.first)
        let step = lesson.steps[1]
        var progress = CourseProgress()
        progress.record(step, of: lesson, skipped: false, language: .en, engine: .sim)
        // The explanation quotes {free} only: low and the prefixed copies are not kept.
        progress.recordObserved(step, of: lesson, values: ["free": "488", "low": "735", "below.free": "488"])
        #expect(progress.lessons["tiny"]?.observed == ["push": ["free": "488"]])
        // It survives the file, and a file with too many values is refused by name.
        let data = try JSONEncoder().encode(progress)
        #expect(try CourseProgress.decode([UInt8](data)).get() == progress)
        var big = progress
        big.lessons["tiny"]?.observed = ["push": Dictionary(uniqueKeysWithValues: (0..<65).map { ("v\($0)", "1") })]
        #expect(
            big.problem()
                == "\"lessons.tiny.observed.push\" holds more than 64 values or one longer than 200 bytes")
        // A step that vanished from the lesson takes its numbers with it.
        var renamed = lesson
        renamed.steps[1].id = "push2"
        var entry = try #require(progress.lessons["tiny"])
        entry.reconcile(with: renamed)
        #expect(entry.observed == [:])
    }

    @Test func theSummaryNamesLessonsNumbersAndLiveStepsInBothLanguages() throws {
        let course = try LessonLoader.loadCourse(from: writeCourse([goodLesson]))
        let lesson = try #require(course.lessons.first)
        var progress = CourseProgress()
        for step in lesson.steps { progress.record(step, of: lesson, skipped: false, language: .en, engine: .sim) }
        progress.recordObserved(lesson.steps[1], of: lesson, values: ["free": "488"])
        progress.lessons["tiny"]?.hintsUsed = ["push": 1]
        let live = [
            CourseSummary.LiveStep(lesson: "tiny", step: "live-a", missing: []),
            CourseSummary.LiveStep(lesson: "tiny", step: "live-b", missing: ["root (run swaplab with sudo)"]),
        ]
        let summary = CourseSummary(course: course, progress: progress, live: live)
        #expect(summary.courseFinished)
        #expect(
            summary.lines(.en).map(\.text) == [
                "★ Course summary: 1 of 1 lessons finished; of 2 steps you passed 2 and skipped 0, with 1 hint.",
                "What you did, and the numbers you saw:",
                "1. ✓ Tiny (2/2)",
                "- push: free 488",
                "Live steps (on your own kernel): this machine allows 1 of 2.",
                "- ✓ can run: tiny/live-a",
                "- ✗ needs root (run swaplab with sudo): tiny/live-b",
                "`doctor` says what this machine allows; `engine live` and `start N` run a live step.",
            ])
        #expect(
            summary.lines(.ko).map(\.text).prefix(4) == [
                "★ 과정 요약: 강 1개 중 1개를 마쳤습니다. 단계 2개 중 2개를 통과했고 0개는 건너뛰었으며, 힌트는 1번 보았습니다.",
                "한 일과 직접 본 숫자:",
                "1. ✓ 작은 레슨 (2/2)",
                "- push: free 488",
            ])
        // Nothing done yet: no star, and the lesson is not marked.
        let fresh = CourseSummary(course: course, progress: CourseProgress(), live: [])
        #expect(!fresh.courseFinished)
        #expect(fresh.lines(.en).map(\.text)[2] == "1. · Tiny (0/2)")
    }
}
