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
        session.report { w in
            "engine: \(e.rawValue) ("
                + (e == .sim ? w(e.summary, "내장 회수 시뮬레이터") : w(e.summary, "이 컴퓨터의 커널")) + ")"
        }
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
        // Shown in the learner's language; the English list is recorded for lesson checks.
        session.report(lines: { out, w in
            for line in HelpCommand.overview(width: out.width, heading: { out.styled($0, .bold) }, w) { out.line(line) }
        })
    }

    /// The command list: a heading per group, then `  name  abstract` with the abstracts aligned in one column and
    /// wrapped by display width under themselves; in `w`'s language (Korean from `KoreanHelp`).
    static func overview(
        entries: [CommandRegistry.Entry] = CommandRegistry.entries, width: Int, heading: (String) -> String = { $0 },
        _ w: Words = .en
    ) -> [String] {
        let nameWidth = entries.map { DisplayWidth.of($0.name) }.max() ?? 8
        let tagWidth = entries.map { DisplayWidth.of($0.engineTag) }.max() ?? 0
        let hanging = String(repeating: " ", count: 2 + nameWidth + 2 + tagWidth + 2)
        var lines: [String] = []
        for group in CommandGroup.allCases {
            let members = entries.filter { $0.group == group }
            if members.isEmpty { continue }
            lines.append(heading(w(group.rawValue, KoreanHelp.heading(group))))
            for entry in members {
                let head =
                    "  " + DisplayWidth.pad(entry.name, to: nameWidth) + "  "
                    + DisplayWidth.pad(entry.engineTag, to: tagWidth) + "  "
                let abstract = entry.type.configuration.abstract
                lines += DisplayWidth.wrap(
                    head + w(abstract, KoreanHelp.abstracts[entry.name] ?? abstract), width: width, indent: hanging)
            }
            lines.append("")
        }
        let restricted = entries.flatMap(\.restrictedSubcommands)
        let starred = restricted.map { "`\($0.name)` on \($0.engines.rawValue)" }
        let starredKo = restricted.map { "`\($0.name)`은 \($0.engines.rawValue)에서만" }
        let note = starred.isEmpty ? "" : " (*: only " + starred.joined(separator: ", ") + ")"
        let noteKo = starredKo.isEmpty ? "" : " (*: " + starredKo.joined(separator: ", ") + ")"
        lines += DisplayWidth.wrap(
            w(
                "sim, live: the only engine a command runs on\(note); sim+live: runs on both, simulated on sim; "
                    + "`engine sim|live` switches.",
                "sim, live: 그 엔진에서만 도는 명령\(noteKo). sim+live: 둘 다에서 돌고, sim에서는 시뮬레이션합니다. "
                    + "`engine sim|live`로 엔진을 바꿉니다."), width: width, indent: "")
        lines.append(
            w(
                "Type `help COMMAND` or `COMMAND --help` for one command's options.",
                "명령 하나의 옵션은 `help COMMAND` 또는 `COMMAND --help`로 봅니다 (영어)."))
        return lines
    }
}
