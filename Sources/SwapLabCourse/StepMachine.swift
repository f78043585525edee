import SwapLabModel

/// Why the step machine (or the grader) refused what the learner asked; `Tutor.refusal` words it.
public enum StepRefusal: Error, Sendable, Equatable {
    /// No lesson is in progress.
    case noLesson
    /// `next` on a checked step that has not passed.
    case notDone
    /// `goto`/`back` outside the lesson; it has `count` steps.
    case noSuchStep(count: Int)
    /// `skip` where the lesson forbids it.
    case skipNotAllowed
    /// `answer` on a step that is not a prediction.
    case notAQuestion
    /// `answer N` with N outside 1…count.
    case noSuchChoice(count: Int)
    /// `resume` with no saved lesson.
    case nothingToResume
    /// `answer` or `check` in play mode, which checks nothing.
    case playing
}

/// Where a step runs, decided from the engine the learner is on, the engines the step allows (`engine:`) and what
/// this machine lacks of the step's `requires` (the same verdicts as `doctor`).
public enum StepRoute: Sendable, Equatable {
    /// The step runs on the engine the learner is on.
    case run
    /// On live, a requirement is missing and the step allows the simulator: it runs there instead.
    case fallBackToSimulator(missing: [String])
    /// On live, a requirement is missing and the step is live-only: read it and go on with `next`.
    case readAlong(missing: [String])
    /// On live, the step is simulator-only: the engine switches to the simulator.
    case switchToSimulator
    /// On the simulator, the step is live-only: `engine live` then `retry` to do it, or `next`.
    case needsLive

    /// The route for `step` on `engine`; `missing` is asked only on live for a step that allows live.
    public static func decide(_ step: Step, on engine: CourseEngine, missing: () -> [String]) -> StepRoute {
        switch engine {
        case .live where step.engine.allows(.live):
            let lacking = missing()
            if lacking.isEmpty { return .run }
            return step.engine.allows(.sim) ? .fallBackToSimulator(missing: lacking) : .readAlong(missing: lacking)
        case .live:
            return .switchToSimulator
        case .sim:
            return step.engine.allows(.sim) ? .run : .needsLive
        }
    }

    /// Whether the session moves to the simulator for this step.
    public var switchesToSimulator: Bool {
        switch self {
        case .fallBackToSimulator, .switchToSimulator: return true
        default: return false
        }
    }

    /// Whether the step cannot run here, so `next` may pass over it (its setup and run are left out).
    public var passable: Bool {
        switch self {
        case .readAlong, .needsLive: return true
        default: return false
        }
    }
}

/// The step machine: which lesson and step the learner is on, and what `start`, `next`, `back`, `goto`, `skip`
/// and `play` do to it (tutorial-anchors §4). It holds no lesson text and prints nothing; the course session
/// shows what each move means.
public struct StepMachine: Sendable {
    /// The lesson in progress (index into the course) and its step.
    public private(set) var lessonIndex: Int?
    public private(set) var stepIndex = 0
    /// The current step has passed.
    public private(set) var passed = false
    /// The current step cannot run on this engine (or its solution did not pass here) and `next` may pass over it.
    public private(set) var passable = false
    /// The current step was done (or skipped) before: `next` passes it, and doing it again is checked as ever.
    public private(set) var doneBefore = false
    /// Wrong attempts at the current step.
    public private(set) var attempts = 0
    /// `play`: checks are paused until `resume`, `retry`, `goto` or a new lesson.
    public var playing = false

    public init() {}

    /// Begins the lesson at `index` of the course.
    public mutating func begin(lessonAt index: Int) {
        lessonIndex = index
        playing = false
    }

    /// The step to open `lesson` at: `requested` when given, else the saved current step, else the first step the
    /// lesson needs (not an optional one) neither done nor skipped, else the first.
    public static func openingStep(of lesson: Lesson, progress: LessonProgress, requested: Int?) -> Int {
        if let requested { return requested }
        return progress.current.flatMap { lesson.stepIndex($0) }
            ?? lesson.steps.firstIndex { $0.isRequired && !progress.covers($0) } ?? 0
    }

    /// Whether `start` opens `lesson` again at its first step (the learner finished it before) rather than at its
    /// saved step; `resume` always opens the saved step.
    public static func startsOver(_ lesson: Lesson, progress: LessonProgress) -> Bool {
        progress.completed == true || progress.finished(lesson)
    }

    /// Makes `index` the current step, not passed, with no attempts; `doneBefore` when progress has it done.
    public mutating func enter(_ index: Int, doneBefore: Bool = false) {
        stepIndex = index
        passed = false
        passable = false
        self.doneBefore = doneBefore
        attempts = 0
    }

