import ArgumentParser
import SwapLabCore

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
        session.output.line(
            e == .sim ? "engine: sim (the built-in reclaim simulator)" : "engine: live (this machine's kernel)")
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
            out.emit(entry.type.helpMessage(columns: out.width))
            out.line()
            return
        }
        let nameWidth = CommandRegistry.entries.map { DisplayWidth.of($0.name) }.max() ?? 8
        for group in CommandGroup.allCases {
            let entries = CommandRegistry.entries.filter { $0.group == group }
            if entries.isEmpty { continue }
            out.line(out.styled(group.rawValue, .bold))
            for e in entries {
                let head = "  " + DisplayWidth.pad(e.name, to: nameWidth) + "  "
                let abstract = e.type.configuration.abstract
                let wrapped = DisplayWidth.wrap(
                    head + abstract, width: out.width, indent: String(repeating: " ", count: DisplayWidth.of(head)))
                for l in wrapped { out.line(l) }
            }
            out.line()
        }
        out.line("Type `help COMMAND` or `COMMAND --help` for one command's options.")
    }
}
