import ArgumentParser
import Foundation
import SwapLabModel
import SwapLabSimulator
import SwapLabKernel
import SwapLabAnalysis
import SwapLabExplain
import SwapLabCourse

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

    /// Called after every command with its words and whether it succeeded (the course checks steps here).
    public var afterCommand: [(_ words: [String], _ succeeded: Bool) -> Void] = []

    public init(session: Session) {
        self.session = session
        CourseSession.attach(to: self)
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

    /// Runs one command given as words. Returns false if it failed.
    @discardableResult
    public func execute(words: [String]) -> Bool {
        guard let name = words.first else { return true }
        guard let entry = CommandRegistry.find(name) else {
            report(CommandRegistry.unknownCommand(name))
            return false
        }
        session.interrupt.clear()
        let arguments = Array(words.dropFirst())
        // A negative number before `--` would reach ArgumentParser as an option; say what is wrong with it instead.
        for word in arguments.prefix(while: { $0 != "--" }) where NegativeNumber.matches(word) {
            if let message = entry.type.negativeNumber(word) {
                report(ShellError.usage(message))
                for hook in afterCommand { hook(words, false) }
                return false
            }
        }
        let command: any ShellCommand
        do {
            let parsed = try entry.type.parseAsRoot(arguments)
            guard let shellCommand = parsed as? any ShellCommand else {
                // A help or version request parsed into ArgumentParser's own command.
                session.output.emit(entry.type.helpMessage(columns: session.output.width))
                session.output.line()
                return true
            }
            command = shellCommand
        } catch {
            let ok = reportParse(error, type: entry.type)
            for hook in afterCommand { hook(words, ok) }
            return ok
        }
        return execute(command, words: words)
    }

    /// Runs a command already parsed (`swaplab doctor` parses it at the top level), reporting a failure the same
    /// way as a typed line. `words` is the line it came from, for the `afterCommand` hooks. Returns false if it
    /// failed.
    @discardableResult
    public func execute(_ command: any ShellCommand, words: [String]) -> Bool {
        session.interrupt.clear()
        var command = command
        do {
            try Self.check(type(of: command), words: words, on: session.engine)
            try command.run(in: session)
            for hook in afterCommand { hook(words, true) }
            return true
        } catch let error as ShellError {
            report(error)
        } catch let error as EngineError {
            report(ShellError(error))
        } catch {
            let ok = reportParse(error, type: type(of: command))
            for hook in afterCommand { hook(words, ok) }
            return ok
        }
        for hook in afterCommand { hook(words, false) }
        return false
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
        if type.exitCode(for: error) == .success {
            let message = type.fullMessage(for: error, columns: session.output.width)
            session.output.emit(message)
            if !message.hasSuffix("\n") { session.output.line() }
            return true
        }
        failures += 1
        var message = type.message(for: error)
        if message.hasPrefix("Error: ") { message.removeFirst(7) }
        if message.isEmpty { message = String(describing: error) }
        let usage = type.usageString().trimmingCharacters(in: .whitespacesAndNewlines)
        let out = session.output
        out.error(out.styled("error:", .red) + " " + message)
        if !usage.isEmpty {
            out.error("usage: \(usage)  (more: \(type.configuration.commandName ?? "") --help)")
        }
        return false
    }

    /// Prints a failure in one place, the same way for every command.
    public func report(_ error: Error) {
        failures += 1
        let text = (error as? ShellError)?.description ?? String(describing: error)
        session.output.error(session.output.styled("error:", .red) + " " + text)
    }
}
