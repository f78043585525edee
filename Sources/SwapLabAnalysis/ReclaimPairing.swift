import SwapLabModel

/// Pairs kswapd's wakes with its sleeps per node, and direct reclaim's begins with its ends per task: the one place
/// these rules live, used by the streaming `ReclaimAnalyzer` and by `TimelineAnalysis`.
///
/// - `kswapd()` in mm/vmscan.c prints `mm_vmscan_kswapd_wake` before **every** `balance_pgdat()` pass, so a cycle
///   starts at the first wake after a `mm_vmscan_kswapd_sleep` (or the start of the trace) and later wakes are
///   passes; the sleep ends it. A sleep with no cycle open ends one whose start the trace did not hold.
/// - `try_to_free_pages()` prints `mm_vmscan_direct_reclaim_begin` and `_end` in the allocating task, so they pair
///   by pid. An end more than `clockStepTolerance` before its begin (an out-of-order trace) pairs with nothing.
///
/// Memory grows with the nodes and with the tasks inside direct reclaim at one time, never with the events.
public struct ReclaimPairing: Sendable {
    /// How far back in time one event may be from the one before it and still be in order: `trace_pipe` merges the
    /// per-CPU buffers by timestamp, and only the CPUs' clocks differing (`trace_clock=local`) makes a line step back,
    /// by microseconds (`reference/live-lab.md` §6). 10 ms is far more than that and far less than a kswapd cycle.
    public static let clockStepTolerance = 0.010

    /// What a kswapd wake or sleep did to its node's cycle.
    public enum KswapdStep: Sendable, Equatable {
        /// A wake with no cycle open: a cycle starts, with its first pass.
        case cycleStarted
        /// A wake inside the open cycle: one more pass.
        case pass
        /// A sleep that ends the open cycle.
        case cycleEnded
        /// A sleep with no cycle open: the trace began while kswapd was running (or its wake was lost).
        case endedUnseenCycle
    }

    /// What a direct-reclaim end paired with.
    public enum DirectEnd: Sendable, Equatable {
        /// The task's begin: one episode that stalled the task for `stall` seconds (0 for a step back in time within
        /// the tolerance).
        case episode(begin: Double, comm: String, stall: Double)
        /// A begin later than this end by more than the tolerance: neither has its pair.
        case endBeforeBegin
        /// No begin of this task is open.
        case noBegin
    }

    /// Nodes whose kswapd cycle is open.
    private var kswapdRunning: Set<Int> = []
    /// pid → the begin of its open direct-reclaim episode.
    private var directOpen: [Int: (time: Double, comm: String)] = [:]

    public init() {}

    /// Takes a `mm_vmscan_kswapd_wake` of node `nid`.
    public mutating func kswapdWake(nid: Int) -> KswapdStep {
        kswapdRunning.insert(nid).inserted ? .cycleStarted : .pass
    }

    /// Takes a `mm_vmscan_kswapd_sleep` of node `nid`.
    public mutating func kswapdSleep(nid: Int) -> KswapdStep {
        kswapdRunning.remove(nid) != nil ? .cycleEnded : .endedUnseenCycle
    }

    /// Whether node `nid` has a cycle open (kswapd woke and has not slept since).
    public func isKswapdRunning(nid: Int) -> Bool { kswapdRunning.contains(nid) }

    /// Takes a `mm_vmscan_direct_reclaim_begin` of task `pid`; true when it replaces a begin that never ended.
    public mutating func directBegin(pid: Int, time: Double, comm: String) -> Bool {
        directOpen.updateValue((time, comm), forKey: pid) != nil
    }

    /// Takes a `mm_vmscan_direct_reclaim_end` of task `pid` at `time`.
    public mutating func directEnd(pid: Int, time: Double) -> DirectEnd {
        guard let b = directOpen.removeValue(forKey: pid) else { return .noBegin }
        let stall = time - b.time
        if stall < -Self.clockStepTolerance { return .endBeforeBegin }
        return .episode(begin: b.time, comm: b.comm, stall: Swift.max(0, stall))
    }

    /// The direct-reclaim begins still open, in no particular order.
    public var openDirectBegins: [(pid: Int, time: Double, comm: String)] {
        directOpen.map { ($0.key, $0.value.time, $0.value.comm) }
    }
}
