import SwapLabModel

/// What happened to memory in a timeline, found by `ReclaimExplainer.analyze(_:)`: kswapd cycles, who woke
/// kswapd, what each cycle reclaimed, direct reclaim stalls, OOM kills, swap-in and watermark crossings.
///
/// Built from trace events where there are any, and from sampled zones and /proc/vmstat counters where there
/// are samples; `notes` says what the timeline lacked.
public struct ReclaimReport: Sendable, Equatable {
    /// Count of each event name, as printed in the trace.
    public var eventCounts: [String: Int] = [:]
    /// kswapd cycles of every node, in the order they started: the first `ReclaimAnalyzer.keptCycles`.
    public var cycles: [KswapdCycle] = []
    /// The cycles after those, added up.
    public var moreCycles = CycleTotals()
    public var directReclaim = DirectReclaimSummary()
    /// `mm_vmscan_wakeup_kswapd` lines after which the trace ended before kswapd's next pass (`kswapd_wake`), per
    /// node: wake-ups no cycle holds yet. Every wake-up is in a cycle's `wakeups` or here.
    public var pendingWakeups: [Int: Int] = [:]
    /// The first `ReclaimAnalyzer.keptKills` OOM kills, and how many more there were.
    public var oomKills: [OOMKill] = []
    public var moreOOMKills = 0
    /// `mm_vmscan_reclaim_pages` lines from a task other than kswapd (DAMON's `kdamond`, madvise): not kswapd.
    public var otherReclaimPages = OtherReclaim()
    /// Counter deltas over the whole timeline (first to last sample), by counter name; empty without samples.
    public var counterDeltas: [String: Int64] = [:]
    /// When `pswpin` rose (first and last sample interval with an increase).
    public var swapInWindow: ClosedRange<Double>?
    /// Free pages crossing min, low or high in each zone, in time order (from samples).
    public var crossings: [WatermarkCrossing] = []
    /// The lowest free pages each zone reached, with its marks at that moment.
    public var lowestFree: [ZoneLow] = []
    /// The sample closest to waking kswapd (free against the wake point) and the one closest to direct reclaim
    /// (free against the min marks), over the eligible zones; nil without zone samples.
    public var closestToWake: ReclaimMargin?
    public var closestToMin: ReclaimMargin?
    /// kswapd's state on each node at the end, as the engine's `status` reports it (`explain` of the current
    /// timeline); empty for a trace file or a recording.
    public var kswapdNow: [KswapdStatus] = []
    /// What the timeline lacked, for the narrative and the JSON.
    public var notes: [Note] = []
    public var eventCount = 0
    public var sampleCount = 0
    public var span: ClosedRange<Double>?
    /// Events more than `ReclaimAnalyzer.clockStepTolerance` earlier than the event before them, and the largest
    /// such step in seconds.
    public var backwardSteps = 0
    public var largestStepBack = 0.0
    /// Payload values outside what a kernel prints (page counts, sizes, nodes, orders), not used.
    public var ignoredValues = 0
    /// Milestone events (wake, sleep, wake-up, direct reclaim, OOM) the engine counted without recording them.
    public var unrecordedEvents = 0
    /// For a trace file (`explain --trace`): what its lines held, lost events and refused lines included.
    public var traceLines: TraceLineCounts?

    public init() {}

    /// Every `mm_vmscan_wakeup_kswapd` line: those of the cycles and those pending at the end.
    public var wakeupCount: Int {
        cycles.reduce(0) { $0 + $1.wakeups } + moreCycles.wakeups + pendingWakeups.values.reduce(0, +)
    }

    /// Every cycle: those kept in full and those added up.
    public var cycleCount: Int { cycles.count + moreCycles.count }

    /// Something the analysis could not see.
    public enum Note: String, Sendable, Equatable, CaseIterable {
        /// No trace events: kswapd activity is inferred from counters, times are unknown.
        case noTraceEvents = "no_trace_events"
        /// No samples: no watermark crossings, no balanced-zone check, no counter deltas.
        case noSamples = "no_samples"
        /// Samples without zone protection: the balanced-zone check uses high alone.
        case noProtection = "no_protection"
        /// Nothing at all.
        case empty = "empty"
        /// Events stepped back in time by more than `ReclaimAnalyzer.clockStepTolerance` (`backwardSteps`): durations
        /// across such a step are not computed.
        case outOfOrder = "out_of_order_times"
        /// Payload values outside what a kernel prints were not used (`ignoredValues`).
        case outOfRangeValues = "out_of_range_values"
        /// A total of pages reached `Int64.max` and stopped there.
        case cappedTotals = "capped_totals"
        /// The engine counted wakes, sleeps, wake-ups, direct reclaims or OOM kills without recording them (the
        /// simulator's timeline limit, `unrecordedEvents`): what came after is not in the events.
        case eventsNotRecorded = "events_not_recorded"
    }
}

