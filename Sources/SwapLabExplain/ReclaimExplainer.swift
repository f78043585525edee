import SwapLabAnalysis
import SwapLabModel

/// Reads a timeline (simulated, live, replayed, or parsed from a trace file) and finds what reclaim did, through a
/// `ReclaimAnalyzer` (which a trace file streams through directly).
///
/// The rules follow the kernel (`reference/kernel.md` §2–§3, `reference/live-lab.md` §2, §6):
/// - `kswapd()` emits `mm_vmscan_kswapd_wake` before **every** `balance_pgdat()` pass, so a cycle starts at the
///   first wake after a `mm_vmscan_kswapd_sleep` (or at the start) and may hold many passes;
/// - `mm_vmscan_kswapd_sleep` is the full sleep after the 100 ms nap (`kswapd_try_to_sleep()`), which happens
///   when `pgdat_balanced()` finds **one** eligible zone above high + `lowmem_reserve`, or when the node is
///   hopeless (16 passes without progress);
/// - `mm_vmscan_wakeup_kswapd` is printed in the waker's context (`wakeup_kswapd()`); `gfp_flags=none order=0`
///   is the watermark-boost wake from `rmqueue()`;
/// - `mm_vmscan_reclaim_pages` from a task other than kswapd (DAMON's `kdamond`) is not kswapd's work;
/// - direct reclaim begin/end pair per `try_to_free_pages()` call, matched by pid.
public enum ReclaimExplainer {
    /// Counters whose deltas are reported per cycle and for the whole timeline (exact /proc/vmstat names).
    public static var reportedCounters: [String] { ReclaimAnalyzer.reportedCounters }

    /// Analyses `timeline`: its events one at a time through a `ReclaimAnalyzer`, then its samples.
    /// Cost grows linearly with its events and samples.
    public static func analyze(_ timeline: Timeline) -> ReclaimReport {
        var analyzer = ReclaimAnalyzer()
        for e in timeline.events { analyzer.consume(e) }
        var report = analyzer.report(samples: timeline.samples, markers: timeline.markers)
        // The simulator records every wake, sleep, wake-up, direct reclaim and OOM kill: without events nothing
        // happened, nothing was left unseen.
        if timeline.machine.engine == EngineKind.sim.rawValue { report.notes.removeAll { $0 == .noTraceEvents } }
        return report
    }
}

extension ReclaimReport {
    /// Takes the engine's counts of events it did not record (`EventLog.suppressed`): the page-scaled ones
    /// (`mm_vmscan_write_folio`, `mm_vmscan_lru_shrink_inactive`) only shorten the per-cycle lines, which the
    /// narrative says already; any other means cycles, episodes or kills are missing (`Note.eventsNotRecorded`).
    public mutating func noteUnrecorded(_ suppressed: [String: Int]?) {
        let bulk: Set<String> = [TracepointName.writeFolio.rawValue, TracepointName.lruShrinkInactive.rawValue]
        let missing = (suppressed ?? [:]).filter { !bulk.contains($0.key) }.values.reduce(0, +)
        guard missing > 0 else { return }
        unrecordedEvents = missing
        if !notes.contains(.eventsNotRecorded) { notes.append(.eventsNotRecorded) }
    }
}
