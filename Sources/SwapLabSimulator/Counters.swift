import SwapLabModel

/// The /proc/vmstat event counters the simulator keeps, by their exact kernel names (`vmstat_text[]`).
public enum VMCounter: Int, CaseIterable, Sendable, Codable {
    case pgscanKswapd, pgscanDirect, pgstealKswapd, pgstealDirect, pgscanAnon, pgscanFile, pgstealAnon, pgstealFile,
        pgrefill, pgdeactivate, pgactivate, pswpin, pswpout, allocstallDMA, allocstallDMA32, allocstallNormal,
        allocstallMovable, pgmajfault, oomKill, kswapdLowWmarkHitQuickly, kswapdHighWmarkHitQuickly, pageoutrun,
        workingsetRefaultAnon, workingsetRefaultFile, nrVmscanWrite, nrVmscanImmediateReclaim,
        workingsetActivateAnon, workingsetActivateFile, workingsetRestoreAnon, workingsetRestoreFile

    /// The /proc/vmstat name.
    public var name: String { VMCounter.names[rawValue] }

    static let names: [String] = [
        "pgscan_kswapd",
        "pgscan_direct",
        "pgsteal_kswapd",
        "pgsteal_direct",
        "pgscan_anon",
        "pgscan_file",
        "pgsteal_anon",
        "pgsteal_file",
        "pgrefill",
        "pgdeactivate",
        "pgactivate",
        "pswpin",
        "pswpout",
        "allocstall_dma",
        "allocstall_dma32",
        "allocstall_normal",
        "allocstall_movable",
        "pgmajfault",
        "oom_kill",
        "kswapd_low_wmark_hit_quickly",
        "kswapd_high_wmark_hit_quickly",
        "pageoutrun",
        "workingset_refault_anon",
        "workingset_refault_file",
        "nr_vmscan_write",
        "nr_vmscan_immediate_reclaim",
        "workingset_activate_anon",
        "workingset_activate_file",
        "workingset_restore_anon",
        "workingset_restore_file",
    ]

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

    subscript(_ c: VMCounter) -> Int64 {
        get { values[c.rawValue] }
        set { values[c.rawValue] = newValue }
    }

    /// name → value for every counter.
    var dictionary: [String: Int64] {
        var d: [String: Int64] = [:]
        d.reserveCapacity(values.count + VMGauge.allCases.count)
        for (i, name) in VMCounter.names.enumerated() { d[name] = values[i] }
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
