import Foundation
import SwapLabModel

/// One zone as /proc/zoneinfo printed it: the watermark snapshot plus everything else in its block.
///
/// Printed by `zoneinfo_show_print()` in mm/vmstat.c; see kernel.md §4.1 for the 4.4–6.18 layouts.
public struct ZoneInfo: Sendable, Hashable {
    /// free, min/low/high (boost included, as the kernel prints them), boost, managed, present, spanned, protection.
    public var snapshot: ZoneSnapshot
    /// `promo` (6.12+): high + delta, used only with NUMA memory tiering; nil when not printed.
    public var promo: Pages?
    /// `cma` (5.15+): pages reserved for the contiguous memory allocator; nil when not printed.
    public var cma: Pages?
    /// `scanned` (4.4 only): pages scanned since the last reclaim.
    public var scanned: Pages?
    /// Whether the kernel printed a `boost` line (5.0+); without it `snapshot.boost` is 0.
    public var printsBoost: Bool
    /// Zone stat items by kernel name: `nr_free_pages`, `nr_zone_inactive_anon`, …, `numa_hit` (and in 4.4 the
    /// zone's LRU counters printed before `protection:`).
    public var stats: [String: Int64]
    /// `key: value` lines after the pagesets: `node_unreclaimable`, `start_pfn`, 4.4's `all_unreclaimable` and
    /// `inactive_ratio`, and any key a newer kernel adds.
    public var trailer: [String: Int64]
    /// The 1-based line of the `Node N, zone NAME` header.
    public var line: Int
    /// How many CPUs the zone's `pagesets` list (`cpu:` entries, one per online CPU).
    public var cpus = 0

    public var node: Int { snapshot.node }
    public var zone: ZoneType { snapshot.zone }
    /// Whether the buddy allocator manages any page of this zone (`managed_zone()` in include/linux/mmzone.h);
    /// only such zones are in the zonelists an allocation walks.
    public var isManaged: Bool { snapshot.managed.count > 0 }
    /// The zone's stat `nr_free_pages` (equals `pages free`, printed from the same counter), else `pages free`.
    public var nrFreePages: Pages { stats["nr_free_pages"].map { Pages($0) } ?? snapshot.free }
}

/// One NUMA node's part of /proc/zoneinfo.
public struct NodeInfo: Sendable, Hashable {
    public var id: Int
    /// Node stat items from `per-node stats` (`nr_inactive_anon`, `nr_file_pages`, `workingset_refault_file`, …);
    /// empty on 4.4, which has none.
    public var stats: [String: Int64]
    /// `node_unreclaimable` (4.19+; `kswapd_failures >= MAX_RECLAIM_RETRIES`, mm/vmscan.c) or, on 4.4, any zone's
    /// `all_unreclaimable`; nil when the node printed neither (no populated zone).
    public var unreclaimable: Bool?
}

/// All of /proc/zoneinfo, zones in the order printed (node by node, in `enum zone_type` order).
public struct Zoneinfo: Sendable, Hashable {
    /// The file this was read from (for messages).
    public var path: String
    public var zones: [ZoneInfo]
    public var nodes: [NodeInfo]

    /// Every zone's snapshot, populated or not, in the order printed.
    public var snapshots: [ZoneSnapshot] { zones.map(\.snapshot) }

    /// The zone `zone` of node `node`.
    public func zone(_ zone: ZoneType, node: Int = 0) -> ZoneInfo? {
        zones.first { $0.zone == zone && $0.node == node }
    }

    /// Σ `nr_free_pages` over all zones (what /proc/vmstat's `nr_free_pages` sums too).
    public var totalFree: Pages { zones.reduce(Pages.zero) { $0 + $1.nrFreePages } }

    /// Σ `min` over all zones, as printed (boost included): the floor below which only atomic allocations go.
    public var totalMin: Pages { zones.reduce(Pages.zero) { $0 + $1.snapshot.min } }
}

