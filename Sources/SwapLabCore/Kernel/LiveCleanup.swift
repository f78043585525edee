#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM and SIGHUP handling so that the restore journal is undone on those exits too.
///
/// The handler only stores the signal number, sets the shell's interrupt cell (so a running command stops) and
/// puts `/dev/null` on standard input with `dup2` (async-signal-safe): the line reader, which retries an
/// interrupted read, then sees end of input, and the shell loop ends normally, through the same cleanup as
/// `quit` and Ctrl-D. `finish()` then re-raises the signal with its default
/// action, so the exit status says how the process ended. The cells are global because a C signal handler cannot
/// capture context; this type is the only place holding them.
public enum LiveCleanup {
    nonisolated(unsafe) private static let received: UnsafeMutablePointer<sig_atomic_t> = {
        let p = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: 1)
        p.initialize(to: 0)
        return p
    }()
    nonisolated(unsafe) private static var interruptCell: UnsafeMutablePointer<sig_atomic_t>?
    nonisolated(unsafe) private static var devNull: Int32 = -1

    /// Installs the SIGTERM and SIGHUP handlers; `interruptCell` (the shell's Ctrl-C flag) is set too.
    public static func install(interruptCell: UnsafeMutablePointer<sig_atomic_t>?) {
        self.interruptCell = interruptCell
        _ = received
        if devNull < 0 { devNull = (try? Syscall.open("/dev/null", O_RDONLY)) ?? -1 }
        let handler: @convention(c) (Int32) -> Void = { signal in
            LiveCleanup.received.pointee = signal
            LiveCleanup.interruptCell?.pointee = 1
            if LiveCleanup.devNull >= 0 { _ = dup2(LiveCleanup.devNull, STDIN_FILENO) }
        }
        Syscall.installSignalHandler(SIGTERM, handler)
        Syscall.installSignalHandler(SIGHUP, handler)
        // A parent may have started us with these blocked (spawned from a thread that blocks them).
        Syscall.unblockSignals([SIGTERM, SIGHUP])
    }

    /// The signal that asked the process to end (SIGTERM, SIGHUP), or 0.
    public static var receivedSignal: Int32 { received.pointee }

    /// After cleanup: if a signal asked us to end, ends the process with that signal's default action.
    public static func finish() {
        let s = received.pointee
        guard s != 0 else { return }
        Syscall.restoreDefaultHandler(s)
        Syscall.raiseSignal(s)
    }
}
