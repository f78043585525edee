import Foundation

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
public enum ZoneinfoParser {
    /// The watermark-area keys printed between `pages free` and `protection:`.
    static let fieldKeys: Set<String> = [
        "boost", "min", "low", "high", "promo", "scanned", "spanned", "present", "managed", "cma",
    ]
    /// Keys inside `pagesets` (per CPU) that are not about the zone as a whole.
    static let pagesetKeys: Set<String> = [
        "cpu", "count", "high", "batch", "high_min", "high_max", "vm stats threshold",
    ]

    /// Reads `<root>/proc/zoneinfo`.
    public static func read(root: SystemRoot = SystemRoot()) throws(KernelError) -> Zoneinfo {
        let path = root.resolve("/proc/zoneinfo")
        return try parse(try root.text("/proc/zoneinfo"), path: path)
    }

    private enum Section { case nodeStats, fields, zoneStats, pagesets, trailer }

    private struct ZoneKey: Hashable {
        var node: Int
        var zone: ZoneType
    }

    /// A zone block being read.
    private struct Pending {
        var node: Int
        var zone: ZoneType
        var line: Int
        var fields: [String: Int64] = [:]
        var free: Int64?
        var protection: [Int64] = []
        var stats: [String: Int64] = [:]
        var trailer: [String: Int64] = [:]
    }