/// Parses /proc/zoneinfo as every kernel from 4.4 to 6.18 prints it (kernel.md §4.1): a missing `boost`, `promo`
/// or `cma`, 4.4's zone stats before `protection:`, unpopulated zones that end after `protection:`, and unknown
/// keys are all accepted; a line that is neither `key value` nor `key: value` is an error with its line number.
///
/// The text is walked as bytes (`ProcBytes`), one scanner for every entry point, so the sampler's lean read
/// (`snapshots(bytes:path:)`) and the full parse accept and reject exactly the same lines.
public enum ZoneinfoParser {
    /// Reads `<root>/proc/zoneinfo`.
    public static func read(root: SystemRoot = SystemRoot()) throws(KernelError) -> Zoneinfo {
        let path = root.resolve("/proc/zoneinfo")
        return try parse(try root.text("/proc/zoneinfo"), path: path)
    }

    /// Parses the text of a /proc/zoneinfo; `path` is used in errors.
    public static func parse(_ text: String, path: String = "/proc/zoneinfo") throws(KernelError) -> Zoneinfo {
        var text = text
        let result = text.withUTF8 { utf8 in
            Result { () throws(KernelError) -> Zoneinfo in try parse(bytes: UnsafeRawBufferPointer(utf8), path: path) }
        }
        return try result.get()
    }

    /// Parses /proc/zoneinfo given as bytes; `path` is used in errors.
    public static func parse(
        bytes: UnsafeRawBufferPointer, path: String = "/proc/zoneinfo"
    ) throws(KernelError)
        -> Zoneinfo
    {
        var sink = FullSink()
        try scan(bytes, path: path, into: &sink)
        guard !sink.zones.isEmpty else {
            throw .empty(path: path, reason: "no 'Node N, zone NAME' block found")
        }
        let zones = sink.zones
        let nodes = sink.nodeOrder.map { id -> NodeInfo in
            let flags = zones.filter { $0.node == id }.compactMap {
                $0.trailer["node_unreclaimable"] ?? $0.trailer["all_unreclaimable"]
            }
            return NodeInfo(
                id: id, stats: sink.nodeStats[id] ?? [:],
                unreclaimable: flags.isEmpty ? nil : flags.contains { $0 != 0 })
        }
        return Zoneinfo(path: path, zones: zones, nodes: nodes)
    }

    /// Only each zone's snapshot: the live sampler's read, ten times a second. The same rules and errors as
    /// `parse(bytes:path:)`, without building the stats dictionaries.
    public static func snapshots(
        bytes: UnsafeRawBufferPointer, path: String = "/proc/zoneinfo"
    ) throws(KernelError)
        -> [ZoneSnapshot]
    {
        var sink = SnapshotSink()
        try scan(bytes, path: path, into: &sink)
        guard !sink.snapshots.isEmpty else {
            throw .empty(path: path, reason: "no 'Node N, zone NAME' block found")
        }
        return sink.snapshots
    }

    // MARK: The scanner

    private enum Section { case nodeStats, fields, zoneStats, pagesets, trailer }

    /// A zone block as read: its header and the watermark-area lines (`pages free` to `protection:`).
    struct ZoneBlock {
        var node: Int
        var zone: ZoneType
        var line: Int
        var free: Int64?
        var boost: Int64?
        var min: Int64?
        var low: Int64?
        var high: Int64?
        var promo: Int64?
        var scanned: Int64?
        var spanned: Int64?
        var present: Int64?
        var managed: Int64?
        var cma: Int64?
        var protection: [Int64] = []
        var cpus = 0

        init(node: Int, zone: ZoneType, line: Int) {
            self.node = node
            self.zone = zone
            self.line = line
        }

        /// Stores `value` when `bytes[start..<end]` is one of the watermark-area keys; false otherwise.
        mutating func setField(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ value: Int64) -> Bool {
            switch end - start {
            case 3:
                if ProcBytes.equals(bytes, start, end, "min") { min = value; return true }
                if ProcBytes.equals(bytes, start, end, "low") { low = value; return true }
                if ProcBytes.equals(bytes, start, end, "cma") { cma = value; return true }
            case 4:
                if ProcBytes.equals(bytes, start, end, "high") { high = value; return true }
            case 5:
                if ProcBytes.equals(bytes, start, end, "boost") { boost = value; return true }
                if ProcBytes.equals(bytes, start, end, "promo") { promo = value; return true }
            case 7:
                if ProcBytes.equals(bytes, start, end, "scanned") { scanned = value; return true }
                if ProcBytes.equals(bytes, start, end, "spanned") { spanned = value; return true }
                if ProcBytes.equals(bytes, start, end, "present") { present = value; return true }
                if ProcBytes.equals(bytes, start, end, "managed") { managed = value; return true }
            default: break
            }
            return false
        }