/// One kswapd cycle: from the first `mm_vmscan_kswapd_wake` after a sleep (or the start of the trace) to
/// `mm_vmscan_kswapd_sleep` (or the end: open). `kswapd()` in mm/vmscan.c emits `kswapd_wake` before every
/// `balance_pgdat()` pass, so one cycle holds `passes` wakes.
public struct KswapdCycle: Sendable, Equatable {
    public var nid: Int
    /// Time of the first `kswapd_wake`; nil when the trace began while kswapd was already running.
    public var wake: Double?
    /// Time of `kswapd_sleep`; nil when the cycle is still open at the end.
    public var sleep: Double?
    /// Number of `kswapd_wake` lines (balance_pgdat passes) in the cycle.
    public var passes = 0
    /// The orders the passes ran at (`order=`), ascending.
    public var orders: [Int] = []
    /// The `mm_vmscan_wakeup_kswapd` lines that woke it (before the first pass) or woke it again during the cycle:
    /// the first `keptWakers` of them.
    public var wakers: [Waker] = []
    /// How many `mm_vmscan_wakeup_kswapd` lines there were, kept or not.
    public var wakeups = 0
    /// Those that came while the cycle was open: `wakeup_kswapd()` traces only when kswapd waits on `kswapd_wait`,
    /// which inside a cycle is its 100 ms nap (`kswapd_low_wmark_hit_quickly`).
    public var napWakeups = 0
    /// Anon folios kswapd wrote to swap (`mm_vmscan_write_folio`/`writepage` with `RECLAIM_WB_ANON`, comm kswapdN).
    public var anonWritten = 0
    /// Pages kswapd reclaimed from the file LRU (`lru_shrink_inactive` nr_reclaimed with `RECLAIM_WB_FILE`).
    public var fileReclaimed: Int64 = 0
    /// Pages kswapd reclaimed from the anon LRU (`lru_shrink_inactive` nr_reclaimed with `RECLAIM_WB_ANON`).
    public var anonReclaimed: Int64 = 0
    /// Counter deltas from the sample at or before the wake to the sample at or after the sleep (pswpout, …).
    public var counterDeltas: [String: Int64] = [:]
    /// Zones at or below low (+ protection) in the last sample before the wake.
    public var zonesBelowLowAtWake: [ZoneLevel] = []
    /// Zones balanced (free > high + protection) in the last sample at or before the sleep.
    public var balancedAtSleep: [ZoneLevel] = []
    /// Every eligible zone in that sample (to show the unbalanced ones too).
    public var zonesAtSleep: [ZoneLevel] = []
    /// The sample times used for the wake and sleep checks.
    public var wakeSampleTime: Double?
    public var sleepSampleTime: Double?

    /// The wakers kept per cycle.
    public static let keptWakers = 16

    /// Counts one wake-up, keeping it when fewer than `keptWakers` are.
    public mutating func add(_ w: Waker) {
        wakeups += 1
        if wakers.count < Self.keptWakers { wakers.append(w) }
    }

    /// Seconds from the first wake to the sleep, when both were seen in order: a sleep earlier than its wake by no
    /// more than `ReclaimAnalyzer.clockStepTolerance` (CPU clocks) counts as 0, by more gives nil.
    public var duration: Double? {
        guard let wake, let sleep else { return nil }
        let d = sleep - wake
        if d >= 0 { return d }
        return d >= -ReclaimAnalyzer.clockStepTolerance ? 0 : nil
    }

    /// 16 or more passes without sleeping: high could not be reached for a long while (`MAX_RECLAIM_RETRIES`).
    public var manyPasses: Bool { passes >= 16 }

    /// Slept with samples showing no balanced zone after many passes: kswapd gave up (`kswapd_failures` ≥ 16,
    /// `prepare_kswapd_sleep()` returns true for a hopeless node).
    public var gaveUp: Bool { sleep != nil && sleepSampleTime != nil && balancedAtSleep.isEmpty && manyPasses }
}

