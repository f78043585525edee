/// An error the learner reads: what went wrong, and what to do about it. Every layer's errors conform (the kernel's,
/// the course's, the simulator's, the shell's), and the shell turns them into text in one place
/// (`ErrorPresenter` in the REPL), so each says what to do next in the same way.
public protocol LearnerError: Error, CustomStringConvertible {
    /// What went wrong, without the advice.
    var problem: String { get }
    /// What to do next, or nil when there is nothing to do but read the problem.
    var remedy: String? { get }
    /// Whether the words on the line were wrong (the shell adds the command's usage line) rather than what running
    /// it met.
    var isUsage: Bool { get }
}

extension LearnerError {
    public var remedy: String? { nil }
    public var isUsage: Bool { false }
    /// `problem; remedy`, the one-line form every message takes.
    public var sentence: String { remedy.map { "\(problem); \($0)" } ?? problem }
}
