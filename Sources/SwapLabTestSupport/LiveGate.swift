import Foundation

/// Whether a test may change this machine (sysctls, swap, hugepages, tracing, a memory hog, the lab).
///
/// Such tests are opt-in: they run only when `SWAPLAB_LIVE=1` is set and the process is root (`.ci/run` sets it;
/// by hand: `sudo SWAPLAB_LIVE=1 swift test`). A plain `swift test`, root or not, leaves the machine as it was.
public enum LiveGate {
    /// `SWAPLAB_LIVE=1` is set.
    public static var optedIn: Bool { ProcessInfo.processInfo.environment["SWAPLAB_LIVE"] == "1" }

    /// The effective user is root.
    public static var isRoot: Bool { geteuid() == 0 }

    /// Both: tests that change the machine may run.
    public static var mayChangeMachine: Bool { optedIn && isRoot }

    /// Why a machine-changing test is skipped, as the test report shows it.
    public static var skipReason: String {
        if !optedIn {
            return "changes this machine: set SWAPLAB_LIVE=1 and run as root (sudo SWAPLAB_LIVE=1 swift test)"
        }
        return "changes this machine: needs root (sudo SWAPLAB_LIVE=1 swift test)"
    }
}