        /// The zone's snapshot, or the error naming the first missing line.
        func snapshot(path: String) throws(KernelError) -> ZoneSnapshot {
            func need(_ v: Int64?, _ key: String) throws(KernelError) -> Int64 {
                guard let v else {
                    throw .malformed(
                        path: path, line: line, text: "Node \(node), zone \(zone.rawValue)",
                        reason: "the zone block has no '\(key)' line")
                }
                return v
            }
            let free = try need(free, "pages free")
            return ZoneSnapshot(
                node: node, zone: zone, free: Pages(free), min: Pages(try need(min, "min")),
                low: Pages(try need(low, "low")), high: Pages(try need(high, "high")), boost: Pages(boost ?? 0),
                managed: Pages(try need(managed, "managed")), present: Pages(try need(present, "present")),
                spanned: Pages(try need(spanned, "spanned")), protection: protection)
        }
    }

    /// What the scanner finds besides the watermark area: a zone block that ended, and `name value` or
    /// `name: value` lines by where they stand.
    protocol Sink {
        mutating func zone(_ block: ZoneBlock, path: String) throws(KernelError)
        mutating func nodeStat(node: Int, _ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ value: Int64)
        mutating func zoneStat(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ value: Int64)
        mutating func trailer(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ value: Int64)
    }

    /// Builds the whole `Zoneinfo`.
    struct FullSink: Sink {
        var zones: [ZoneInfo] = []
        var nodeStats: [Int: [String: Int64]] = [:]
        var nodeOrder: [Int] = []
        var stats: [String: Int64] = [:]
        var trailer: [String: Int64] = [:]

        mutating func zone(_ b: ZoneBlock, path: String) throws(KernelError) {
            if !nodeOrder.contains(b.node) { nodeOrder.append(b.node) }
            let snapshot = try b.snapshot(path: path)
            zones.append(
                ZoneInfo(
                    snapshot: snapshot, promo: b.promo.map { Pages($0) }, cma: b.cma.map { Pages($0) },
                    scanned: b.scanned.map { Pages($0) }, printsBoost: b.boost != nil, stats: stats,
                    trailer: trailer, line: b.line, cpus: b.cpus))
            stats = [:]
            trailer = [:]
        }

        mutating func nodeStat(node: Int, _ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ value: Int64) {
            nodeStats[node, default: [:]][ProcBytes.string(bytes, start, end)] = value
        }

        mutating func zoneStat(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ value: Int64) {
            stats[ProcBytes.string(bytes, start, end)] = value
        }

        mutating func trailer(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ value: Int64) {
            trailer[ProcBytes.string(bytes, start, end)] = value
        }
    }

    /// Keeps only the snapshots.
    struct SnapshotSink: Sink {
        var snapshots: [ZoneSnapshot] = []

        mutating func zone(_ b: ZoneBlock, path: String) throws(KernelError) {
            snapshots.append(try b.snapshot(path: path))
        }
        func nodeStat(node: Int, _ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ value: Int64) {}
        func zoneStat(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ value: Int64) {}
        func trailer(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ value: Int64) {}
    }

    /// Whether `bytes[start..<end]` is a key inside `pagesets` that is per CPU, not about the zone.
    private static func isPagesetKey(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        ProcBytes.equals(bytes, start, end, "cpu") || ProcBytes.equals(bytes, start, end, "count")
            || ProcBytes.equals(bytes, start, end, "high") || ProcBytes.equals(bytes, start, end, "batch")
            || ProcBytes.equals(bytes, start, end, "high_min") || ProcBytes.equals(bytes, start, end, "high_max")
            || ProcBytes.equals(bytes, start, end, "vm stats threshold")
    }

    private struct ZoneKey: Hashable {
        var node: Int
        var zone: ZoneType
    }

