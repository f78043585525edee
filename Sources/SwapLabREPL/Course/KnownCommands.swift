import SwapLabCourse

/// The command names lessons may use, in one place, for `lessons lint`.
public enum KnownCommands {
    /// Everything a lesson line may start with: the registry's names and aliases.
    public static var all: Set<String> { Set(CommandRegistry.allNames) }

    /// Commands that only look and never change the engine: they never count as an attempt (`CommandRoles`).
    public static var inspection: Set<String> { CommandRoles.inspection }

    /// The course's own commands: the step checks do not run after them (`CommandRoles`).
    public static var course: Set<String> { CommandRoles.course }
}
