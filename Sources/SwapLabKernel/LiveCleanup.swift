import SwapLabModel

#if canImport(Glibc)
    import Glibc
#endif

/// The end of a shell that a signal (SIGTERM, SIGHUP) asked to stop: after the restore journal has been undone,
/// the process ends by that signal's default action, so the exit status says how it ended. The handlers themselves
/// live in the REPL's `SignalTrap`, the one place that installs signal handlers.
public enum LiveCleanup {
    /// Restores the default action for `signal` and raises it.
    public static func endBySignal(_ signal: Int32) {
        Syscall.restoreDefaultHandler(signal)
        Syscall.raiseSignal(signal)
    }
}
