import Foundation
import SwapLabKernel
import SwapLabModel

/// The String-based /proc parsers the live sampler used before the byte parsers (swaplab 0.x, until issue 9), kept
/// verbatim as the reference of `swaplab-bench watch`: a `String` per line and per word, every zone stat and every
/// vmstat counter in a dictionary, then the sample's few values picked out.
enum StringProcReference {
    /// The sample as the old `LiveTimeline.readSample()` made it.
    static func readSample(root: SystemRoot) throws(KernelError) -> Sample {
        let time = Syscall.monotonicSeconds()
        let zones = try parse(try root.text("/proc/zoneinfo"), path: root.resolve("/proc/zoneinfo")).zones
            .map { ZoneSample($0.snapshot) }
        let vmstat = try parseVmstat(try root.text("/proc/vmstat"), path: root.resolve("/proc/vmstat"))
        var counters: [String: Int64] = [:]
        for name in LiveTimeline.sampledCounters { if let v = vmstat[name] { counters[name] = v } }
        return Sample(time: time, zones: zones, counters: counters)
    }

    struct Zone {
        var snapshot: ZoneSnapshot
        var promo: Pages?
        var cma: Pages?
        var scanned: Pages?
        var printsBoost: Bool
        var stats: [String: Int64]
        var trailer: [String: Int64]
        var line: Int
        var node: Int { snapshot.node }
    }

    struct Node {
        var id: Int
        var stats: [String: Int64]
        var unreclaimable: Bool?
    }

    struct Parsed {
        var zones: [Zone]
        var nodes: [Node]
    }

    static let fieldKeys: Set<String> = [
        "boost", "min", "low", "high", "promo", "scanned", "spanned", "present", "managed", "cma",
    ]
    static let pagesetKeys: Set<String> = [
        "cpu", "count", "high", "batch", "high_min", "high_max", "vm stats threshold",
    ]

    private enum Section { case nodeStats, fields, zoneStats, pagesets, trailer }

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
    static func parse(_ text: String, path: String = "/proc/zoneinfo") throws(KernelError) -> Parsed {
        var zones: [Zone] = []
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
                Zone(
                    snapshot: snapshot, promo: p.fields["promo"].map { Pages($0) },
                    cma: p.fields["cma"].map { Pages($0) }, scanned: p.fields["scanned"].map { Pages($0) },
                    printsBoost: p.fields["boost"] != nil, stats: p.stats, trailer: p.trailer, line: p.line))
        }

        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
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
                guard let zone = ZoneType(name: String(words[3])) else {
                    throw bad("unknown zone name '\(words[3])'")
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
        let nodes = nodeOrder.map { id -> Node in
            let flags = zones.filter { $0.node == id }.compactMap {
                $0.trailer["node_unreclaimable"] ?? $0.trailer["all_unreclaimable"]
            }
            return Node(
                id: id, stats: nodeStats[id] ?? [:], unreclaimable: flags.isEmpty ? nil : flags.contains { $0 != 0 })
        }
        return Parsed(zones: zones, nodes: nodes)
    }

    /// The old `Vmstat.parse(_:path:)`.
    static func parseVmstat(_ text: String, path: String = "/proc/vmstat") throws(KernelError) -> [String: Int64] {
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
        return counters
    }
}

/// `text` without leading and trailing spaces and tabs. The sampler parses /proc/zoneinfo ten times a second, and
/// Foundation's `trimmingCharacters(in:)` (which bridges every line) made that cost a few % of a CPU.
@inline(__always)
private func trimSpaces(_ text: Substring) -> Substring {
    var s = text
    while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
    while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
    return s
}
