import ArgumentParser
import Foundation
import SwapLabKernel

/// The `swaplab` command line: options, then the shell, `-c`, `--script`, a one-shot subcommand (`doctor`,
/// `explain`, `restore`, `lessons`; parsed by ArgumentParser, so they have its help, errors and completion), or any
/// other shell command with its arguments (`swaplab watermarks --json`), run as the shell would run it.
public struct SwapLabMain: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "swaplab",
        abstract: "An interactive shell that teaches how Linux reclaims memory.",
        usage: """
            swaplab [-c <commands> | --script <file>] [<options>]
            swaplab [<options>] <subcommand> [<args>...]
            swaplab [<options>] <shell-command> [<args>...]
            """,
        discussion: """
            With no command, opens the shell: line editing in a terminal, one command a line from a pipe. The \
            subcommands below run once and exit; so does any other command of the shell given with its \
            arguments (`swaplab watermarks --json`, `swaplab lab run`). `swaplab help` lists every shell command \
            and `swaplab help COMMAND` shows one.

            Exit status: 0 when every command succeeded, 1 after a failed command, 64 for a bad option.
            """,
        version: SwapLabVersion.current,
        subcommands: [
            OneShot<DoctorCommand>.self, OneShot<ExplainCommand>.self, OneShot<LessonsCommand>.self,
            OneShot<RestoreCommand>.self,
        ])

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("Run these commands (separated by ;) and exit.", valueName: "commands"))
    var command: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Run the commands in <file> (one a line, # comments allowed) and exit.", valueName: "file"),
        completion: .file())
    var script: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Colour: auto (when writing to a terminal and NO_COLOR is unset), on or off.", valueName: "mode"))
    var color: Output.ColorMode = .auto

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Read the lessons from <dir> (a folder holding index.yaml) instead of the built-in ones.",
            valueName: "dir"),
        completion: .directory)
    var lessons: String?

    @Flag(name: .long, help: "Read lines plainly even in a terminal (no line editing).")
    var noEdit = false

    public init() {}

    /// Runs the command line: a shell command given with its arguments runs here; everything else (the shell,
    /// `-c`, `--script`, the subcommands, `--help`, `--version`, completion scripts, bad options) goes through
    /// ArgumentParser.
    public static func main() {
        main(Array(CommandLine.arguments.dropFirst()))
    }

    /// `main()` with the arguments given (without the program name).
    public static func main(_ arguments: [String]) {
        do {
            if let (options, words) = shellCommand(in: arguments) {
                try options.requireNoOtherCommands()
                try options.launch { $0.execute(words: words) ? 0 : 1 }
            } else {
                var command = try parseAsRoot(arguments)
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    /// Splits `arguments` into top-level options and a shell command with its words, when the first word after
    /// a valid set of options is a command that is not a subcommand (`--color on watermarks --json`). A word that
    /// is an option's value (`-c engine`) never splits: the options before it do not parse on their own.
    static func shellCommand(in arguments: [String]) -> (SwapLabMain, [String])? {
        let subcommands = Set(configuration.subcommands.compactMap { $0.configuration.commandName })
        for (i, word) in arguments.enumerated() where !word.hasPrefix("-") {
            guard let options = try? parseAsRoot(Array(arguments[..<i])) as? SwapLabMain else { continue }
            if subcommands.contains(word) { return nil }
            return (options, Array(arguments[i...]))
        }
        return nil
    }

    /// A command given on the command line excludes `-c` and `--script`.
    func requireNoOtherCommands() throws {
        if command != nil || script != nil {
            throw ValidationError("give either -c, --script or a command, not two of them")
        }
    }

    public mutating func validate() throws {
        if command != nil && script != nil { throw ValidationError("give -c or --script, not both") }
    }

    public mutating func run() throws {
        let noEdit = noEdit
        if let command {
            try launch { $0.run(reader: ScriptLineReader(lines: [command]), stopOnFailure: true) }
        } else if let script {
            let text: String
            do {
                // Only a regular file, at most 16 MiB: a FIFO or /dev/zero must not block or flood the shell.
                text = try UserFile.readText(script, limit: 16 << 20)
            } catch {
                let output = Output(mode: color)
                output.error(output.styled("error:", .red) + " cannot read the script: \(error.description)")
                throw ExitCode(2)
            }
            // "\r\n" is one Character in Swift: split on it too, so a script saved with CRLF line ends reads the same.
            let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
                .map(String.init)
            try launch { $0.run(reader: ScriptLineReader(lines: lines), stopOnFailure: true) }
        } else {
            try launch { shell in
                let session = shell.session
                let terminal = Syscall.isTerminal(Syscall.standardInput) && Syscall.isTerminal(Syscall.standardOutput)
                session.course?.interactive = terminal && !noEdit
                session.course?.startupNotices().forEach { session.output.line($0) }
                if terminal && !noEdit,
                    let editor = LineEditor(
                        historyFile: SwapLabMain.historyFile(session), interrupt: session.interrupt,
                        warn: { session.output.error($0) })
                {
                    return shell.run(reader: editor, interactive: true)
                }
                let reader = PlainLineReader(showPrompt: terminal, interrupt: session.interrupt)
                return shell.run(reader: reader, interactive: terminal)
            }
        }
    }

    /// Makes the session and the shell with these options, runs `body`, and ends the way the shell must: the
    /// live engine's changes undone on every way out (quit, Ctrl-D, errors, SIGTERM and SIGHUP); then, if a signal
    /// asked us to end, ending by that signal so the parent sees how the shell ended. A non-zero status from
    /// `body` is thrown as the exit code.
    func launch(_ body: (Shell) -> Int32) throws {
        let session = Session(output: Output(mode: color))
        SignalTrap.install(interrupt: session.interrupt)
        if let lessons { setenv("SWAPLAB_LESSONS", lessons, 1) }
        let shell = Shell(session: session)
        // A progress file moved aside or left alone is reported in every mode (-c and --script too), on stderr.
        if let notice = session.course?.progressNotice {
            session.output.error("warning: " + notice)
            session.course?.progressNotice = nil
        }
        shell.onExit.append { $0.cleanup() }
        defer {
            shell.runExitHooks()
            if let signal = SignalTrap.terminationSignal { LiveCleanup.endBySignal(signal) }
        }
        let status = body(shell)
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

/// A shell command as a subcommand of `swaplab` (`swaplab doctor --json`): ArgumentParser parses its options (with
/// its help, errors and completion), and it runs in a shell made with the top-level options, as one command.
struct OneShot<Command: ShellCommand>: ParsableCommand {
    static var configuration: CommandConfiguration { Command.configuration }

    @ParentCommand var main: SwapLabMain
    @OptionGroup var command: Command

    mutating func run() throws {
        try main.requireNoOtherCommands()
        let command = command
        try main.launch { $0.execute(command, words: [Command.configuration.commandName ?? ""]) ? 0 : 1 }
    }
}