    /// One non-blank line being scanned: the bytes, the line's number and extent, its trimmed extent `s..<e`, and
    /// the file's path, for errors.
    private struct Line {
        let bytes: UnsafeRawBufferPointer
        let path: String
        let number: Int
        let start: Int
        let end: Int
        let s: Int
        let e: Int

        /// The error for this line: `reason`, with the line's number and text.
        func bad(_ reason: String) -> KernelError {
            .malformed(path: path, line: number, text: ProcBytes.string(bytes, start, end), reason: reason)
        }
    }

    /// Walks the lines of a /proc/zoneinfo, classifying each as the kernel prints them (kernel.md §4.1), and hands
    /// what it finds to `sink`. Every line is checked, whatever the sink keeps, so all sinks fail alike.
    static func scan<S: Sink>(_ bytes: UnsafeRawBufferPointer, path: String, into sink: inout S) throws(KernelError) {
        var pending: ZoneBlock?
        var section = Section.fields
        // Where each zone's block began.
        var seen: [ZoneKey: Int] = [:]
        try ProcBytes.forEachLine(bytes) { (lineNumber, lineStart, lineEnd) throws(KernelError) in
            let (s, e) = ProcBytes.trim(bytes, lineStart, lineEnd)
            if s == e { return }
            let line = Line(bytes: bytes, path: path, number: lineNumber, start: lineStart, end: lineEnd, s: s, e: e)
            if ProcBytes.hasPrefix(bytes, s, e, "Node ") {
                let key = try zoneHeader(line)
                // A zone printed twice is refused, as `--zones` refuses it.
                if let first = seen.updateValue(lineNumber, forKey: key) {
                    throw line.bad(
                        "node \(key.node) zone \(key.zone.rawValue) is printed twice (first at line \(first))")
                }
                if let p = pending { try sink.zone(p, path: path) }
                pending = ZoneBlock(node: key.node, zone: key.zone, line: lineNumber)
                section = .fields
                return
            }
            guard pending != nil else { throw line.bad("text before the first 'Node N, zone NAME' line") }
            if ProcBytes.equals(bytes, s, e, "per-node stats") {
                section = .nodeStats
            } else if ProcBytes.equals(bytes, s, e, "pagesets") {
                section = .pagesets
            } else if ProcBytes.hasPrefix(bytes, s, e, "pages free") {
                pending?.free = try pagesFree(line)
                section = .fields
            } else if ProcBytes.hasPrefix(bytes, s, e, "protection:") {
                pending?.protection = try protection(line)
                section = .zoneStats
            } else if let colon = ProcBytes.firstIndex(of: ProcBytes.colon, bytes, s, e) {
                // "cpu: 0", "count:    0", "vm stats threshold: 24", "node_unreclaimable:  0", "start_pfn: 1"
                let (ks, ke) = ProcBytes.trim(bytes, s, colon)
                let (vs, ve) = ProcBytes.trim(bytes, colon + 1, e)
                if section == .pagesets && isPagesetKey(bytes, ks, ke) {
                    if ProcBytes.equals(bytes, ks, ke, "cpu") { pending?.cpus += 1 }
                    return
                }
                guard let v = ProcBytes.int64(bytes, vs, ve) else {
                    throw line.bad("'\(ProcBytes.string(bytes, vs, ve))' is not a number")
                }
                section = .trailer
                sink.trailer(bytes, ks, ke, v)
            } else {
                let (key, v) = try nameValue(line)
                switch section {
                case .nodeStats:
                    if let node = pending?.node { sink.nodeStat(node: node, bytes, key.start, key.end, v) }
                case .fields:
                    if pending?.setField(bytes, key.start, key.end, v) != true {
                        sink.zoneStat(bytes, key.start, key.end, v)
                    }
                case .zoneStats:
                    sink.zoneStat(bytes, key.start, key.end, v)
                case .pagesets, .trailer:
                    sink.trailer(bytes, key.start, key.end, v)
                }
            }
        }
        if let p = pending { try sink.zone(p, path: path) }
    }