    /// Lets `next` pass over the current step.
    public mutating func makePassable() { passable = true }

    /// Marks the current step passed; false when it already was (a step passes once).
    public mutating func pass() -> Bool {
        if passed { return false }
        passed = true
        return true
    }

    public mutating func countAttempt() { attempts += 1 }

    /// What `next` leads to.
    public enum Advance: Sendable, Equatable {
        case step(Int)
        /// The lesson is over (`finish()` ends it).
        case finished
    }

    /// Where `next` goes from `step` of `lesson`; refused while a checked step has not passed (a step done before
    /// has; an optional step may be left undone).
    public func next(in lesson: Lesson, from step: Step) throws(StepRefusal) -> Advance {
        if step.isChecked && !passed && !passable && !doneBefore && !step.optional { throw .notDone }
        return stepIndex + 1 < lesson.steps.count ? .step(stepIndex + 1) : .finished
    }

    /// Ends the lesson in progress.
    public mutating func finish() { lessonIndex = nil }

    /// Checks that `index` is a step of `lesson` (for `goto` and `back`) and leaves play mode.
    public mutating func jump(to index: Int, in lesson: Lesson) throws(StepRefusal) -> Int {
        guard index >= 0, index < lesson.steps.count else { throw .noSuchStep(count: lesson.steps.count) }
        playing = false
        return index
    }

    /// The step before this one (the first stays the first).
    public var previous: Int { max(0, stepIndex - 1) }

    /// What `skip` does.
    public enum SkipMove: Sendable, Equatable {
        /// Nothing to solve here: the same as `next`.
        case next
        /// A prediction: answer it with the right choice.
        case answer(Int)
        /// Run the solution and check.
        case runSolution
    }

    /// What `skip` does at `step` of `lesson`; refused where the lesson forbids skipping.
    public func skip(_ step: Step, of lesson: Lesson) throws(StepRefusal) -> SkipMove {
        guard lesson.skipAllowed(step) else { throw .skipNotAllowed }
        if !step.isChecked || passable || passed || doneBefore { return .next }
        if step.kind == .predict, let answer = step.answer { return .answer(answer) }
        return .runSolution
    }
}

/// What the engine's state is known to be made of: the lines the last step setup ran, then the solution of every
/// step passed since (a learner's own commands stand for the solution once the step passes; `lessons test` proves
/// they reach the same check). A step whose setup is exactly these lines starts from the learner's own run
/// instead of resetting it; any other command that may change the engine makes the state unknown.
public struct SetupRecipe: Sendable, Equatable {
    /// The lines, and the engine they ran on; nil when the state is not known to follow from lines.
    public private(set) var lines: [String]?
    public private(set) var engine: CourseEngine?
    /// The learner ran commands that may have changed the engine since the last setup.
    public private(set) var ownRun = false

    public init() {}

    /// A step's setup ran `lines` on `engine`.
    public mutating func setUp(_ lines: [String], on engine: CourseEngine) {
        self.lines = lines
        self.engine = engine
        ownRun = false
    }

    /// `step` passed on `engine`: its solution is now part of the state (a prediction adds nothing).
    public mutating func passed(_ step: Step, on engine: CourseEngine) {
        guard let lines, self.engine == engine else { return forget() }
        self.lines = lines + step.solutionLines(for: engine)
    }

    /// The learner ran `outcome`. A command that may change the engine is part of their own run; unless the step
    /// is still being checked (`graded`: it counts toward the pass), the state no longer follows from the lines.
    public mutating func learnerRan(_ outcome: CommandOutcome, graded: Bool) {
        guard !CommandRoles.inspection.contains(outcome.name), !CommandRoles.course.contains(outcome.name) else {
            return
        }
        ownRun = true
        if !graded { forget() }
    }

    /// The state is no longer known (a command after the step passed, play mode, another engine).
    public mutating func forget() {
        lines = nil
        engine = nil
    }

    /// Whether the state already is what `step`'s setup on `engine` would make, so the setup may be left out.
    public func meets(_ step: Step, on engine: CourseEngine) -> Bool {
        let setup = step.setup.lines(for: engine)
        return !setup.isEmpty && self.engine == engine && lines == setup
    }

    /// Whether `lines` start the engine afresh (`reset` or `machine`), so a learner's own run is cleared.
    public static func resets(_ lines: [String]) -> Bool {
        lines.contains { line in
            line.split(separator: ";").contains {
                let name = $0.split(separator: " ").first.map(String.init)
                return name == "reset" || name == "machine"
            }
        }
    }
}
