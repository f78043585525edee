import Foundation

/// /proc/vmstat: one `name value` per line (`vmstat_show()` in mm/vmstat.c), all in pages or events.
///
/// Counters are read by their exact kernel names; nothing is summed by prefix except `allocstall`, the one
/// family the kernel splits by zone in 4.19+ (`allocstall_dma`, …, indexed by `reclaim_idx`).
public struct Vmstat: Sendable, Hashable {
    /// Every counter by exact name, e.g. `pgscan_kswapd`, `pswpout`, `nr_free_pages`.
    public var counters: [String: Int64]

    public init(counters: [String: Int64]) { self.counters = counters }

    /// The counter called exactly `name`, or nil when this kernel does not print it.
    public subscript(name: String) -> Int64? { counters[name] }

    /// Direct-reclaim entries (`do_try_to_free_pages()` in mm/vmscan.c): Σ `allocstall_<zone>` on 4.19+, or the
    /// single `allocstall` of 4.4; nil when neither is printed.
    public var allocstall: Int64? {
        let zoned = counters.filter { $0.key.hasPrefix("allocstall_") }
        if !zoned.isEmpty { return zoned.values.reduce(0, +) }
        return counters["allocstall"]
    }

    /// A 4.4-style per-zone family (`pgscan_kswapd_normal`, `pgsteal_direct_dma32`, `pgrefill_movable`) by zone.
    /// Use it explicitly when the node-wide name (`pgscan_kswapd`) is absent; never mixed in silently.
    public func perZone(_ family: String) -> [ZoneType: Int64] {
        var out: [ZoneType: Int64] = [:]
        for zone in ZoneType.allCases {
            let suffix = zone.rawValue.lowercased()
            if let v = counters["\(family)_\(suffix)"] { out[zone] = v }
        }
        return out
    }

    /// The change of every counter present in both, `later − self`, labelled as an interval delta.
    public func delta(to later: Vmstat) -> [String: Int64] {
        var out: [String: Int64] = [:]
        for (k, v) in later.counters { if let a = counters[k] { out[k] = v - a } }
        return out
    }

    /// Reads `<root>/proc/vmstat`.
    public static func read(root: SystemRoot = SystemRoot()) throws(KernelError) -> Vmstat {
        try parse(try root.text("/proc/vmstat"), path: root.resolve("/proc/vmstat"))
    }

    /// Parses /proc/vmstat text; `path` is used in errors.
    public static func parse(_ text: String, path: String = "/proc/vmstat") throws(KernelError) -> Vmstat {
        var counters: [String: Int64] = [:]
        var n = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            n += 1
            if line.isEmpty { continue }
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count == 2, let v = Int64(words[1]) else {
                throw .malformed(path: path, line: n, text: String(line), reason: "expected 'name value'")
            }
            counters[String(words[0])] = v
        }
        guard !counters.isEmpty else { throw .empty(path: path, reason: "no counters") }
        return Vmstat(counters: counters)
    }
}