    /// "Node 0, zone   Normal": exactly four words split at spaces and commas, a node a kernel can number and a zone
    /// name `enum zone_type` has.
    private static func zoneHeader(_ line: Line) throws(KernelError) -> ZoneKey {
        let bytes = line.bytes
        func word(after i: Int) -> (start: Int, end: Int)? {
            ProcBytes.nextWord(bytes, from: i, line.e, separator: ProcBytes.space, alsoSeparator: ProcBytes.comma)
        }
        let w1 = word(after: line.s).flatMap { word(after: $0.end) }
        let w2 = w1.flatMap { word(after: $0.end) }
        let w3 = w2.flatMap { word(after: $0.end) }
        let more = w3.flatMap { word(after: $0.end) }
        guard let w1, let w2, let w3, more == nil, ProcBytes.equals(bytes, w2.start, w2.end, "zone"),
            let node = ProcBytes.int64(bytes, w1.start, w1.end)
        else { throw line.bad("expected 'Node N, zone NAME'") }
        guard Limits.kernelNodes.contains(Int(node)) else {
            let last = Limits.kernelNodes.upperBound
            throw line.bad("node \(node) is out of range; a kernel numbers its nodes 0…\(last)")
        }
        guard let zone = ZoneType(bytes, w3.start, w3.end) else {
            throw line.bad("unknown zone name '\(ProcBytes.string(bytes, w3.start, w3.end))'")
        }
        return ZoneKey(node: Int(node), zone: zone)
    }

    /// "pages free     3840": exactly three words, the last a number.
    private static func pagesFree(_ line: Line) throws(KernelError) -> Int64 {
        let (bytes, e) = (line.bytes, line.e)
        let w0 = ProcBytes.nextWord(bytes, from: line.s, e, separator: ProcBytes.space)
        let w1 = w0.flatMap { ProcBytes.nextWord(bytes, from: $0.end, e, separator: ProcBytes.space) }
        let w2 = w1.flatMap { ProcBytes.nextWord(bytes, from: $0.end, e, separator: ProcBytes.space) }
        let more = w2.flatMap { ProcBytes.nextWord(bytes, from: $0.end, e, separator: ProcBytes.space) }
        guard let w2, more == nil, let v = ProcBytes.int64(bytes, w2.start, w2.end) else {
            throw line.bad("expected 'pages free N'")
        }
        return v
    }

    /// "protection: (0, 2815, 15173, 15173)": numbers in parentheses, one per zone type.
    private static func protection(_ line: Line) throws(KernelError) -> [Int64] {
        let bytes = line.bytes
        let (i, j) = ProcBytes.trim(bytes, line.s + 11, line.e)
        guard j - i >= 2, bytes[i] == 0x28, bytes[j - 1] == 0x29 else {  // `(` … `)`
            throw line.bad("expected 'protection: (N, …)'")
        }
        var values: [Int64] = []
        values.reserveCapacity(ZoneType.allCases.count)
        var from = i + 1
        while let part = ProcBytes.nextWord(bytes, from: from, j - 1, separator: ProcBytes.comma) {
            let (ps, pe) = ProcBytes.trim(bytes, part.start, part.end)
            guard let v = ProcBytes.int64(bytes, ps, pe) else {
                throw line.bad("'\(ProcBytes.string(bytes, part.start, part.end))' in protection is not a number")
            }
            values.append(v)
            from = part.end
        }
        return values
    }

    /// "key value": "min      8533", "nr_free_pages 3840", "nr_mapped    2815": exactly two words, the second a number.
    private static func nameValue(_ line: Line) throws(KernelError) -> (key: (start: Int, end: Int), value: Int64) {
        let (bytes, e) = (line.bytes, line.e)
        let key = ProcBytes.nextWord(bytes, from: line.s, e, separator: ProcBytes.space)
        let value = key.flatMap { ProcBytes.nextWord(bytes, from: $0.end, e, separator: ProcBytes.space) }
        let more = value.flatMap { ProcBytes.nextWord(bytes, from: $0.end, e, separator: ProcBytes.space) }
        guard let key, let value, more == nil else { throw line.bad("expected 'name value'") }
        guard let v = ProcBytes.int64(bytes, value.start, value.end) else {
            throw line.bad("'\(ProcBytes.string(bytes, value.start, value.end))' is not a number")
        }
        return (key, v)
    }
}
