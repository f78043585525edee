import Foundation
import SwapLabAnalysis
import SwapLabCourse
import SwapLabModel
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
        #expect(!out.takeCaptured().contains("PASS"))
        #expect(shell.execute("answer 1"))
        let text = out.takeCaptured()
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

    /// Issue 12, lesson 3: its first figure is the notes' saw-tooth on one zone. Run as the lesson runs it (the
    /// step's setup, then its solution), kswapd wakes with Normal at or below Low and sleeps with the same zone above
    /// High, at least three times. The marks, worked out by hand for `--zones Normal=262144 --wsf 1000`:
    /// min = 4096 KiB / 4 KiB = 1024 pages (min_free_kbytes 4096 for 1 GiB by the kernel's sqrt rule: sqrt(1048576 *
    /// 16) = 4096), gap = 262144 × 1000 / 10000 = 26214, low = 27238, high = 53452.
    @Test func lessonThreeDrawsTheSawToothOnOneZone() throws {
        let (shell, _, _) = try courseShell(width: 100)
        let course = try LessonLoader.loadCourse(from: Fixtures.repositoryRoot.appendingPathComponent("Lessons"))
        let kswapd = try #require(course.lesson("kswapd"))
        #expect(kswapd.steps.prefix(3).map(\.id) == ["timeline", "saw-tooth", "saw-tooth-chart"])
        let step = kswapd.steps[1]
        for line in step.setup.sim + step.solutionLines(for: .sim) { #expect(shell.execute(line), "\(line)") }
        let timeline = try shell.session.currentTimeline()
        func normal(at t: Double) throws -> ZoneSample {
            let sample = try #require(timeline.samples.last { $0.time <= t })
            return try #require(sample.zones.first { $0.zone == .normal })
        }
        let cycles = TimelineAnalysis(timeline).cycles
        #expect(cycles.count == 3)
        for cycle in cycles {
            let wake = try normal(at: try #require(cycle.wake))
            let sleep = try normal(at: try #require(cycle.sleep))
            #expect(wake.low.count == 27238 && wake.high.count == 53452)
            #expect(wake.free.count <= 27238, "▲ at \(cycle.wake ?? 0): free \(wake.free.count)")
            #expect(sleep.free.count > 53452, "▼ at \(cycle.sleep ?? 0): free \(sleep.free.count)")
        }
    }

    /// One full lesson through the plain-mode shell, in each language, compared with a snapshot.
    @Test(arguments: ["en", "ko"])
    func transcriptOfTheKswapdLesson(language: String) throws {
        let (shell, out, _) = try courseShell(width: 80)
        let lines = [
            "lang \(language)", "start kswapd", "next", "alloc 900M --name hog --rate 100M/s", "run 2s", "next", "next",
            "next", "watermarks", "alloc 1600M --name hog --rate 200M/s", "next", "run 5s", "next", "next", "explain",
            "next", "next",
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
        let pass = language == "ko" ? "✓ 통과" : "✓ PASS"
        #expect(text.contains("\(pass) [push-below-low]"))
        #expect(text.contains("\(pass) [back-to-sleep]"))
        #expect(text.contains("\(pass) [saw-tooth]"))
        #expect(text.contains("\(pass) [cycle-in-words]"))
    }

    /// `lessons test --wrong` over the built-in course: every quiz rejects each wrong choice, then passes.
    @Test func everyQuizRejectsEachWrongChoice() throws {
        let course = try LessonLoader.loadCourse(from: Fixtures.repositoryRoot.appendingPathComponent("Lessons"))
        let out = Output(capturingWidth: 100)
        let report = LessonTester.testQuizzes(course, output: out)
        #expect(report.failed == 0)
        #expect(
            out.captured == """
                ✓ PASS pages/pages-per-gib: rejects 2, 3; accepts 1
                ✓ PASS watermarks/protection-quiz: rejects 2, 3; accepts 1
                ✓ PASS watermarks/predict-wsf: rejects 2, 3; accepts 1
                ✓ PASS oom/with-swap: rejects 2, 3; accepts 1
                ✓ PASS trace/pipe-quiz: rejects 2, 3; accepts 1
                ✓ PASS trace/tracefs-quiz: rejects 2, 3; accepts 1
                ✓ PASS tuning/predict-min-free: rejects 2, 3; accepts 1
                lessons test --wrong: 7 of 7 quizzes reject each of their wrong choices (14 in all)

                """)
        // Through the command, one lesson.
        let (shell, shown, _) = try courseShell(width: 100)
        #expect(shell.execute("lessons test --wrong oom"))
        #expect(
            shown.takeCaptured() == """
                ✓ PASS oom/with-swap: rejects 2, 3; accepts 1
                lessons test --wrong: 1 of 1 quizzes reject each of their wrong choices (2 in all)

                """)
        #expect(!shell.execute("lessons --wrong"))
        #expect(shown.takeCaptured() == "error: --wrong goes with test: lessons test --wrong [ID]\n")
    }

    /// The tester follows each quiz's `answer`, and fails a quiz that cannot be passed.
    @Test func theQuizTesterFollowsTheAnswerAndCanFail() throws {
        var course = try LessonLoader.loadCourse(from: Fixtures.repositoryRoot.appendingPathComponent("Lessons"))
        let li = try #require(course.lessons.firstIndex { $0.id == "pages" })
        let si = try #require(course.lessons[li].stepIndex("pages-per-gib"))
        course.lessons[li].steps[si].answer = 2
        let report = LessonTester.testQuizzes(course, only: "pages", output: Output(capturingWidth: 100))
        #expect(report.lines == ["✓ PASS pages/pages-per-gib: rejects 1, 2; accepts 3"])
        // With its choices gone, nothing can pass it: the tester says so.
        course.lessons[li].steps[si].choices = []
        let broken = LessonTester.testQuizzes(course, only: "pages", output: Output(capturingWidth: 100))
        #expect(broken.failed == 1)
        #expect(broken.lines.first?.hasPrefix("✗ FAIL pages/pages-per-gib: ") == true)
    }

    /// Issue 12, quizzes: a wrong answer hears what is wrong with that choice and may try again; the second shows
    /// the hint; only the right answer passes.
    @Test func aWrongAnswerGetsFeedbackARetryAndAfterTheSecondTheHint() throws {
        let (shell, out, _) = try courseShell(width: 100)
        #expect(shell.execute("start pages; goto pages-per-gib"))
        _ = out.takeCaptured()
        #expect(shell.execute("answer 2"))
        #expect(
            out.takeCaptured() == """
                │ ✗ Not 2. A GiB is not a round decimal number; it is 2^30 bytes, and a page is 4096 bytes.
                │ Try again with `answer N`.

                """)
        #expect(!shell.execute("next"))
        #expect(out.takeCaptured() == "error: this step is not done yet; try `hint`, `check`, or `skip`\n")
        #expect(shell.execute("answer 3"))
        #expect(
            out.takeCaptured() == """
                │ ✗ Not 3. 4096 is the size of one page in bytes, not the number of pages in a GiB.
                │ Try again with `answer N`.
                │ 💡 hint 1/1: Divide the bytes in a GiB (2^30) by the bytes in a page (2^12).
                │ (that is the last hint; `solution` shows the answer)

                """)
        #expect(shell.execute("answer 1"))
        #expect(
            out.takeCaptured() == """
                │ ✓ PASS [pages-per-gib]
                │ One GiB is 2^30 bytes and a page is 2^12 bytes, so a GiB is 2^18 = 262144 pages.
                │ That was the last step. Type `next` to finish the lesson.

                """)
        let course = try #require(shell.session.course)
        #expect(course.progress.lessons["pages"]?.done == ["pages-per-gib"])
        #expect(course.progress.lessons["pages"]?.hintsUsed == ["pages-per-gib": 1])
    }

    @Test func aWrongAnswerInKoreanAndSkipNamesTheAnswer() throws {
        let (shell, out, _) = try courseShell(width: 100)
        #expect(shell.execute("lang ko; start oom; goto with-swap"))
        _ = out.takeCaptured()
        #expect(shell.execute("answer 3; skip"))
        #expect(
            out.takeCaptured() == """
                │ ✗ 3번은 아닙니다. 리눅스는 요청을 처음부터 거절하지 않습니다. 페이지는 건드릴 때 주어지고, 회수가
                │ 자리를 만듭니다.
                │ `answer N`으로 다시 답해 보세요.
                │ 답은 1번입니다: 메모리 일부가 swap-out 되고, hog는 느려지지만 살아남는다.
                │ ✓ 통과 [with-swap]
                │ 이제 RAM과 swap을 합치면 프로그램들이 필요한 것보다 크므로, swap-out으로 자리를 만들 수 있습니다.
                │ 다음 단계에서 직접 확인해 봅시다.
                │ `next`를 입력하면 다음으로 넘어갑니다.

                """)
        let course = try #require(shell.session.course)
        #expect(course.progress.lessons["oom"]?.skipped == ["with-swap"])
        #expect(course.progress.lessons["oom"]?.done == [])
    }

    /// Issue 12, navigation: `start N` on a finished lesson begins at step 1 and says so; `resume` keeps the step.
    @Test func startOnAFinishedLessonBeginsAtStepOneAndSaysSo() throws {
        let (shell, out, _) = try courseShell(width: 100)
        #expect(shell.execute("start pages; next; watermarks; next; next; answer 1; next"))
        #expect(out.takeCaptured().contains("│ ★ Lesson finished: Pages and free memory.\n"))
        #expect(shell.session.course?.progress.lessons["pages"]?.completed == true)
        #expect(shell.execute("start 1"))
        let text = out.takeCaptured()
        #expect(
            text.hasPrefix(
                """

                │ ━━ 1. Pages and free memory ━━
                │ You finished this lesson before, so it starts again at step 1 (your progress is kept).
                │ The kernel counts memory in 4 KiB pages, and it counts free memory per zone.

                │ [pages/page-size] step 1 of 4 · sim

                """))
        #expect(shell.execute("lang ko; goto 3; start 1"))
        #expect(out.takeCaptured().contains("│ 이 강은 이미 마쳤으므로 1단계부터 다시 시작합니다 (진행 상황은 그대로 둡니다).\n"))
        // `resume` opens the saved step, finished or not.
        #expect(shell.execute("goto 2; resume"))
        #expect(!out.takeCaptured().contains("이 강은 이미 마쳤으므로"))
    }

    /// Issue 12, navigation: `back` then `next` passes the step done before, which may still be done again.
    @Test func backThenNextPassesAStepAlreadyDone() throws {
        let (shell, out, _) = try courseShell(width: 100)
        #expect(shell.execute("start kswapd; goto push-below-low; alloc 1600M --name hog --rate 200M/s; next"))
        #expect(shell.execute("back"))
        let back = out.takeCaptured()
        #expect(back.contains("│ ✓ You did this step before: do it again, or type `next`.\n"))
        #expect(shell.execute("next"))
        #expect(out.takeCaptured().contains("[kswapd/back-to-sleep] step 6 of 9"))
        // Doing a step again is checked as ever.
        #expect(shell.execute("back; alloc 1600M --name hog --rate 200M/s"))
        #expect(out.takeCaptured().contains("│ ✓ PASS [push-below-low]\n"))
    }

    /// Issue 12, navigation: a setup that would only replay the learner's own run keeps it; one that clears it says
    /// so in its one line.
    @Test func aSetupKeepsTheLearnersOwnRunOrSaysItClearsIt() throws {
        let (shell, out, _) = try courseShell(width: 120)
        #expect(shell.execute("start kswapd; goto push-below-low; alloc 1800M --name mine --rate 300M/s; next"))
        let kept = out.takeCaptured()
        #expect(kept.contains("│ ✓ PASS [push-below-low]"))
        #expect(kept.hasSuffix("│ Your own run carries on into this step (`retry` sets it up afresh).\n"))
        // The chart two steps on draws the learner's own allocation, not the setup's.
        #expect(shell.execute("run 5s; next"))
        let chart = out.takeCaptured()
        #expect(chart.contains("│ Your own run carries on into this step (`retry` sets it up afresh).\n"))
        #expect(chart.contains("│alloc mine 1.76 GiB"))
        #expect(!chart.contains("alloc hog"))
        // Going back replays the setup over the learner's run: its one line says so.
        #expect(shell.execute("back"))
        #expect(
            out.takeCaptured().contains(
                "│ setup (a fresh machine; what you ran is cleared): reset; machine --ram 4G; "
                    + "alloc 1600M --name hog --rate 200M/s\n"))
        // Passing it again leads to the chart's own state: kept. `retry` clears it (and says so); a second `retry`
        // has nothing of theirs to clear.
        #expect(shell.execute("run 5s; next"))
        #expect(out.takeCaptured().contains("│ Your own run carries on into this step"))
        #expect(shell.execute("retry"))
        // One line: clipped to the terminal (120 columns at most).
        #expect(
            out.takeCaptured().contains(
                "│ setup (a fresh machine; what you ran is cleared): reset; machine --ram 4G; "
                    + "alloc 1600M --name hog --rate 200M/s; run …\n"))
        #expect(shell.execute("retry"))
        #expect(
            out.takeCaptured().contains(
                "│ setup: reset; machine --ram 4G; alloc 1600M --name hog --rate 200M/s; run 5s\n"))
    }

    /// Issue 12: play mode checks nothing, not even `answer` or `check`.
    @Test func playModeChecksNothing() throws {
        let (shell, out, _) = try courseShell(width: 100)
        #expect(shell.execute("start pages; goto pages-per-gib; play"))
        _ = out.takeCaptured()
        #expect(!shell.execute("answer 1"))
        #expect(out.takeCaptured() == "error: play mode checks nothing; `resume` goes back to the step\n")
        #expect(!shell.execute("check"))
        #expect(out.takeCaptured() == "error: play mode checks nothing; `resume` goes back to the step\n")
        #expect(shell.execute("goto sim-watermarks; play; watermarks"))
        #expect(!out.takeCaptured().contains("PASS"))
        #expect(shell.session.course?.progress.lessons["pages"]?.done == [])
        #expect(shell.execute("resume; watermarks"))
        #expect(out.takeCaptured().contains("│ ✓ PASS [sim-watermarks]\n"))
    }
}
