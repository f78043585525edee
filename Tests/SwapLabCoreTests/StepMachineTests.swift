import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabCourse

/// The pure parts of the course (issue 10 part 6): the step machine, where a step runs, grading and the tutor's
/// words, on the shipped lessons.
@Suite struct StepMachineTests {
    static let course = Result {
        try LessonLoader.loadCourse(from: Fixtures.repositoryRoot.appendingPathComponent("Lessons"))
    }

    func lesson(_ id: String) throws -> Lesson { try #require(try Self.course.get().lesson(id)) }

    @Test func nextIsRefusedOnACheckedStepUntilItPassesOrMayBePassedOver() throws {
        let pages = try lesson("pages")
        var m = StepMachine()
        m.begin(lessonAt: 0)
        m.enter(0)
        // A text step: nothing to check.
        #expect(try m.next(in: pages, from: pages.steps[0]) == .step(1))
        m.enter(1)
        #expect(throws: StepRefusal.notDone) { try m.next(in: pages, from: pages.steps[1]) }
        m.makePassable()
        #expect(try m.next(in: pages, from: pages.steps[1]) == .step(2))
        m.enter(3)
        #expect(!m.passable)
        let first = m.pass()
        let again = m.pass()
        #expect(first && !again)
        #expect(try m.next(in: pages, from: pages.steps[3]) == .finished)
        m.finish()
        #expect(m.lessonIndex == nil)
    }

    /// Issue 12: every live step is optional. `next` passes it undone, and a lesson is complete (✓) when every other
    /// step is done or skipped.
    @Test func anOptionalStepMayBeLeftUndoneAndTheLessonIsStillComplete() throws {
        let pages = try lesson("pages")
        let live = try #require(pages.stepIndex("live-watermarks"))
        #expect(pages.steps[live].optional && pages.steps[live].engine == .live)
        #expect(pages.steps.filter(\.optional).map(\.id) == ["live-watermarks"])
        var m = StepMachine()
        m.begin(lessonAt: 0)
        m.enter(live)
        #expect(try m.next(in: pages, from: pages.steps[live]) == .step(live + 1))
        var p = LessonProgress(
            version: pages.version, done: ["page-size", "sim-watermarks"], language: .en, engine: .sim)
        #expect(!p.finished(pages))
        #expect(p.requiredCount(pages) == (2, 3))
        // Opened again without a saved step, the lesson goes on at the next step it needs, past the optional one.
        #expect(StepMachine.openingStep(of: pages, progress: p, requested: nil) == live + 1)
        p.done.append("pages-per-gib")
        #expect(p.finished(pages))
        #expect(p.requiredCount(pages) == (3, 3))
        #expect(StepMachine.startsOver(pages, progress: p))
        // Every live step of the course is optional, and every lesson can be completed on the simulator.
        for lesson in try Self.course.get().lessons {
            for step in lesson.steps where step.engine == .live { #expect(step.optional, "\(lesson.id)/\(step.id)") }
            #expect(lesson.requiredSteps.allSatisfy { $0.engine.allows(.sim) }, "\(lesson.id)")
        }
    }

    @Test func jumpsStayInsideTheLessonAndLeavePlayMode() throws {
        let pages = try lesson("pages")
        var m = StepMachine()
        m.begin(lessonAt: 0)
        m.playing = true
        #expect(throws: StepRefusal.noSuchStep(count: 4)) { try m.jump(to: 4, in: pages) }
        #expect(m.playing)
        let jumped = try m.jump(to: 3, in: pages)
        #expect(jumped == 3)
        #expect(!m.playing)
        #expect(m.previous == 0)
        m.enter(2)
        #expect(m.previous == 1)
    }

    @Test func aLessonOpensAtItsSavedStepElseTheFirstNotDone() throws {
        let pages = try lesson("pages")
        var p = LessonProgress(
            version: 2, done: ["page-size"], skipped: ["sim-watermarks"], language: .en, engine: .sim)
        // Step 3 (index 2) is the optional live step: the first step the lesson still needs is pages-per-gib.
        #expect(StepMachine.openingStep(of: pages, progress: p, requested: nil) == 3)
        #expect(StepMachine.openingStep(of: pages, progress: p, requested: 0) == 0)
        p.current = "sim-watermarks"
        #expect(StepMachine.openingStep(of: pages, progress: p, requested: nil) == 1)
    }

    @Test func skipAnswersAPredictionAndRunsTheSolutionElsewhere() throws {
        let pages = try lesson("pages")
        var m = StepMachine()
        #expect(try m.skip(pages.steps[0], of: pages) == .next)
        #expect(try m.skip(pages.steps[1], of: pages) == .runSolution)
        let predict = try #require(pages.steps.first { $0.kind == .predict })
        #expect(try m.skip(predict, of: pages) == .answer(0))
        m.enter(1)
        _ = m.pass()
        #expect(try m.skip(pages.steps[1], of: pages) == .next)
    }

    @Test func whereAStepRunsFollowsItsEnginesAndTheMissingRequirements() throws {
        let pages = try lesson("pages")
        let simOnly = pages.steps[1]
        let liveOnly = try #require(pages.steps.first { $0.engine == .live })
        let both = pages.steps[0]
        var asked = 0
        func missing(_ what: [String]) -> () -> [String] {
            {
                asked += 1; return what
            }
        }
        #expect(StepRoute.decide(simOnly, on: .sim, missing: missing(["root"])) == .run)
        #expect(StepRoute.decide(liveOnly, on: .sim, missing: missing(["root"])) == .needsLive)
        #expect(StepRoute.decide(simOnly, on: .live, missing: missing(["root"])) == .switchToSimulator)
        #expect(asked == 0)
        #expect(StepRoute.decide(liveOnly, on: .live, missing: missing([])) == .run)
        #expect(StepRoute.decide(liveOnly, on: .live, missing: missing(["root"])) == .readAlong(missing: ["root"]))
        #expect(
            StepRoute.decide(both, on: .live, missing: missing(["swap"])) == .fallBackToSimulator(missing: ["swap"]))
        #expect(asked == 3)
        #expect(StepRoute.switchToSimulator.switchesToSimulator && !StepRoute.switchToSimulator.passable)
        #expect(StepRoute.needsLive.passable && !StepRoute.needsLive.switchesToSimulator)
    }

    @Test func anAttemptIsASucceededMatchingLineThatIsNotAnInspection() throws {
        let kswapd = try lesson("kswapd")
        let step = try #require(kswapd.steps.first { $0.id == "push-below-low" })
        let alloc = CommandOutcome(words: ["alloc", "1600M", "--name", "hog", "--rate", "200M/s"], succeeded: true)
        #expect(Grader.isAttempt(alloc, at: step))
        #expect(!Grader.isAttempt(CommandOutcome(words: alloc.words, succeeded: false), at: step))
        #expect(!Grader.isAttempt(CommandOutcome(words: ["watermarks"], succeeded: true), at: step))
        var m = StepMachine()
        #expect(Grader.checks(after: alloc, at: step, machine: m))
        #expect(!Grader.checks(after: CommandOutcome(words: ["hint"], succeeded: true), at: step, machine: m))
        m.playing = true
        #expect(!Grader.checks(after: alloc, at: step, machine: m))
    }

    @Test func aVerdictSaysWhatTheLearnerHears() throws {
        let feedback = LocalizedText(en: "free {free} is high", ko: "free {free}")
        let failed = CheckOutcome(outcomes: [
            PredicateOutcome(
                predicate: Predicate(id: "a", condition: .oomKill, feedback: feedback), passed: false,
                values: ["free": "983"], time: nil)
        ])
        #expect(
            Grader.verdict(failed, reason: .command(attempt: true), attempts: 2, hintsLeft: true, language: .en)
                == .notYet(feedback: "free 983 is high", offerHint: true))
        #expect(
            Grader.verdict(failed, reason: .command(attempt: true), attempts: 1, hintsLeft: true, language: .en)
                == .notYet(feedback: "free 983 is high", offerHint: false))
        #expect(
            Grader.verdict(failed, reason: .command(attempt: false), attempts: 0, hintsLeft: true, language: .en)
                == .silent)
        #expect(
            Grader.verdict(failed, reason: .check, attempts: 0, hintsLeft: false, language: .ko)
                == .missing(["free 983"]))
        let passed = CheckOutcome(outcomes: [])
        #expect(
            Grader.verdict(passed, reason: .skip, attempts: 0, hintsLeft: false, language: .en)
                == .passed(values: [:], skipped: true))
    }

    @Test func answersAreJudgedAgainstTheChoices() throws {
        let pages = try lesson("pages")
        let predict = try #require(pages.steps.first { $0.kind == .predict })
        #expect(try Grader.judge(answer: 1, at: predict) == .right)
        #expect(try Grader.judge(answer: 3, at: predict) == .wrong(right: 0))
        #expect(throws: StepRefusal.noSuchChoice(count: 3)) { try Grader.judge(answer: 4, at: predict) }
        #expect(throws: StepRefusal.notAQuestion) { try Grader.judge(answer: 1, at: pages.steps[0]) }
    }

    @Test func whatWasShownKeepsItsTail() {
        var window = CheckWindowState()
        let big = String(repeating: "x", count: CommandOutcome.shownLimit)
        window.add(CommandOutcome(words: ["events"], succeeded: true, shown: big))
        window.add(CommandOutcome(words: ["status"], succeeded: true, shown: "end"))
        #expect(window.shown.utf8.count == CommandOutcome.shownLimit / 2)
        #expect(window.shown.hasSuffix("xend"))
        window.clearShown()
        #expect(window.shown.isEmpty)
    }

    @Test func theTutorSpeaksBothLanguages() throws {
        let pages = try lesson("pages")
        #expect(
            Tutor(language: .en).stepHeader(pages, index: 1, engine: .sim)
                == Said("[pages/sim-watermarks] step 2 of 4 · sim", .dim))
        #expect(
            Tutor(language: .ko).stepHeader(pages, index: 1, engine: .live)
                == Said("[pages/sim-watermarks] 4단계 중 2단계 · live", .dim))
        #expect(
            Tutor(language: .en).refusal(.noSuchStep(count: 4)) == "there is no such step; this lesson has steps 1–4")
        #expect(Tutor(language: .en).route(.run) == nil)
        #expect(Tutor.reflow("a\nb\n\n- c\n  d\n1. e") == ["a b", "", "- c d", "1. e"])
        #expect(Tutor.render("  **x** y\n", bold: { "<\($0)>" }) == "<x> y")
    }

    @Test func nextPassesAStepDoneBeforeAndSkipGoesOn() throws {
        let pages = try lesson("pages")
        var m = StepMachine()
        m.begin(lessonAt: 0)
        m.enter(1, doneBefore: true)
        #expect(m.doneBefore && !m.passed)
        #expect(try m.next(in: pages, from: pages.steps[1]) == .step(2))
        #expect(try m.skip(pages.steps[1], of: pages) == .next)
        m.enter(1)
        #expect(throws: StepRefusal.notDone) { try m.next(in: pages, from: pages.steps[1]) }
    }

    @Test func aLessonFinishedBeforeStartsOverAndOnlyThen() throws {
        let pages = try lesson("pages")
        var p = LessonProgress(
            version: 2, current: "pages-per-gib", done: ["sim-watermarks"], language: .en, engine: .sim)
        #expect(!StepMachine.startsOver(pages, progress: p))
        p.completed = true
        #expect(StepMachine.startsOver(pages, progress: p))
        p.completed = nil
        p.done = ["page-size", "sim-watermarks", "pages-per-gib"]
        p.skipped = ["live-watermarks"]
        #expect(StepMachine.startsOver(pages, progress: p))
    }

    @Test func aRecipeKeepsTheLearnersRunOnlyWhereTheSetupWouldReplayIt() throws {
        let kswapd = try lesson("kswapd")
        let push = try #require(kswapd.steps.first { $0.id == "push-below-low" })
        let sleep = try #require(kswapd.steps.first { $0.id == "back-to-sleep" })
        let chart = try #require(kswapd.steps.first { $0.id == "the-chart" })
        var recipe = SetupRecipe()
        #expect(!recipe.meets(push, on: .sim))
        recipe.setUp(push.setup.sim, on: .sim)
        #expect(recipe.meets(push, on: .sim) && !recipe.meets(sleep, on: .sim))
        let alloc = CommandOutcome(words: ["alloc", "1800M", "--name", "mine"], succeeded: true)
        recipe.learnerRan(alloc, graded: true)
        recipe.learnerRan(CommandOutcome(words: ["watermarks"], succeeded: true), graded: false)
        #expect(recipe.ownRun)
        recipe.passed(push, on: .sim)
        #expect(recipe.lines == ["reset", "machine --ram 4G", "alloc 1600M --name hog --rate 200M/s"])
        #expect(recipe.meets(sleep, on: .sim) && !recipe.meets(sleep, on: .live))
        recipe.passed(sleep, on: .sim)
        #expect(recipe.meets(chart, on: .sim))
        // A command after the step passed, outside any check: the state no longer follows from the lines.
        recipe.learnerRan(CommandOutcome(words: ["run", "1s"], succeeded: true), graded: false)
        #expect(recipe.lines == nil && !recipe.meets(chart, on: .sim))
        #expect(SetupRecipe.resets(chart.setup.sim))
        #expect(SetupRecipe.resets(["mark a; machine --ram 2G"]))
        #expect(!SetupRecipe.resets(["alloc 1G", "run 5s"]))
    }

    @Test func theLinterWantsFeedbackOnEachWrongChoiceAHintAndNoWorking() throws {
        var pages = try lesson("pages")
        let i = try #require(pages.stepIndex("pages-per-gib"))
        #expect(LessonLinter.lint(pages, knownCommands: ["watermarks", "reset", "machine", "engine"]) == [])
        pages.steps[i].choices[0] = LocalizedText(
            en: "262144 pages (1073741824 / 4096)", ko: "262144 페이지 (1073741824 / 4096)")
        pages.steps[i].choiceFeedback[2] = nil
        pages.steps[i].hints = []
        let issues = LessonLinter.lint(pages, knownCommands: ["watermarks", "reset", "machine", "engine"])
        #expect(i == 3)
        func at(_ path: String) -> String { pages.location(path) }
        #expect(at("steps[3].choices[0]").hasSuffix("01-pages/lesson.yaml:110"))
        #expect(
            issues.map(\.description) == [
                "\(at("steps[3]")): steps[3]: predict step 'pages-per-gib' has no hints; a second wrong answer "
                    + "shows one, so add one",
                "\(at("steps[3].choices[0]")): steps[3].choices[0]: the en choice shows its own working "
                    + "('262144 pages (1073741824 / 4096)'); leave the arithmetic to the learner",
                "\(at("steps[3].choices[0]")): steps[3].choices[0]: the ko choice shows its own working "
                    + "('262144 페이지 (1073741824 / 4096)'); leave the arithmetic to the learner",
                "\(at("steps[3].choices[2]")): steps[3].choices[2]: a wrong choice has no feedback; say what is "
                    + "wrong with it (feedback: {en: …, ko: …})",
            ])
    }

    @Test func theTutorNamesTheWrongChoiceInBothLanguages() throws {
        let pages = try lesson("pages")
        let quiz = try #require(pages.steps.first { $0.kind == .predict })
        #expect(
            Tutor(language: .en).wrongAnswer(2, of: quiz) == [
                Said("✗ Not 3. 4096 is the size of one page in bytes, not the number of pages in a GiB.", .yellow),
                Said("Try again with `answer N`.", .dim),
            ])
        #expect(
            Tutor(language: .ko).wrongAnswer(1, of: quiz) == [
                Said("✗ 2번은 아닙니다. GiB는 십진수로 딱 떨어지는 수가 아닙니다. 2^30 바이트이고, page는 4096 바이트입니다.", .yellow),
                Said("`answer N`으로 다시 답해 보세요.", .dim),
            ])
        #expect(Tutor(language: .ko).rightAnswer(0, of: quiz) == Said("답은 1번입니다: 262144 페이지"))
        #expect(Tutor(language: .en).refusal(.playing) == "play mode checks nothing; `resume` goes back to the step")
    }
}
