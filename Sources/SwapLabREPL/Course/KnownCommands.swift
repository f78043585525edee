/// The command names lessons may use, in one place, for `lessons lint`.
///
/// `CommandRegistry.allNames` holds the commands built so far; `pending` names the live-engine commands still being
/// built elsewhere (tracing, the live swapfile, the hog's allocations, the lab and its restore), so live steps may
/// already name them. A test checks that no pending name is registered yet: when one lands, drop it from here.
public enum KnownCommands {
    /// Live-engine commands not in `CommandRegistry` yet, by the names the project agreed on.
    public static let pending: [String] = []

    /// Everything a lesson line may start with: the registry's names and aliases, plus `pending`.
    public static var all: Set<String> { Set(CommandRegistry.allNames).union(pending) }

    /// Commands that only look and never change the engine: they never count as an attempt.
    public static let inspection: Set<String> = [
        "help", "watermarks", "status", "vmstat", "events", "allocs", "doctor", "chart", "explain", "sim", "where",
        "lessons", "hint", "check",
    ]

    /// The course's own commands: the step checks do not run after them (they report by themselves).
    public static let course: Set<String> = [
        "lessons", "start", "next", "back", "goto", "where", "hint", "solution", "skip", "check", "retry", "play",
        "resume", "lang", "answer", "progress",
    ]
}
