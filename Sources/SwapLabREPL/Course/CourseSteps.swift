import Foundation
import SwapLabCourse
import SwapLabModel

/// The course's moves, each the step machine's decision carried out: what is said, what runs, what is saved.
extension CourseSession {
    /// Starts `lesson` at step `index`, or at its saved step (or the first not done) when `index` is nil; a lesson
    /// finished before starts again at step 1 unless `resuming`.
    func start(_ lesson: Lesson, at index: Int?, resuming: Bool = false) throws {
        let course = try self.course()
        guard let li = course.lessons.firstIndex(where: { $0.id == lesson.id }) else { return }
        var entry = progress.entry(for: lesson, language: language, engine: engine)
        if entry.version != lesson.version {
            let dropped = entry.reconcile(with: lesson)
            say(tutor.lessonChanged(version: lesson.version, dropped: dropped))
        }
        progress.lessons[lesson.id] = entry
        progress.last = lesson.id
        machine.begin(lessonAt: li)
        let over = index == nil && !resuming && StepMachine.startsOver(lesson, progress: entry)
        let i = over ? 0 : StepMachine.openingStep(of: lesson, progress: entry, requested: index)
        save()
        session.output.line()
        say(tutor.lessonTitle(lesson, number: li + 1))
        if over { say(tutor.startsOver) }
        if let s = lesson.summary { say(s) }
        enter(i)
    }

    /// Shows step `index` of the current lesson: where it runs, its text, its setup, and for observe steps the run.
    func enter(_ index: Int, rerunSetupOnly: Bool = false) {
        guard let lesson, index >= 0, index < lesson.steps.count else { return }
        let step = lesson.steps[index]
        machine.enter(index, doneBefore: progress.isDone(step, of: lesson))
        progress.lessons[lesson.id]?.current = step.id
        progress.lessons[lesson.id]?.engine = engine
        save()

        session.output.line()
        say(tutor.stepHeader(lesson, index: index, engine: engine))
        let route = route(step)
        if let why = tutor.route(route) { say(why) }
        if route.passable { machine.makePassable() }
        if !rerunSetupOnly { say(step.text) }
        if machine.doneBefore, !machine.passable, step.kind != .observe, step.isChecked { say(tutor.doneBefore) }
        if !machine.passable {
            if !rerunSetupOnly, recipe.meets(step, on: engine) {
                // The learner's own run already is the state this setup would replay: keep it.
                voice.note(tutor.keptOwnRun)
                window.start = (try? session.currentTimeline())?.span?.upperBound ?? -Double.infinity
            } else {
                runSetup(step)
            }
        }
        window.clearShown()
        switch step.kind {
        case .predict:
            say(tutor.choices(step))
        case .observe where !machine.passable:
            for line in step.run.lines(for: engine) { runVisibly(line) }
            evaluate(reason: .observe)
        case .text:
            say(tutor.typeNext)
        default:
            break
        }
    }

    /// Runs the step's setup for the current engine quietly; a failing line is reported (errors are never hidden).
    /// The check window starts when it is done.
    func runSetup(_ step: Step) {
        let lines = step.setup.lines(for: engine)
        // A setup line never starts another setup (the loader's allow-list keeps `retry`, `start` and `lessons` out;
        // this guard keeps the stack bounded whatever a course holds).
        if settingUp {
            session.output.error("error: a step's setup cannot start another step's setup; the lesson is broken")
            return
        }
        if !lines.isEmpty {
            // The learner sees what the setup runs, in one line (its output stays quiet; its errors do not), and
            // whether it clears a run of their own.
            voice.note(tutor.setupLine(lines, clearsOwnRun: recipe.ownRun && SetupRecipe.resets(lines)))
            let wasMuted = session.output.muted
            session.output.muted = true
            running = true
            settingUp = true
            for l in lines { shell?.execute(l) }
            settingUp = false
            running = false
            session.output.muted = wasMuted
            recipe.setUp(lines, on: engine)
        }
        window.start = (try? session.currentTimeline())?.span?.upperBound ?? -Double.infinity
    }

    /// Runs `line` on behalf of the learner, echoed with `›`, without counting it as an attempt.
    func runVisibly(_ line: String) {
        voice.echo(line)
        running = true
        shell?.execute(line)
        running = false
    }

