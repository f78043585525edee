import Foundation
import SwapLabModel

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
        var text = text
        let result = text.withUTF8 { utf8 in
            Result { () throws(KernelError) -> Vmstat in try parse(bytes: UnsafeRawBufferPointer(utf8), path: path) }
        }
        return try result.get()
    }

    /// Parses /proc/vmstat given as bytes; `path` is used in errors.
    public static func parse(
        bytes: UnsafeRawBufferPointer, path: String = "/proc/vmstat"
    ) throws(KernelError)
        -> Vmstat
    {
        var counters: [String: Int64] = [:]
        counters.reserveCapacity(256)
        try scan(bytes, path: path) { bytes, start, end, value in
            counters[ProcBytes.string(bytes, start, end)] = value
        }
        return Vmstat(counters: counters)
    }

    /// Walks every `name value` line of /proc/vmstat bytes, calling `body` with the name's byte range and the
    /// value. Blank lines are skipped; any other line that is not two words with a number second is an error, and
    /// a file without counters is empty.
    static func scan(
        _ bytes: UnsafeRawBufferPointer, path: String,
        _ body: (UnsafeRawBufferPointer, Int, Int, Int64) -> Void
    ) throws(KernelError) {
        var any = false
        try ProcBytes.forEachLine(bytes) { (n, start, end) throws(KernelError) in
            if start == end { return }
            let name = ProcBytes.nextWord(bytes, from: start, end, separator: ProcBytes.space)
            let value = name.flatMap { ProcBytes.nextWord(bytes, from: $0.end, end, separator: ProcBytes.space) }
            let more = value.flatMap { ProcBytes.nextWord(bytes, from: $0.end, end, separator: ProcBytes.space) }
            guard let name, let value, more == nil, let v = ProcBytes.int64(bytes, value.start, value.end) else {
                throw .malformed(
                    path: path, line: n, text: ProcBytes.string(bytes, start, end), reason: "expected 'name value'")
            }
            any = true
            body(bytes, name.start, name.end, v)
        }
        guard any else { throw .empty(path: path, reason: "no counters") }
    }
}

/// A fixed set of /proc/vmstat counters picked out of the file's bytes by name, without a String per line: the
/// live sampler's read of the counters it keeps (`LiveTimeline.sampledCounters`), ten times a second. Lines are
/// checked exactly as `Vmstat.parse` checks them.
public struct VmstatSelection: Sendable {
    /// The counter names, as given.
    public let names: [String]
    private let bytes: [[UInt8]]

    public init(_ names: [String]) {
        self.names = names
        bytes = names.map { Array($0.utf8) }
    }

    /// The selected counters the file holds, by name (a name the kernel does not print is left out).
    public func counters(
        in text: UnsafeRawBufferPointer, path: String = "/proc/vmstat"
    ) throws(KernelError)
        -> [String: Int64]
    {
        var out: [String: Int64] = [:]
        out.reserveCapacity(names.count)
        try Vmstat.scan(text, path: path) { text, start, end, value in
            let count = end - start
            let first = text[start]
            for i in bytes.indices {
                let name = bytes[i]
                guard name.count == count, name[0] == first else { continue }
                if ProcBytes.equals(text, start, end, name) {
                    // The kernel prints each name once; keep the last, as the full parse would.
                    out[names[i]] = value
                    break
                }
            }
        }
        return out
    }
}
