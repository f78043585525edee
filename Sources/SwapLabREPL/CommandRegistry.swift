import ArgumentParser
import SwapLabModel

/// Every command of the shell, with its group for `help`. To add a command: write a `ShellCommand`
/// in its own file (with `static let engines` if it runs on one engine only) and add one line here.
public enum CommandRegistry {
    public struct Entry: Sendable {
        public let type: any ShellCommand.Type
        public let group: CommandGroup
        public var name: String { type.configuration.commandName ?? "" }
        public var aliases: [String] { type.configuration.aliases }

        /// The engine the command runs on, for `help`: `sim`, `live`, `live*` when only some of its subcommands
        /// are restricted (`restrictedSubcommands` names them), or empty when it runs on both.
        public var engineTag: String {
            if let tag = type.engineTag { return tag }
            if type.engines != .both { return type.engines.rawValue }
            let engines = Set(restrictedSubcommands.map(\.engines.rawValue)).sorted()
            return engines.isEmpty ? "" : engines.joined(separator: "/") + "*"
        }

        /// The subcommands that run on one engine only (`trace on`).
        public var restrictedSubcommands: [(name: String, engines: EngineChoice)] {
            type.configuration.subcommands.compactMap { $0 as? any ShellCommand.Type }.filter { $0.engines != .both }
                .map { ("\(name) \($0.configuration.commandName ?? "")", $0.engines) }
        }
    }

    public static let entries: [Entry] = [
        Entry(type: HelpCommand.self, group: .shell),
        Entry(type: EngineCommand.self, group: .shell),
        Entry(type: QuitCommand.self, group: .shell),
        Entry(type: WatermarksCommand.self, group: .look),
        Entry(type: DoctorCommand.self, group: .system),
        Entry(type: ExplainCommand.self, group: .trace),
        Entry(type: LessonsCommand.self, group: .course),
        Entry(type: StartCommand.self, group: .course),
        Entry(type: NextCommand.self, group: .course),
        Entry(type: BackCommand.self, group: .course),
        Entry(type: GotoCommand.self, group: .course),
        Entry(type: WhereCommand.self, group: .course),
        Entry(type: HintCommand.self, group: .course),
        Entry(type: SolutionCommand.self, group: .course),
        Entry(type: SkipCommand.self, group: .course),
        Entry(type: CheckCommand.self, group: .course),
        Entry(type: RetryCommand.self, group: .course),
        Entry(type: PlayCommand.self, group: .course),
        Entry(type: ResumeCommand.self, group: .course),
        Entry(type: LangCommand.self, group: .course),
        Entry(type: AnswerCommand.self, group: .course),
        Entry(type: ProgressCommand.self, group: .course),
        Entry(type: CourseCommand.self, group: .course),
        Entry(type: ChartCommand.self, group: .look),
        Entry(type: WatchCommand.self, group: .look),
        Entry(type: RecordCommand.self, group: .trace),
        Entry(type: ReplayCommand.self, group: .trace),
        Entry(type: SleepCommand.self, group: .shell),
        Entry(type: MachineCommand.self, group: .act),
        Entry(type: AllocCommand.self, group: .act),
        Entry(type: ReleaseCommand.self, group: .act),
        Entry(type: TouchCommand.self, group: .act),
        Entry(type: CacheCommand.self, group: .act),
        Entry(type: RunCommand.self, group: .act),
        Entry(type: MarkCommand.self, group: .act),
        Entry(type: ResetCommand.self, group: .act),
        Entry(type: SysctlCommand.self, group: .act),
        Entry(type: StatusCommand.self, group: .look),
        Entry(type: VmstatCommand.self, group: .look),
        Entry(type: EventsCommand.self, group: .trace),
        Entry(type: SimCommand.self, group: .shell),
        Entry(type: TraceCommand.self, group: .trace),
        Entry(type: AllocsCommand.self, group: .look),
        Entry(type: SwapCommand.self, group: .system),
        Entry(type: RestoreCommand.self, group: .system),
        Entry(type: LabCommand.self, group: .act),
    ]

    /// The entry called `name` or aliased so.
    public static func find(_ name: String) -> Entry? {
        entries.first { $0.name == name || $0.aliases.contains(name) }
    }

    /// All command names and aliases.
    public static var allNames: [String] { entries.flatMap { [$0.name] + $0.aliases } }

    /// The error for an unknown command, with the nearest name when one is close.
    public static func unknownCommand(_ name: String) -> ShellError {
        if let near = Suggest.nearest(to: name, in: allNames) {
            return .usage(
                (
                    "unknown command '\(name)'. Did you mean '\(near)'? (type `help` for the list)",
                    "'\(name)'(이)라는 명령은 없습니다. '\(near)'을(를) 쓰려던 건가요? (목록은 `help`)"
                ))
        }
        return .usage(
            (
                "unknown command '\(name)'; type `help` for the list",
                "'\(name)'(이)라는 명령은 없습니다. 목록을 보려면 `help`를 입력하세요"
            ))
    }
}

/// "Did you mean" by edit distance.
public enum Suggest {
    /// The candidate closest to `word` by Levenshtein distance, if close enough (≤ 2, or a prefix).
    public static func nearest(to word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        if best.1 <= max(1, min(2, word.count / 2)) { return best.0 }
        if word.count >= 2, let p = candidates.first(where: { $0.hasPrefix(word) }) { return p }
        return nil
    }

    /// Levenshtein distance between `a` and `b`.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