/// kswapd cycles added up: those after the first `ReclaimAnalyzer.keptCycles`, which a report does not keep one
/// by one (a trace of a machine that cycles all day holds hundreds of thousands).
public struct CycleTotals: Sendable, Equatable {
    public var count = 0
    /// Cycles per node.
    public var perNode: [Int: Int] = [:]
    public var passes = 0
    /// Cycles that ended in `kswapd_sleep`, and those still open at the end (per node too).
    public var slept = 0
    public var stillRunning = 0
    public var stillRunningPerNode: [Int: Int] = [:]
    /// `mm_vmscan_wakeup_kswapd` lines of the cycles.
    public var wakeups = 0
    /// Cycles with a `mm_vmscan_wakeup_kswapd` before their first pass, and those whose first one was a boost wake.
    public var wokenByAllocation = 0
    public var boostWakes = 0
    /// Cycles of 16 passes or more (`KswapdCycle.manyPasses`).
    public var manyPasses = 0
    public var anonWritten = 0
    public var fileReclaimed: Int64 = 0
    public var anonReclaimed: Int64 = 0
    /// The sum and the largest of the cycles' durations, where known.
    public var seconds = 0.0
    public var longest: Double?
    /// The earliest start (wake-up, wake or sleep) and latest end (sleep or wake) of the cycles.
    public var earliest: Double?
    public var latest: Double?

    public init() {}

    public mutating func add(_ c: KswapdCycle) {
        count += 1
        perNode[c.nid, default: 0] += 1
        passes += c.passes
        wakeups += c.wakeups
        if c.sleep != nil {
            slept += 1
        } else {
            stillRunning += 1
            stillRunningPerNode[c.nid, default: 0] += 1
        }
        if let w = c.wakers.first, c.wake.map({ w.time <= $0 }) ?? true {
            wokenByAllocation += 1
            if w.isBoostWake { boostWakes += 1 }
        }
        if c.manyPasses { manyPasses += 1 }
        anonWritten += c.anonWritten
        fileReclaimed = fileReclaimed.saturatingAdd(c.fileReclaimed)
        anonReclaimed = anonReclaimed.saturatingAdd(c.anonReclaimed)
        if let d = c.duration {
            seconds += d
            longest = Swift.max(longest ?? d, d)
        }
        if let start = [c.wakers.first?.time, c.wake, c.sleep].compactMap({ $0 }).min() {
            earliest = Swift.min(earliest ?? start, start)
        }
        if let end = [c.sleep, c.wake].compactMap({ $0 }).max() { latest = Swift.max(latest ?? end, end) }
    }
}

/// Who woke kswapd: one `mm_vmscan_wakeup_kswapd` line (printed in the waker's context by `wakeup_kswapd()`).
public struct Waker: Sendable, Equatable {
    public var time: Double
    public var comm: String
    public var pid: Int
    public var order: Int
    public var gfpFlags: String
    /// `gfp_flags=none order=0`: the watermark-boost wake from `rmqueue()`, not an allocation that failed at low.
    public var isBoostWake: Bool { gfpFlags == "none" && order == 0 }
}

/// A zone's free pages against one of its marks at one sample.
public struct ZoneLevel: Sendable, Equatable {
    public var zone: ZoneType
    public var free: Int64
    /// The mark compared with (low or high, in pages).
    public var mark: Int64
    /// `lowmem_reserve` added to the mark (0 when not known).
    public var protection: Int64
}

/// Direct reclaim episodes: `mm_vmscan_direct_reclaim_begin`/`_end` pairs matched by pid (`try_to_free_pages()`).
public struct DirectReclaimSummary: Sendable, Equatable {
    /// The stall of every episode, in milliseconds.
    public private(set) var stalls = StallDistribution()
    /// Begins without an end (task killed while throttled, or the trace ended) and ends without a begin.
    public var unmatchedBegins = 0
    public var unmatchedEnds = 0
    /// Pages the episodes reclaimed (`nr_reclaimed` of the ends).
    public var reclaimed: Int64 = 0
    /// Tasks that stalled, by comm, with their episode count, most first.
    public var tasks: [(comm: String, count: Int)] = []
    public var firstBegin: Double?

    public var episodes: Int { stalls.count }
    public var totalMs: Double { stalls.sum }
    public var maxMs: Double { stalls.max ?? 0 }
    /// The median stall (mean of the two middle values for an even count).
    public var medianMs: Double { stalls.median }

    /// Counts one episode that stalled its task for `ms` milliseconds.
    public mutating func addStall(_ ms: Double) { stalls.add(ms) }

