import ArgumentParser
import Foundation
import SwapLabCore

/// The `swaplab` command line: flags, then either one shell command, `-c`, `--script`, or the interactive shell.
public struct SwapLabMain: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "swaplab",
        abstract: "An interactive shell that teaches how Linux reclaims memory.",
        discussion: """
            With no command, opens the shell. With a command (`swaplab doctor`, `swaplab explain --trace FILE`, \
            `swaplab restore`), runs it and exits.
            """)

    @Option(name: .shortAndLong, help: "Run these commands (separated by ;) and exit.")
    var command: String?

    @Option(
        name: .long, help: "Run the commands in FILE (one a line, # comments allowed) and exit.",
        completion: .file())
    var script: String?

    @Option(name: .long, help: "Colour: auto (when writing to a terminal and NO_COLOR is unset), on or off.")
    var color: Output.ColorMode = .auto

    @Option(name: .long, help: "Read lessons from DIR.")
    var lessons: String?

    @Flag(name: .long, help: "Read lines plainly even in a terminal (no line editing).")
    var noEdit = false

    @Argument(parsing: .captureForPassthrough, help: "A shell command to run, with its arguments.")
    var words: [String] = []

    public init() {}

    public mutating func run() throws {
        let output = Output(mode: color)
        let session = Session(output: output)
        SignalTrap.install(interrupt: session.interrupt)
        if let lessons { setenv("SWAPLAB_LESSONS", lessons, 1) }
        let shell = Shell(session: session)
        // A progress file moved aside or left alone is reported in every mode (-c and --script too), on stderr.
        if let notice = session.course?.progressNotice {
            output.error("warning: " + notice)
            session.course?.progressNotice = nil
        }
        // Undo the live engine's changes on every way out: quit, Ctrl-D, errors, SIGTERM and SIGHUP; then, if a
        // signal asked us to end, end by that signal so the parent sees how the shell ended.
        shell.onExit.append { $0.cleanup() }
        defer {
            shell.runExitHooks()
            if let signal = SignalTrap.terminationSignal { LiveCleanup.endBySignal(signal) }
        }
        let status: Int32
        if let command {
            status = shell.run(reader: ScriptLineReader(lines: [command]), stopOnFailure: true)
        } else if let script {
            let text: String
            do {
                // Only a regular file, at most 16 MiB: a FIFO or /dev/zero must not block or flood the shell.
                text = try UserFile.readText(script, limit: 16 << 20)
            } catch {
                output.error(output.styled("error:", .red) + " cannot read the script: \(error.description)")
                throw ExitCode(2)
            }
            // "\r\n" is one Character in Swift: split on it too, so a script saved with CRLF line ends reads the same.
            let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
                .map(String.init)
            status = shell.run(reader: ScriptLineReader(lines: lines), stopOnFailure: true)
        } else if !words.isEmpty {
            status = shell.execute(words: words) ? 0 : 1
        } else {
            let terminal = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
            session.course?.interactive = terminal && !noEdit
            session.course?.startupNotices().forEach { output.line($0) }
            if terminal && !noEdit,
                let editor = LineEditor(
                    historyFile: SwapLabMain.historyFile(session), interrupt: session.interrupt,
                    warn: { output.error($0) })
            {
                status = shell.run(reader: editor, interactive: true)
            } else {
                let reader = PlainLineReader(showPrompt: terminal, interrupt: session.interrupt)
                status = shell.run(reader: reader, interactive: terminal)
            }
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// The history file: `SWAPLAB_HISTORY` when set (tests), else `history` in the state directory.
    static func historyFile(
        _ session: Session, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL {
        if let path = environment["SWAPLAB_HISTORY"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return session.stateDirectory.appendingPathComponent("history")
    }
}

extension Output.ColorMode: ExpressibleByArgument {}
