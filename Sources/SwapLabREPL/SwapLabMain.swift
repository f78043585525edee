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

    @Option(name: .long, help: "Run the commands in FILE (one a line, # comments allowed) and exit.")
    var script: String?

    @Option(name: .long, help: "Colour: auto, on or off.")
    var color: String = "auto"

    @Option(name: .long, help: "Read lessons from DIR.")
    var lessons: String?

    @Flag(name: .long, help: "Read lines plainly even in a terminal (no line editing).")
    var noEdit = false

    @Argument(parsing: .captureForPassthrough, help: "A shell command to run, with its arguments.")
    var words: [String] = []

    public init() {}

    public mutating func run() throws {
        guard let mode = Output.ColorMode(rawValue: color) else {
            throw ValidationError("--color takes auto, on or off, not '\(color)'")
        }
        let output = Output(mode: mode)
        let session = Session(output: output)
        if let lessons { setenv("SWAPLAB_LESSONS", lessons, 1) }
        let shell = Shell(session: session)
        // Undo the live engine's changes on every way out: quit, Ctrl-D, errors, SIGTERM and SIGHUP.
        LiveCleanup.install(interruptCell: session.interrupt.cell)
        defer {
            session.cleanup()
            LiveCleanup.finish()
        }
        let status: Int32
        if let command {
            status = shell.run(reader: ScriptLineReader(lines: [command]), stopOnFailure: true)
        } else if let script {
            guard let text = try? String(contentsOfFile: script, encoding: .utf8) else {
                throw ValidationError("cannot read the script \(script); check the path")
            }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            status = shell.run(reader: ScriptLineReader(lines: lines), stopOnFailure: true)
        } else if !words.isEmpty {
            status = shell.execute(words: words) ? 0 : 1
        } else {
            let interactive = !noEdit && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
            let reader: LineReader = PlainLineReader()
            status = shell.run(reader: reader, interactive: interactive)
        }
        if status != 0 { throw ExitCode(status) }
    }
}