    public static func == (a: Self, b: Self) -> Bool {
        a.stalls == b.stalls && a.unmatchedBegins == b.unmatchedBegins && a.unmatchedEnds == b.unmatchedEnds
            && a.reclaimed == b.reclaimed && a.tasks.map(\.comm) == b.tasks.map(\.comm)
            && a.tasks.map(\.count) == b.tasks.map(\.count)
    }

    public init() {}
}

/// Stall lengths kept as value → count, so that a trace of any length costs memory for the distinct lengths
/// (trace timestamps have microsecond resolution), not for every episode. The sum is added in episode order, and
/// the median is picked from the same values, so both equal what a list of every stall would give.
public struct StallDistribution: Sendable, Equatable {
    private var counts: [Double: Int] = [:]
    public private(set) var count = 0
    /// Σ of the stalls, added in the order they came.
    public private(set) var sum = 0.0
    public private(set) var max: Double?

    public init() {}

    public mutating func add(_ value: Double) {
        counts[value, default: 0] += 1
        count += 1
        sum += value
        if max.map({ value > $0 }) ?? true { max = value }
    }

    /// The middle value, or the mean of the two middle values for an even count; 0 when empty.
    public var median: Double {
        guard count > 0 else { return 0 }
        let values = counts.keys.sorted()
        /// The value at 0-based position `rank` of the sorted stalls.
        func value(at rank: Int) -> Double {
            var seen = 0
            for v in values {
                seen += counts[v] ?? 0
                if rank < seen { return v }
            }
            return values[values.count - 1]
        }
        return count % 2 == 1 ? value(at: count / 2) : (value(at: count / 2 - 1) + value(at: count / 2)) / 2
    }
}

/// One OOM kill: `oom:mark_victim` (`pid=` always; `comm=` and `anon-rss=` since 6.12).
public struct OOMKill: Sendable, Equatable {
    public var time: Double
    public var pid: Int
    public var comm: String?
    /// What the victim held as `mark_victim` printed it (resident parts and page tables; not its swap).
    public var memory: VictimMemory

    public init(time: Double, pid: Int, comm: String?, memory: VictimMemory) {
        (self.time, self.pid, self.comm, self.memory) = (time, pid, comm, memory)
    }

    /// Resident anon memory of the victim in kB, when printed.
    public var anonRSSkB: Int64? { memory.anonRSSkB }
}

/// `mm_vmscan_reclaim_pages` lines from tasks other than kswapd.
public struct OtherReclaim: Sendable, Equatable {
    public var lines = 0
    public var reclaimed: Int64 = 0
    /// The first `ReclaimAnalyzer.keptComms` tasks, and whether there were more.
    public var comms: [String] = []
    public var moreComms = false
}

/// Free pages of one zone moving from one band to another between two samples.
public struct WatermarkCrossing: Sendable, Equatable {
    /// Where free pages sit against the zone's marks.
    public enum Band: Int, Sendable, Comparable {
        case belowMin = 0, minToLow, lowToHigh, aboveHigh
        public static func < (a: Band, b: Band) -> Bool { a.rawValue < b.rawValue }
        public var name: String {
            switch self {
            case .belowMin: return "below_min"
            case .minToLow: return "min_to_low"
            case .lowToHigh: return "low_to_high"
            case .aboveHigh: return "above_high"
            }
        }
        /// The band of `free` against `min`/`low`/`high` (at the mark counts as below it, like `free <= mark`).
        public static func of(free: Int64, min: Int64, low: Int64, high: Int64) -> Band {
            if free <= min { return .belowMin }
            if free <= low { return .minToLow }
            if free <= high { return .lowToHigh }
            return .aboveHigh
        }
    }

    public var time: Double
    public var node: Int
    public var zone: ZoneType
    public var from: Band
    public var to: Band
    public var free: Int64
}

/// Free memory of the eligible zones against a threshold at one sample: the wake point (`WakePoint.wakePoint`) or
/// the min point (Σ `min(free, min + protection)`, below which allocations reclaim for themselves).
public struct ReclaimMargin: Sendable, Equatable {
    public var time: Double
    /// Σ free over the eligible zones.
    public var free: Pages
    public var threshold: Pages
    /// How much more could be allocated before the threshold: `free − threshold` (never negative).
    public var distance: Pages { free > threshold ? free - threshold : .zero }

    public init(time: Double, free: Pages, threshold: Pages) {
        (self.time, self.free, self.threshold) = (time, free, threshold)
    }
}

/// The lowest free pages a zone reached and its marks then.
public struct ZoneLow: Sendable, Equatable {
    public var node: Int
    public var zone: ZoneType
    public var time: Double
    public var free: Int64
    public var min: Int64
    public var low: Int64
}