    /// Checks the current step's expectation against the timeline and what was shown, and says what it means:
    /// success shows the explanation, a failed attempt the first failing predicate's feedback.
    @discardableResult
    func evaluate(reason: Grader.Reason) -> CheckOutcome? {
        guard let lesson, let step, let expect = step.expect else { return nil }
        var timeline: Timeline?
        var problem: String?
        do { timeline = try session.currentTimeline() } catch { problem = "\(error)" }
        let check = Checker.evaluate(expect, input: window.input(timeline: timeline, problem: problem))
        if !check.passed, reason == .command(attempt: true) { machine.countAttempt() }
        let hintsLeft = step.hints.count > progress.hintsUsed(step, of: lesson)
        switch Grader.verdict(
            check, reason: reason, attempts: machine.attempts, hintsLeft: hintsLeft, language: language)
        {
        case .passed(let values, let skipped):
            succeed(lesson, step, values: values, skipped: skipped)
        case .notYet(let feedback, let offerHint):
            if let feedback { say(tutor.notYet(feedback)) }
            if offerHint { say(tutor.stuck) }
        case .missing(let feedback):
            say(tutor.missing(feedback))
        case .silent:
            break
        }
        return check
    }

    /// The step passed: progress records it, the explanation is shown with the observed values.
    func succeed(_ lesson: Lesson, _ step: Step, values: [String: String], skipped: Bool = false) {
        guard machine.pass() else { return }
        recipe.passed(step, on: engine)
        progress.record(step, of: lesson, skipped: skipped, language: language, engine: engine)
        progress.recordObserved(step, of: lesson, values: values)
        save()
        say(tutor.passed(step))
        if let e = step.explain { voice.say(Template.fill(e[language], values: values, language: language)) }
        say(tutor.afterPass(last: machine.stepIndex + 1 >= lesson.steps.count))
    }

    /// `next`: the next step, or the end of the lesson.
    func next() throws {
        let (lesson, step) = try requireLesson()
        let advance: StepMachine.Advance
        do { advance = try machine.next(in: lesson, from: step) } catch { throw refusal(error) }
        progress.recordRead(step, of: lesson)
        if case .step(let i) = advance {
            enter(i)
            return
        }
        progress.lessons[lesson.id]?.current = nil
        progress.lessons[lesson.id]?.completed = true
        save()
        say(tutor.lessonFinished(lesson))
        if let summary = summary(), summary.courseFinished {
            session.output.line()
            say(summary.lines(language))
        } else if let c = try? course(), let i = machine.lessonIndex, i + 1 < c.lessons.count {
            say(tutor.nextLesson(c.lessons[i + 1], number: i + 2))
        }
        machine.finish()
    }

    /// The course summary from the saved progress, with the live steps this machine allows (`probe`, as `doctor`).
    func summary() -> CourseSummary? {
        guard let c = try? course() else { return nil }
        return CourseSummary(course: c, progress: progress, live: CourseSummary.liveSteps(of: c, probe: probe))
    }

    /// `goto`/`back`: step `index` (from 0), set up again.
    func goTo(_ index: Int) throws {
        let (lesson, _) = try requireLesson()
        let i: Int
        do { i = try machine.jump(to: index, in: lesson) } catch { throw refusal(error) }
        enter(i)
    }

    /// `retry`: the step's setup again.
    func retry() throws {
        _ = try requireLesson()
        machine.playing = false
        enter(machine.stepIndex, rerunSetupOnly: true)
        say(tutor.setUpAgain)
    }

    /// `answer N` (from 1): judged by the grader. The right one passes the step; a wrong one hears what is wrong
    /// with that choice and may try again, and from the second wrong answer on the next hint is shown.
    func answer(_ choice: Int) throws {
        let (lesson, step) = try requireLesson()
        if machine.playing { throw refusal(.playing) }
        let answer: Grader.Answer
        do { answer = try Grader.judge(answer: choice, at: step) } catch { throw refusal(error) }
        if machine.passed {
            say(tutor.alreadyDone)
            return
        }
        guard case .wrong = answer else { return succeed(lesson, step, values: [:]) }
        machine.countAttempt()
        say(tutor.wrongAnswer(choice - 1, of: step))
        if machine.attempts >= 2 { showHint(lesson, step) }
    }

    /// `hint`: the step's next hint (the last one again once all are shown), counted in progress.
    func showHint(_ lesson: Lesson, _ step: Step) {
        guard !step.hints.isEmpty else {
            say(tutor.noHints)
            return
        }
        let used = progress.hintsUsed(step, of: lesson)
        say(tutor.hint(step, number: min(used, step.hints.count - 1) + 1, last: used >= step.hints.count - 1))
        progress.useHint(step, of: lesson)
        save()
    }

    /// `skip`: as `next` where there is nothing to solve; else the right answer, or the solution run and checked.
    func skip() throws {
        let (lesson, step) = try requireLesson()
        let move: StepMachine.SkipMove
        do { move = try machine.skip(step, of: lesson) } catch { throw refusal(error) }
        switch move {
        case .next:
            try next()
        case .answer(let right):
            say(tutor.rightAnswer(right, of: step))
            succeed(lesson, step, values: [:], skipped: true)
        case .runSolution:
            for l in step.solutionLines(for: engine) { runVisibly(l) }
            if evaluate(reason: .skip)?.passed != true {
                say(tutor.solutionDidNotPass)
                machine.makePassable()
            }
        }
    }
}
