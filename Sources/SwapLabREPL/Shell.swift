import ArgumentParser
import Foundation
import SwapLabCourse
import SwapLabModel

/// What a line reader returns.
public enum ReadResult: Equatable, Sendable {
    case line(String)
    /// Ctrl-C at the prompt: the line was dropped.
    case interrupted
    case eof
}

/// Where lines come from: libedit in a terminal, plain reading from a pipe or file, a script in tests.
public protocol LineReader: AnyObject {
    func read(prompt: String) -> ReadResult
    func addHistory(_ line: String)
    /// Saves history and restores the terminal.
    func finish()
}

/// Reads from a fixed list of lines (tests, `-c`, `--script`).
public final class ScriptLineReader: LineReader {
    private var lines: [String]
    public init(lines: [String]) { self.lines = lines }
    public func read(prompt: String) -> ReadResult { lines.isEmpty ? .eof : .line(lines.removeFirst()) }
    public func addHistory(_ line: String) {}
    public func finish() {}
}

/// The read–eval–print loop: tokenizes each line, parses it with the command's ArgumentParser definition,
/// runs it against the session, and reports errors without ever ending the shell on a bad line.
public final class Shell {
    public let session: Session
    /// Number of lines whose command failed.
    public private(set) var failures = 0
    /// Work to do whenever the process leaves (quit, Ctrl-D, end of a script, SIGTERM/SIGHUP, an error): undo
    /// system changes from the restore journal, save state. `SwapLabMain` runs them on every exit path, in order,
    /// once; add to it before the shell starts.
    public var onExit: [(Session) -> Void] = []

    /// Told the outcome of every command (the course grades its steps from them).
    public var hooks: [any ShellHook]

    /// A shell with `hooks`; `Shell(session:)` is the shell swaplab runs, with the course attached.
    public init(session: Session, hooks: [any ShellHook]) {
        self.session = session
        self.hooks = hooks
    }

    /// Runs the `onExit` hooks once (later calls do nothing).
    public func runExitHooks() {
        let hooks = onExit
        onExit = []
        for hook in hooks { hook(session) }
    }

    /// The prompt: `swaplab[sim]> `, coloured when colour is on (escapes wrapped in \1 for libedit's
    /// `EL_PROMPT_ESC`).
    public var prompt: String {
        let text = "swaplab[\(session.engine.rawValue)]>"
        guard session.output.color else { return text + " " }
        return "\u{1}\u{1B}[1;36m\u{1}\(text)\u{1}\u{1B}[0m\u{1} "
    }

    /// Runs lines from `reader` until EOF, `quit`, or SIGTERM/SIGHUP. Returns the process exit status: 0, 1 if any
    /// command failed, 128 + the signal when a signal ended it. With `stopOnFailure`, stops at the first failing line
    /// (`-c`, `--script`). When not `interactive`, Ctrl-C during a command also ends the run (status 130).
    public func run(reader: LineReader, stopOnFailure: Bool = false, interactive: Bool = false) -> Int32 {
        defer { reader.finish() }
        while !session.wantsQuit {
            if let signal = SignalTrap.terminationSignal { return 128 + signal }
            switch reader.read(prompt: prompt) {
            case .eof:
                if let signal = SignalTrap.terminationSignal { return 128 + signal }
                if interactive { session.output.line() }
                return failures > 0 ? 1 : 0
            case .interrupted:
                if interactive { session.output.line("^C") }
                continue
            case .line(let line):
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                reader.addHistory(trimmed)
                let ok = execute(line)
                if let signal = SignalTrap.terminationSignal { return 128 + signal }
                if !interactive && session.interrupted { return 130 }
                if !ok && stopOnFailure { return 1 }
            }
        }
        return failures > 0 ? 1 : 0
    }

    /// Runs every command on `line`. Returns false if a command failed (the error has been printed).
    @discardableResult
    public func execute(_ line: String) -> Bool {
        let commands: [[String]]
        do {
            commands = try Tokenizer.commands(line)
        } catch {
            report(ShellError.usage(error.description))
            return false
        }
        for words in commands {
            if session.wantsQuit || SignalTrap.terminationSignal != nil { break }
            if !execute(words: words) { return false }
            if session.interrupted { break }  // Ctrl-C stops the rest of the line too
        }
        return true
    }

    /// Runs one command given as words. Returns false if it failed. The hooks are told its outcome.
    @discardableResult
    public func execute(words: [String]) -> Bool {
        guard let name = words.first else { return true }
        let ((ok, ran), shown) = session.output.recording { run(words: words, name: name) }
        if ran { tellHooks(words, ok, shown) }
        return ok
    }

