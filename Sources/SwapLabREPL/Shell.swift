import ArgumentParser
import Foundation
import SwapLabCore

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

/// Reads lines from standard input without a prompt or escapes (pipes, files, CI).
public final class PlainLineReader: LineReader {
    public init() {}
    public func read(prompt: String) -> ReadResult { Swift.readLine().map(ReadResult.line) ?? .eof }
    public func addHistory(_ line: String) {}
    public func finish() {}
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

    /// Called after every command with its words and whether it succeeded (the course checks steps here).
    public var afterCommand: [(_ words: [String], _ succeeded: Bool) -> Void] = []

    public init(session: Session) {
        self.session = session
        CourseSession.attach(to: self)
    }

    /// The prompt: `swaplab[sim]> `, coloured when colour is on (escapes wrapped for libedit's `EL_PROMPT_ESC`).
    public var prompt: String {
        let text = "swaplab[\(session.engine.rawValue)]>"
        guard session.output.color else { return text + " " }
        return "\u{1}\u{1B}[1;36m\u{1}\(text)\u{1}\u{1B}[0m\u{1} "
    }

    /// Runs lines from `reader` until EOF or `quit`. Returns the process exit status: 0, or 1 if any command failed.
    /// With `stopOnFailure`, stops at the first failing line (`-c`, `--script`).
    public func run(reader: LineReader, stopOnFailure: Bool = false, interactive: Bool = false) -> Int32 {
        defer { reader.finish() }
        while !session.wantsQuit {
            switch reader.read(prompt: prompt) {
            case .eof:
                if interactive { session.output.line() }
                return failures > 0 ? 1 : 0
            case .interrupted:
                if interactive { session.output.line("^C") }
                continue
            case .line(let line):
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                reader.addHistory(line)
                if !execute(line) && stopOnFailure { return 1 }
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
            if session.wantsQuit { break }
            if !execute(words: words) { return false }
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
        do {
            let parsed = try entry.type.parseAsRoot(arguments)
            guard var command = parsed as? any ShellCommand else {
                // A help or version request parsed into ArgumentParser's own command.
                session.output.emit(entry.type.helpMessage(columns: session.output.width))
                session.output.line()
                return true
            }
            try command.run(in: session)
            for hook in afterCommand { hook(words, true) }
            return true
        } catch let error as ShellError {
            report(error)
        } catch {
            let ok = reportParse(error, entry: entry)
            for hook in afterCommand { hook(words, ok) }
            return ok
        }
        for hook in afterCommand { hook(words, false) }
        return false
    }

    /// Reports an ArgumentParser outcome: help text for `--help` (success), else the parse error and usage.
    private func reportParse(_ error: Error, entry: CommandRegistry.Entry) -> Bool {
        let message = entry.type.fullMessage(for: error, columns: session.output.width)
        if entry.type.exitCode(for: error) == .success {
            session.output.emit(message)
            if !message.hasSuffix("\n") { session.output.line() }
            return true
        }
        failures += 1
        let text = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
        session.output.error(session.output.styled("error:", .red) + " " + text)
        session.output.error("(type `\(entry.name) --help` for its options)")
        return false
    }

    /// Prints a failure in one place, the same way for every command.
    public func report(_ error: Error) {
        failures += 1
        let text = (error as? ShellError)?.description ?? String(describing: error)
        session.output.error(session.output.styled("error:", .red) + " " + text)
    }
}
