import Foundation
import SwapLabModel

/// One phase of the story `lab run` must show (docs/lab.md): kswapd woken by the hog, kswapd back asleep, pages
/// swapped out, pages swapped back in.
public enum LabPhase: String, CaseIterable, Sendable, Codable {
    /// The hog's own allocation woke kswapd: `wakeup_kswapd()` (mm/vmscan.c) traced in the hog's context, then a
    /// `balance_pgdat()` pass (`mm_vmscan_kswapd_wake`).
    case wake
    /// kswapd went back to sleep after that wake-up (`kswapd_try_to_sleep()`: `mm_vmscan_kswapd_sleep`).
    case sleep
    /// At least `LabStory.minimumSwapBytes` written to swap while the hog ran (`pswpout`, counted in
    /// `swap_writepage()`).
    case swapOut = "swap_out"
    /// At least `LabStory.minimumSwapBytes` read back from swap when the hog re-read its pages (`pswpin`, counted in
    /// `swap_read_folio()`).
    case swapIn = "swap_in"
}

/// What the lab saw of the story, from the trace's milestones and /proc/vmstat, and the phase checks on it.
public struct LabStory: Sendable, Equatable {
    /// `mm_vmscan_wakeup_kswapd` lines traced in a hog's context (its pid).
    public var hogWakeups = 0
    /// The time of the first of them.
    public var firstHogWakeup: Double?
    /// `mm_vmscan_wakeup_kswapd` lines traced in any context since the hog started.
    public var wakeups = 0
    /// `mm_vmscan_kswapd_wake` lines at or after the first hog wake-up.
    public var wakesAfterHogWakeup = 0
    /// `mm_vmscan_kswapd_sleep` lines after the first hog wake-up.
    public var sleepsAfterHogWakeup = 0
    /// `pswpout` while the hog allocated (pages).
    public var swapOutPages: Int64 = 0
    /// `pswpin` while the hog read its pages back (pages).
    public var swapInPages: Int64 = 0

    /// The least each of swap-out and swap-in must move for the story to count: 64 MiB.
    public static let minimumSwapBytes: Int64 = 64 << 20
    /// Trace timestamps from different CPUs can step back slightly (live-lab.md §6): a `kswapd_wake` this much
    /// before the wake-up still counts as its answer.
    static let clockSlack = 0.001

    public init(
        hogWakeups: Int = 0, firstHogWakeup: Double? = nil, wakeups: Int = 0, wakesAfterHogWakeup: Int = 0,
        sleepsAfterHogWakeup: Int = 0, swapOutPages: Int64 = 0, swapInPages: Int64 = 0
    ) {
        self.hogWakeups = hogWakeups
        self.firstHogWakeup = firstHogWakeup
        self.wakeups = wakeups
        self.wakesAfterHogWakeup = wakesAfterHogWakeup
        self.sleepsAfterHogWakeup = sleepsAfterHogWakeup
        self.swapOutPages = swapOutPages
        self.swapInPages = swapInPages
    }

    /// The story in `events` (trace events, any order) from `since` on, with the hogs' pids and the vmstat deltas.
    public init(events: [TraceEvent], hogPIDs: Set<Int>, since: Double, swapOutPages: Int64, swapInPages: Int64) {
        let sorted = events.filter { $0.time >= since }.sorted { $0.time < $1.time }
        let hog = sorted.filter { $0.name == TracepointName.wakeupKswapd.rawValue && hogPIDs.contains($0.pid) }
        hogWakeups = hog.count
        firstHogWakeup = hog.first?.time
        wakeups = sorted.filter { $0.name == TracepointName.wakeupKswapd.rawValue }.count
        if let t = firstHogWakeup {
            wakesAfterHogWakeup =
                sorted.filter { $0.name == TracepointName.kswapdWake.rawValue && $0.time >= t - Self.clockSlack }
                .count
            sleepsAfterHogWakeup = sorted.filter { $0.name == TracepointName.kswapdSleep.rawValue && $0.time > t }.count
        }
        self.swapOutPages = swapOutPages
        self.swapInPages = swapInPages
    }

    /// Why `phase` falls short, nil when it passed.
    public func shortfall(_ phase: LabPhase) -> String? {
        let need = Pages(bytes: Self.minimumSwapBytes).count
        let mib = { (p: Int64) in Pages(p).bytes >> 20 }
        switch phase {
        case .wake:
            if hogWakeups == 0 {
                return wakeups == 0
                    ? "kswapd was never woken: free memory did not reach the wake point"
                    : "kswapd was woken \(wakeups) time(s), but never by the hog's allocation (another task crossed "
                        + "the wake point first, or kswapd was already awake each time the hog crossed it)"
            }
            if wakesAfterHogWakeup == 0 { return "the hog woke kswapd, but no balance pass (kswapd_wake) followed" }
            return nil
        case .sleep:
            guard firstHogWakeup != nil else {
                return "kswapd was not woken by the hog, so it could not go back to sleep"
            }
            return sleepsAfterHogWakeup == 0
                ? "kswapd did not go back to sleep after the hog woke it (no zone reached its high watermark in time)"
                : nil
        case .swapOut:
            return swapOutPages >= need
                ? nil : "only \(swapOutPages) pages (\(mib(swapOutPages)) MiB) were swapped out; the lab needs 64 MiB"
        case .swapIn:
            return swapInPages >= need
                ? nil : "only \(swapInPages) pages (\(mib(swapInPages)) MiB) were swapped in; the lab needs 64 MiB"
        }
    }

    /// The first phase that falls short and why, nil when the whole story was told.
    public var firstShortfall: (phase: LabPhase, why: String)? {
        for p in LabPhase.allCases { if let why = shortfall(p) { return (p, why) } }
        return nil
    }

    /// True when kswapd was woken by the hog, slept after, and enough was swapped out (what the hog rounds aim for;
    /// swap-in is measured after them).
    public var roundsDone: Bool { shortfall(.wake) == nil && shortfall(.sleep) == nil && shortfall(.swapOut) == nil }
}