    /// Parses and runs `words`: whether it succeeded, and whether a command ran (not for an unknown name or a help
    /// request).
    private func run(words: [String], name: String) -> (ok: Bool, ran: Bool) {
        guard let entry = CommandRegistry.find(name) else {
            report(CommandRegistry.unknownCommand(name))
            return (false, false)
        }
        session.interrupt.clear()
        let arguments = Array(words.dropFirst())
        // A negative number before `--` would reach ArgumentParser as an option; say what is wrong with it instead.
        for word in arguments.prefix(while: { $0 != "--" }) where NegativeNumber.matches(word) {
            if let message = entry.type.negativeNumber(word) {
                report(ShellError.usage((message.en, message.ko)))
                return (false, true)
            }
        }
        let command: any ShellCommand
        do {
            let parsed = try entry.type.parseAsRoot(arguments)
            guard let shellCommand = parsed as? any ShellCommand else {
                // A help or version request parsed into ArgumentParser's own command.
                session.output.fitted(entry.type.helpMessage(columns: session.output.width))
                session.output.line()
                return (true, false)
            }
            command = shellCommand
        } catch {
            return (reportParse(error, type: entry.type), true)
        }
        return (run(command, words: words), true)
    }

    /// Runs a command already parsed (`swaplab doctor` parses it at the top level), reporting a failure the same
    /// way as a typed line. `words` is the line it came from, for the hooks. Returns false if it failed.
    @discardableResult
    public func execute(_ command: any ShellCommand, words: [String]) -> Bool {
        let (ok, shown) = session.output.recording { run(command, words: words) }
        tellHooks(words, ok, shown)
        return ok
    }

    private func run(_ command: any ShellCommand, words: [String]) -> Bool {
        session.interrupt.clear()
        var command = command
        do {
            try Self.check(type(of: command), words: words, on: session.engine)
            try command.run(in: session)
            return true
        } catch {
            // Whatever `run` throws is a run error: its message alone, never a usage line.
            report(error)
            return false
        }
    }

    private func tellHooks(_ words: [String], _ ok: Bool, _ shown: String) {
        let outcome = CommandOutcome(words: words, succeeded: ok, shown: shown)
        for hook in hooks { hook.didRun(outcome) }
    }

    /// Throws unless a command of `type` runs on `engine`: the one place that holds commands to their `engines`.
    /// `words` name the command in the message (`trace on works on the live engine; switch with: engine live`).
    static func check(_ type: any ShellCommand.Type, words: [String], on engine: EngineKind) throws(ShellError) {
        let needed = type.engines
        guard !needed.allows(engine) else { return }
        let own = type.configuration.commandName ?? ""
        let root = words.first.flatMap { CommandRegistry.find($0) }
        let isRoot = root.map { ObjectIdentifier($0.type) == ObjectIdentifier(type) } ?? true
        let name = isRoot ? root?.name ?? own : "\(root?.name ?? "") \(own)"
        throw .needsEngine(needed.rawValue, command: name)
    }

    /// Reports an ArgumentParser outcome: help text for `--help` (success), else the parse error once, worded the
    /// shell's way, then the usage line:
    ///
    ///     error: Unknown option '--jsn'. Did you mean '--json'?
    ///     usage: watermarks [--json]  (more: watermarks --help)
    private func reportParse(_ error: Error, type: any ShellCommand.Type) -> Bool {
        let out = session.output
        switch ErrorPresenter.parseOutcome(error, type: type, columns: out.width) {
        case .help(let message):
            out.fitted(message)
            if !message.hasSuffix("\n") { out.line() }
            return true
        case .failure(let message, let usage):
            failures += 1
            errorLines(message)
            if let usage {
                for l in DisplayWidth.wrap(usage, width: out.width, indent: "       ") { out.error(l) }
            }
            return false
        }
    }

    /// Prints a failure in one place, the same way for every command.
    public func report(_ error: Error) {
        failures += 1
        errorLines(ErrorPresenter.runError(error, language: session.language))
    }

    /// `error: message`, each of its lines wrapped to the output's width (a wrapped line continues indented by two
    /// more than it starts), `error:` styled.
    private func errorLines(_ message: String) {
        let out = session.output
        var first = true
        var lines: [String] = []
        for line in ("error: " + message).split(separator: "\n", omittingEmptySubsequences: false) {
            let indent = String(repeating: " ", count: line.prefix { $0 == " " }.count + 2)
            for l in DisplayWidth.wrap(String(line), width: out.width, indent: indent) {
                lines.append(first && l.hasPrefix("error:") ? out.styled("error:", .red) + l.dropFirst(6) : l)
                first = false
            }
        }
        out.error(lines: lines, recorded: "error: " + message)
    }
}