    /// Parses the text of a /proc/zoneinfo; `path` is used in errors.
    public static func parse(_ text: String, path: String = "/proc/zoneinfo") throws(KernelError) -> Zoneinfo {
        var zones: [ZoneInfo] = []
        var nodeStats: [Int: [String: Int64]] = [:]
        var nodeOrder: [Int] = []
        var pending: Pending?
        var section = Section.fields

        func finish(_ p: Pending) throws(KernelError) {
            func need(_ key: String) throws(KernelError) -> Int64 {
                guard let v = p.fields[key] else {
                    throw .malformed(
                        path: path, line: p.line, text: "Node \(p.node), zone \(p.zone.rawValue)",
                        reason: "the zone block has no '\(key)' line")
                }
                return v
            }
            guard let free = p.free else {
                throw .malformed(
                    path: path, line: p.line, text: "Node \(p.node), zone \(p.zone.rawValue)",
                    reason: "the zone block has no 'pages free' line")
            }
            let boost = p.fields["boost"] ?? 0
            let snapshot = ZoneSnapshot(
                node: p.node, zone: p.zone, free: Pages(free), min: Pages(try need("min")),
                low: Pages(try need("low")), high: Pages(try need("high")), boost: Pages(boost),
                managed: Pages(try need("managed")), present: Pages(try need("present")),
                spanned: Pages(try need("spanned")), protection: p.protection)
            zones.append(
                ZoneInfo(
                    snapshot: snapshot, promo: p.fields["promo"].map { Pages($0) },
                    cma: p.fields["cma"].map { Pages($0) }, scanned: p.fields["scanned"].map { Pages($0) },
                    printsBoost: p.fields["boost"] != nil, stats: p.stats, trailer: p.trailer, line: p.line))
        }

        var lineNumber = 0
        // Where each zone's block began, so a zone printed twice is refused as `--zones` refuses it.
        var seen: [ZoneKey: Int] = [:]
        // "\r\n" is one Character in Swift: split on it too, so a capture saved with CRLF line ends reads the same.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let trimmed = trimSpaces(rawLine)
            if trimmed.isEmpty { continue }
            func bad(_ reason: String) -> KernelError {
                .malformed(path: path, line: lineNumber, text: String(rawLine), reason: reason)
            }
            if trimmed.hasPrefix("Node ") {
                // "Node 0, zone   Normal"
                let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "," })
                guard words.count == 4, words[2] == "zone", let node = Int(words[1]) else {
                    throw bad("expected 'Node N, zone NAME'")
                }
                guard Limits.kernelNodes.contains(node) else {
                    let last = Limits.kernelNodes.upperBound
                    throw bad("node \(words[1]) is out of range; a kernel numbers its nodes 0…\(last)")
                }
                guard let zone = ZoneType(name: String(words[3])) else {
                    throw bad("unknown zone name '\(words[3])'")
                }
                if let first = seen.updateValue(lineNumber, forKey: ZoneKey(node: node, zone: zone)) {
                    throw bad("node \(node) zone \(zone.rawValue) is printed twice (first at line \(first))")
                }
                if let p = pending { try finish(p) }
                pending = Pending(node: node, zone: zone, line: lineNumber)
                if !nodeOrder.contains(node) { nodeOrder.append(node) }
                section = .fields
                continue
            }
            guard pending != nil else { throw bad("text before the first 'Node N, zone NAME' line") }
            if trimmed == "per-node stats" {
                section = .nodeStats
                continue
            }
            if trimmed == "pagesets" {
                section = .pagesets
                continue
            }
            if trimmed.hasPrefix("pages free") {
                let words = trimmed.split(separator: " ", omittingEmptySubsequences: true)
                guard words.count == 3, let v = Int64(words[2]) else { throw bad("expected 'pages free N'") }
                pending?.free = v
                section = .fields
                continue
            }
            if trimmed.hasPrefix("protection:") {
                let inner = trimSpaces(trimmed.dropFirst("protection:".count))
                guard inner.hasPrefix("("), inner.hasSuffix(")") else { throw bad("expected 'protection: (N, …)'") }
                var values: [Int64] = []
                for part in inner.dropFirst().dropLast().split(separator: ",") {
                    guard let v = Int64(trimSpaces(part)) else {
                        throw bad("'\(part)' in protection is not a number")
                    }
                    values.append(v)
                }
                pending?.protection = values
                section = .zoneStats
                continue
            }
            if let colon = trimmed.firstIndex(of: ":") {
                // "cpu: 0", "count:    0", "vm stats threshold: 24", "node_unreclaimable:  0", "start_pfn: 1"
                let key = String(trimSpaces(trimmed[..<colon]))
                let valueText = trimSpaces(trimmed[trimmed.index(after: colon)...])
                if section == .pagesets && pagesetKeys.contains(key) { continue }
                guard let v = Int64(valueText) else { throw bad("'\(valueText)' is not a number") }
                section = .trailer
                pending?.trailer[key] = v
                continue
            }
            // "key value": "min      8533", "nr_free_pages 3840", "nr_mapped    2815"
            let words = trimmed.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count == 2 else { throw bad("expected 'name value'") }
            let key = String(words[0])
            guard let v = Int64(words[1]) else { throw bad("'\(words[1])' is not a number") }
            switch section {
            case .nodeStats:
                if let node = pending?.node { nodeStats[node, default: [:]][key] = v }
            case .fields where fieldKeys.contains(key):
                pending?.fields[key] = v
            case .fields, .zoneStats:
                pending?.stats[key] = v
            case .pagesets, .trailer:
                pending?.trailer[key] = v
            }
        }
        if let p = pending { try finish(p) }
        guard !zones.isEmpty else {
            throw .empty(path: path, reason: "no 'Node N, zone NAME' block found")
        }
        let nodes = nodeOrder.map { id -> NodeInfo in
            let flags = zones.filter { $0.node == id }.compactMap {
                $0.trailer["node_unreclaimable"] ?? $0.trailer["all_unreclaimable"]
            }
            return NodeInfo(
                id: id, stats: nodeStats[id] ?? [:], unreclaimable: flags.isEmpty ? nil : flags.contains { $0 != 0 })
        }
        return Zoneinfo(path: path, zones: zones, nodes: nodes)
    }
}

/// `text` without leading and trailing spaces and tabs. The sampler parses /proc/zoneinfo ten times a second, and
/// Foundation's `trimmingCharacters(in:)` (which bridges every line) made that cost a few % of a CPU.
@inline(__always)
func trimSpaces(_ text: Substring) -> Substring {
    var s = text
    while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
    while let c = s.last, c == " " || c == "\t" || c == "\r" { s = s.dropLast() }
    return s
}
