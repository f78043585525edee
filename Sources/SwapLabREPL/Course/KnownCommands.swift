/// The command names lessons may use, in one place, for `lessons lint`.
public enum KnownCommands {
    /// Everything a lesson line may start with: the registry's names and aliases.
    public static var all: Set<String> { Set(CommandRegistry.allNames) }

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
