import SwapLabModel

/// What one shell command did, as the shell hands it to its hooks after the command: its words, whether it
/// succeeded, and what it showed (errors included). The course grades steps from this and the timeline.
public struct CommandOutcome: Sendable, Equatable {
    /// The command's words, its name first (`["alloc", "1600M", "--name", "hog"]`).
    public var words: [String]
    public var succeeded: Bool
    /// What the command showed, errors included: the tail of at most `CommandOutcome.shownLimit` bytes. Lessons'
    /// `output` predicates search it (their patterns are written against the commands' own reports).
    public var shown: String

    public init(words: [String], succeeded: Bool, shown: String = "") {
        self.words = words
        self.succeeded = succeeded
        self.shown = shown
    }

    /// The command's name (`alloc`).
    public var name: String { words.first ?? "" }
    public var arguments: ArraySlice<String> { words.dropFirst() }
    /// The line as the course matches it against a step's `input`.
    public var line: String { words.joined(separator: " ") }

    /// The most text kept of what a command (or a step's commands) showed: past it, the oldest half is dropped.
    public static let shownLimit = 262_144

    /// `text + more`, keeping the tail once it grows past `shownLimit` bytes.
    public static func appending(_ more: String, to text: String) -> String {
        let joined = text + more
        return joined.utf8.count > shownLimit ? String(joined.suffix(shownLimit / 2)) : joined
    }
}

/// The commands the course treats apart: what they are is part of how steps are graded.
public enum CommandRoles {
    /// Commands that only look and never change the engine: they never count as an attempt.
    public static let inspection: Set<String> = [
        "help", "watermarks", "status", "vmstat", "events", "allocs", "doctor", "chart", "explain", "sim", "where",
        "lessons", "hint", "check", "course",
    ]

    /// The course's own commands: the step checks do not run after them (they report by themselves).
    public static let course: Set<String> = [
        "lessons", "start", "next", "back", "goto", "where", "hint", "solution", "skip", "check", "retry", "play",
        "resume", "lang", "answer", "progress", "course",
    ]
}

/// What the current step's check reads besides the timeline: where its window starts and what the learner's
/// commands showed since the step began.
public struct CheckWindowState: Sendable {
    /// Where the window starts on the engine's clock (`-infinity` before the engine had a timeline).
    public var start = -Double.infinity
    /// What the commands since the step began showed (its tail), for `output` predicates.
    public private(set) var shown = ""

    public init() {}

    /// Adds what a command showed.
    public mutating func add(_ outcome: CommandOutcome) { shown = CommandOutcome.appending(outcome.shown, to: shown) }

    /// Forgets what was shown (the step begins now).
    public mutating func clearShown() { shown = "" }

    /// The check's input over `timeline` (or why there is none).
    public func input(timeline: Timeline?, problem: String?) -> CheckInput {
        CheckInput(timeline: timeline, timelineProblem: problem, windowStart: start, output: shown)
    }
}

/// Grading: whether a command counts as an attempt at a step, whether checks run after it, and what an evaluated
/// expectation means for the learner. It reads command outcomes and the timeline (through `Checker`), never the
/// terminal.
public enum Grader {
    /// Why a step is being checked.
    public enum Reason: Sendable, Equatable {
        /// After a learner's command; `attempt` when it is a try at the step (a wrong one counts).
        case command(attempt: Bool)
        /// `check`.
        case check
        /// After an observe step's run.
        case observe
        /// After `skip` ran the solution.
        case skip
    }

    /// What the learner hears about a check.
    public enum Verdict: Sendable, Equatable {
        /// The step passed (`skipped` when `skip` solved it), with the observed values for its explanation.
        case passed(values: [String: String], skipped: Bool)
        /// A wrong attempt: the first failure's feedback, and whether to point at `hint`.
        case notYet(feedback: String?, offerHint: Bool)
        /// `check`, `skip` or an observe step that did not pass: every failure's feedback.
        case missing([String])
        /// Not passed, and nothing to say (a command that was not an attempt).
        case silent
    }

    /// Whether the checks run after `outcome` at `step`: not in play mode, not after the course's own commands,
    /// not once the step passed or may be passed over, and only on command and free steps with an expectation.
    public static func checks(after outcome: CommandOutcome, at step: Step, machine: StepMachine) -> Bool {
        !machine.playing && !CommandRoles.course.contains(outcome.name) && !machine.passed && !machine.passable
            && step.expect != nil && (step.kind == .command || step.kind == .free)
    }

    /// Whether `outcome` is an attempt at `step`: a command step's typed line that succeeded and matches `input`
    /// (through `LinePattern`: no backtracking, time linear in the line's length). Inspection commands never
    /// count as a wrong attempt, even when the step asks for one.
    public static func isAttempt(_ outcome: CommandOutcome, at step: Step) -> Bool {
        guard step.kind == .command, let input = step.input, let pattern = try? LinePattern(input) else { return false }
        return outcome.succeeded && !CommandRoles.inspection.contains(outcome.name) && pattern.matches(outcome.line)
    }

    /// What `check` means for the learner. `attempts` counts this one; `hintsLeft` says whether `hint` has more.
    public static func verdict(
        _ check: CheckOutcome, reason: Reason, attempts: Int, hintsLeft: Bool, language: Language
    ) -> Verdict {
        if check.passed { return .passed(values: check.values, skipped: reason == .skip) }
        switch reason {
        case .command(attempt: true):
            return .notYet(feedback: check.firstFailure?.feedback(language), offerHint: attempts >= 2 && hintsLeft)
        case .check, .skip, .observe:
            return .missing(check.outcomes.filter { !$0.passed }.map { $0.feedback(language) })
        case .command(attempt: false):
            return .silent
        }
    }

    /// How an answer to a prediction fared.
    public enum Answer: Sendable, Equatable {
        case right
        /// Wrong; the right choice (from 0).
        case wrong(right: Int)
    }

    /// Judges `answer N` (from 1) at `step`; refused when the step is no question or N is not a choice.
    public static func judge(answer choice: Int, at step: Step) throws(StepRefusal) -> Answer {
        guard step.kind == .predict, let right = step.answer, step.choices.indices.contains(right) else {
            throw .notAQuestion
        }
        guard choice >= 1, choice <= step.choices.count else { throw .noSuchChoice(count: step.choices.count) }
        return choice - 1 == right ? .right : .wrong(right: right)
    }
}
