import ArgumentParser
import SwapLabCore

/// A command of the swaplab shell. Parsed by ArgumentParser (so it has `--help`, a usage line and
/// "did you mean" errors) and run against the session.
public protocol ShellCommand: ParsableCommand {
    /// Runs the command. Throw a `ShellError` (or any error) to report a failure; the shell carries on.
    mutating func run(in session: Session) throws
}

extension ShellCommand {
    /// Shell commands run through `run(in:)`; ArgumentParser's own `run()` is never called.
    public mutating func run() throws {
        throw ShellError.usage("this command runs inside the swaplab shell")
    }
}

/// How `help` groups commands.
public enum CommandGroup: String, CaseIterable, Sendable {
    case shell = "The shell"
    case look = "Look at memory"
    case act = "Make things happen"
    case trace = "Trace and explain"
    case course = "The course"
    case system = "This machine"
}

/// A failure a command reports to the learner: what went wrong and what to do next, in one sentence each.
public enum ShellError: Error, CustomStringConvertible {
    /// Wrong words on the line.
    case usage(String)
    /// The command needs the other engine (`engine live` / `engine sim`).
    case needsEngine(String, command: String)
    /// Something on the machine is missing (root, tracefs, swap); the text says what and what to do.
    case unavailable(String)
    /// Any other failure, already worded for the learner.
    case failed(String)

    public var description: String {
        switch self {
        case .usage(let s), .unavailable(let s), .failed(let s): return s
        case .needsEngine(let engine, let command):
            return "\(command) works on the \(engine) engine; switch with: engine \(engine)"
        }
    }
}
