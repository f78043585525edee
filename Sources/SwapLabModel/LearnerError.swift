/// An error the learner reads: what went wrong, and what to do about it. Every layer's errors conform (the kernel's,
/// the course's, the simulator's, the shell's), and the shell turns them into text in one place
/// (`ErrorPresenter` in the REPL), so each says what to do next in the same way.
public protocol LearnerError: Error, CustomStringConvertible {
    /// What went wrong, without the advice.
    var problem: String { get }
    /// What to do next, or nil when there is nothing to do but read the problem.
    var remedy: String? { get }
}

/// An error that can also be said in Korean: `sentenceKo` is the whole `problem; remedy` sentence, or nil where
/// only the English has been written (then the English is said).
public protocol SaidInKorean {
    var sentenceKo: String? { get }
}

extension LearnerError {
    public var remedy: String? { nil }
    /// `problem; remedy`, the one-line form every message takes; after a problem of several lines (a list), the
    /// remedy gets a line of its own.
    public var sentence: String {
        guard let remedy else { return problem }
        return problem + (problem.contains("\n") ? "\n" : "; ") + remedy
    }
}
