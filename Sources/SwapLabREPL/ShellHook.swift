import SwapLabCourse

/// What the shell tells whoever plugs into it (the course): each command's outcome, after the command. The shell
/// knows nothing else of them.
public protocol ShellHook: AnyObject {
    /// Called after every command that ran (not for an unknown name or a `--help` request), failed ones included.
    func didRun(_ outcome: CommandOutcome)
}
