import Foundation
import SwapLabModel
import SwapLabCourse

/// The course's moves, each the step machine's decision carried out: what is said, what runs, what is saved.
extension CourseSession {
    /// Starts `lesson` at step `index`, or at its saved step (or the first not done) when `index` is nil.
    func start(_ lesson: Lesson, at index: Int?) throws {
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
        let i = StepMachine.openingStep(of: lesson, progress: entry, requested: index)
        save()
        session.output.line()
        say(tutor.lessonTitle(lesson, number: li + 1))
        if let s = lesson.summary { say(s) }
        enter(i)
    }

    /// Shows step `index` of the current lesson: where it runs, its text, its setup, and for observe steps the run.
    func enter(_ index: Int, rerunSetupOnly: Bool = false) {
        guard let lesson, index >= 0, index < lesson.steps.count else { return }
        machine.enter(index)
        let step = lesson.steps[index]
        progress.lessons[lesson.id]?.current = step.id
        progress.lessons[lesson.id]?.engine = engine
        save()

        session.output.line()
        say(tutor.stepHeader(lesson, index: index, engine: engine))
        let route = route(step)
        if let why = tutor.route(route) { say(why) }
        if route.passable { machine.makePassable() }
        if !rerunSetupOnly { say(step.text) }
        if !machine.passable { runSetup(step) }
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
            // The learner sees what the setup runs, in one line (its output stays quiet; its errors do not).
            voice.note(tutor.setupLine(lines))
            let wasMuted = session.output.muted
            session.output.muted = true
            running = true
            settingUp = true
            for l in lines { shell?.execute(l) }
            settingUp = false
            running = false
            session.output.muted = wasMuted
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
        progress.record(step, of: lesson, skipped: skipped, language: language, engine: engine)
        save()
        say(tutor.passed(step))
        if let e = step.explain { voice.say(Template.fill(e[language], values: values)) }
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
        save()
        say(tutor.lessonFinished(lesson))
        if let c = try? course(), let i = machine.lessonIndex, i + 1 < c.lessons.count {
            say(tutor.nextLesson(c.lessons[i + 1], number: i + 2))
        }
        machine.finish()
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

    /// `answer N` (from 1): judged by the grader; a wrong answer names the right one, and the step passes.
    func answer(_ choice: Int) throws {
        let (lesson, step) = try requireLesson()
        let answer: Grader.Answer
        do { answer = try Grader.judge(answer: choice, at: step) } catch { throw refusal(error) }
        if case .wrong(let right) = answer { say(tutor.rightAnswer(right)) }
        succeed(lesson, step, values: [:])
    }

    /// `skip`: as `next` where there is nothing to solve; else the right answer, or the solution run and checked.
    func skip() throws {
        let (lesson, step) = try requireLesson()
        let move: StepMachine.SkipMove
        do { move = try machine.skip(step, of: lesson) } catch { throw refusal(error) }
        switch move {
        case .next:
            try next()
        case .answer:
            succeed(lesson, step, values: [:])
        case .runSolution:
            for l in step.solutionLines(for: engine) { runVisibly(l) }
            if evaluate(reason: .skip)?.passed != true {
                say(tutor.solutionDidNotPass)
                machine.makePassable()
            }
        }
    }
}
