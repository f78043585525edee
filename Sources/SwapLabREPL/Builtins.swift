import ArgumentParser
import SwapLabModel

/// `quit`: leave the shell (also `exit`, Ctrl-D).
struct QuitCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "quit", abstract: "Leave the shell (also: exit, Ctrl-D).", aliases: ["exit"])

    func run(in session: Session) throws {
        session.wantsQuit = true
    }
}

/// `engine sim|live`: choose what the following commands act on.
struct EngineCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Choose the engine the next commands act on: the simulator (sim) or this machine's kernel (live).")

    @Argument(help: "sim or live; without it, show the current engine.")
    var kind: String?

    func run(in session: Session) throws {
        guard let kind else {
            session.output.line("engine: \(session.engine.rawValue)")
            return
        }
        guard let e = EngineKind(rawValue: kind.lowercased()) else {
            throw ShellError.usage("unknown engine '\(kind)'; choose sim or live")
        }
        session.engine = e
        session.output.line("engine: \(e.rawValue) (\(e.summary))")
    }
}

/// `help [COMMAND]`: commands grouped by purpose, or one command's help.
struct HelpCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "help", abstract: "List the commands, or show one command's help.")

    @Argument(help: "A command name.")
    var command: [String] = []

    func run(in session: Session) throws {
        let out = session.output
        if let name = command.first {
            guard let entry = CommandRegistry.find(name) else {
                throw CommandRegistry.unknownCommand(name)
            }
            out.fitted(entry.type.helpMessage(columns: out.width))
            out.line()
            return
        }
        for line in HelpCommand.overview(width: out.width, heading: { out.styled($0, .bold) }) { out.line(line) }
    }

    /// The command list: a heading per group, then `  name  abstract` with the abstracts aligned in one column and
    /// wrapped by display width under themselves.
    static func overview(
        entries: [CommandRegistry.Entry] = CommandRegistry.entries, width: Int, heading: (String) -> String = { $0 }
    ) -> [String] {
        let nameWidth = entries.map { DisplayWidth.of($0.name) }.max() ?? 8
        let tagWidth = entries.map { DisplayWidth.of($0.engineTag) }.max() ?? 0
        let hanging = String(repeating: " ", count: 2 + nameWidth + 2 + tagWidth + 2)
        var lines: [String] = []
        for group in CommandGroup.allCases {
            let members = entries.filter { $0.group == group }
            if members.isEmpty { continue }
            lines.append(heading(group.rawValue))
            for entry in members {
                let head =
                    "  " + DisplayWidth.pad(entry.name, to: nameWidth) + "  "
                    + DisplayWidth.pad(entry.engineTag, to: tagWidth) + "  "
                lines += DisplayWidth.wrap(head + entry.type.configuration.abstract, width: width, indent: hanging)
            }
            lines.append("")
        }
        let starred = entries.flatMap(\.restrictedSubcommands).map { "`\($0.name)` on \($0.engines.rawValue)" }
        let note = starred.isEmpty ? "" : " (*: only " + starred.joined(separator: ", ") + ")"
        lines += DisplayWidth.wrap(
            "sim, live: the only engine a command runs on\(note); sim+live: runs on both, simulated on sim; "
                + "`engine sim|live` switches.", width: width,
            indent: "")
        lines.append("Type `help COMMAND` or `COMMAND --help` for one command's options.")
        return lines
    }
}
