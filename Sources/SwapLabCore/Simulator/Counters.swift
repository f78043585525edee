/// The /proc/vmstat event counters the simulator keeps, by their exact kernel names (`vmstat_text[]`).
public enum VMCounter: String, CaseIterable, Sendable, Codable {
    case pgscanKswapd = "pgscan_kswapd"
    case pgscanDirect = "pgscan_direct"
    case pgstealKswapd = "pgsteal_kswapd"
    case pgstealDirect = "pgsteal_direct"
    case pgscanAnon = "pgscan_anon"
    case pgscanFile = "pgscan_file"
    case pgstealAnon = "pgsteal_anon"
    case pgstealFile = "pgsteal_file"
    case pgrefill = "pgrefill"
    case pgdeactivate = "pgdeactivate"
    case pgactivate = "pgactivate"
    case pswpin = "pswpin"
    case pswpout = "pswpout"
    case allocstallDMA = "allocstall_dma"
    case allocstallDMA32 = "allocstall_dma32"
    case allocstallNormal = "allocstall_normal"
    case allocstallMovable = "allocstall_movable"
    case pgmajfault = "pgmajfault"
    case oomKill = "oom_kill"
    case kswapdLowWmarkHitQuickly = "kswapd_low_wmark_hit_quickly"
    case kswapdHighWmarkHitQuickly = "kswapd_high_wmark_hit_quickly"
    case pageoutrun = "pageoutrun"
    case workingsetRefaultAnon = "workingset_refault_anon"
    case workingsetRefaultFile = "workingset_refault_file"
    case nrVmscanWrite = "nr_vmscan_write"
    case nrVmscanImmediateReclaim = "nr_vmscan_immediate_reclaim"

    /// The `allocstall_<zone>` counter for a reclaim whose `reclaim_idx` is `zone`.
    static func allocstall(_ zone: ZoneType) -> VMCounter {
        switch zone {
        case .dma: return .allocstallDMA
        case .dma32: return .allocstallDMA32
        case .normal: return .allocstallNormal
        default: return .allocstallMovable
        }
    }
}

/// The /proc/vmstat gauges (current sizes) the simulator reports beside the counters.
public enum VMGauge: String, CaseIterable, Sendable {
    case nrFreePages = "nr_free_pages"
    case nrInactiveAnon = "nr_inactive_anon"
    case nrActiveAnon = "nr_active_anon"
    case nrInactiveFile = "nr_inactive_file"
    case nrActiveFile = "nr_active_file"
    case nrDirty = "nr_dirty"
    case nrSwapcached = "nr_swapcached"
}

/// Counter values in `VMCounter` order; cheap to copy and to bump.
struct CounterSet: Hashable, Sendable {
    private var values = [Int64](repeating: 0, count: VMCounter.allCases.count)
    private static let index: [VMCounter: Int] = Dictionary(
        uniqueKeysWithValues: VMCounter.allCases.enumerated().map { ($1, $0) })

    subscript(_ c: VMCounter) -> Int64 {
        get { values[CounterSet.index[c]!] }
        set { values[CounterSet.index[c]!] = newValue }
    }

    /// name → value for every counter.
    var dictionary: [String: Int64] {
        var d: [String: Int64] = [:]
        d.reserveCapacity(values.count + VMGauge.allCases.count)
        for (i, c) in VMCounter.allCases.enumerated() { d[c.rawValue] = values[i] }
        return d
    }
}

/// A small deterministic generator (SplitMix64), seeded per machine; the simulator never reads wall time or
/// system randomness.
struct SplitMix64: Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
