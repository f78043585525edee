/// The command names lessons may use, in one place, for `lessons lint`.
///
/// `CommandRegistry.allNames` holds the commands built so far; `pending` names the commands other parts of
/// swaplab add (simulator, live readers, tracing, explainer, chart, lab). MERGE NOTE: once every part is merged,
/// `pending` can shrink to nothing — every name here must then be in the registry (a test checks the union).
public enum KnownCommands {
    /// Commands other parts add, by the names the project agreed on.
    public static let pending: [String] = [
        // simulator
        "machine", "alloc", "release", "touch", "cache", "run", "status", "vmstat", "events", "mark", "reset", "sim",
        // live readers, doctor, tracing, swap, allocations
        "watermarks", "doctor", "trace", "allocs", "swap",
        // explainer, chart, recordings, lab
        "explain", "chart", "watch", "record", "replay", "lab",
    ]

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
