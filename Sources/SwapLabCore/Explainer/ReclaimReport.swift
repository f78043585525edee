/// What happened to memory in a timeline, found by `ReclaimExplainer.analyze(_:)`: kswapd cycles, who woke
/// kswapd, what each cycle reclaimed, direct reclaim stalls, OOM kills, swap-in and watermark crossings.
///
/// Built from trace events where there are any, and from sampled zones and /proc/vmstat counters where there
/// are samples; `notes` says what the timeline lacked.
public struct ReclaimReport: Sendable, Equatable {
    /// Count of each event name, as printed in the trace.
    public var eventCounts: [String: Int] = [:]
    /// kswapd cycles of every node, in the order they started.
    public var cycles: [KswapdCycle] = []
    public var directReclaim = DirectReclaimSummary()
    public var oomKills: [OOMKill] = []
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
    /// What the timeline lacked, for the narrative and the JSON.
    public var notes: [Note] = []
    public var eventCount = 0
    public var sampleCount = 0
    public var span: ClosedRange<Double>?

    public init() {}

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
    /// The `mm_vmscan_wakeup_kswapd` lines that woke it (before the first pass) or woke it again during the cycle.
    public var wakers: [Waker] = []
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

    /// Seconds from the first wake to the sleep, when both were seen.
    public var duration: Double? {
        guard let wake, let sleep else { return nil }
        return sleep - wake
    }

    /// 16 or more passes without sleeping: high could not be reached for a long while (`MAX_RECLAIM_RETRIES`).
    public var manyPasses: Bool { passes >= 16 }

    /// Slept with samples showing no balanced zone after many passes: kswapd gave up (`kswapd_failures` ≥ 16,
    /// `prepare_kswapd_sleep()` returns true for a hopeless node).
    public var gaveUp: Bool { sleep != nil && sleepSampleTime != nil && balancedAtSleep.isEmpty && manyPasses }
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
    /// Resident anon memory of the victim in kB (what the kill frees), when printed.
    public var anonRSSkB: Int64?
}

/// `mm_vmscan_reclaim_pages` lines from tasks other than kswapd.
public struct OtherReclaim: Sendable, Equatable {
    public var lines = 0
    public var reclaimed: Int64 = 0
    public var comms: [String] = []
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

/// The lowest free pages a zone reached and its marks then.
public struct ZoneLow: Sendable, Equatable {
    public var node: Int
    public var zone: ZoneType
    public var time: Double
    public var free: Int64
    public var min: Int64
    public var low: Int64
}
