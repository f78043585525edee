import Foundation
import SwapLabKernel

/// The process's signal handlers, in one place: SIGINT sets the session's interrupt flag (Ctrl-C stops the running
/// command, or drops the line at the prompt); SIGTERM and SIGHUP ask the shell to end cleanly, so the exit hooks
/// (restore journal, history) run. The handlers only store to a `sig_atomic_t`; everything else happens when the
/// shell polls the flags.
///
/// Installed with `SA_RESTART` through `Syscall.installSignalHandler`, so a signal never makes a buffered read spin;
/// libedit's own handlers (EL_SIGNAL) still break its `read()` at the prompt, and `poll()`/`nanosleep()` return EINTR
/// early whatever `SA_RESTART` says.
public enum SignalTrap {
    /// The cell SIGINT sets: the session's `InterruptFlag.cell`. Set once before the handlers are installed.
    nonisolated(unsafe) private static var interruptCell: UnsafeMutablePointer<sig_atomic_t>? = nil
    /// The number of the terminating signal received (SIGTERM or SIGHUP), else 0.
    nonisolated(unsafe) private static let terminationCell: UnsafeMutablePointer<sig_atomic_t> = {
        let cell = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: 1)
        cell.initialize(to: 0)
        return cell
    }()
    nonisolated(unsafe) private static var installed = false

    /// Installs the handlers (once per process) and unblocks SIGINT, SIGTERM and SIGHUP, which a parent (Swift
    /// Testing's worker threads, for one) may have left blocked across `exec`.
    public static func install(interrupt: InterruptFlag) {
        interruptCell = interrupt.cell
        _ = terminationCell.pointee  // initialise the lazy static before a handler can touch it
        guard !installed else { return }
        installed = true
        Syscall.installSignalHandler(SIGINT) { _ in SignalTrap.interruptCell?.pointee = 1 }
        let terminate: @convention(c) (Int32) -> Void = { signal in
            SignalTrap.terminationCell.pointee = sig_atomic_t(signal)
            SignalTrap.interruptCell?.pointee = 1
        }
        Syscall.installSignalHandler(SIGTERM, terminate)
        Syscall.installSignalHandler(SIGHUP, terminate)
        Syscall.unblockSignals([SIGINT, SIGTERM, SIGHUP])
    }

    /// The signal that asked the shell to end (SIGTERM or SIGHUP), or nil.
    public static var terminationSignal: Int32? {
        let s = terminationCell.pointee
        return s == 0 ? nil : Int32(s)
    }
}
