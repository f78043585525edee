import Foundation

/// A watermark a predicate compares free pages with.
public enum WatermarkLevel: String, CaseIterable, Sendable, Decodable {
    case min, low, high

    /// This watermark of `zone`, in pages (as /proc/zoneinfo prints it, boost included).
    public func pages(in zone: ZoneSample) -> Pages {
        switch self {
        case .min: return zone.min
        case .low: return zone.low
        case .high: return zone.high
        }
    }
}

/// A comparison in a counter predicate (`"> 0"`, `">= 100"`, `"== 0"`).
public struct Comparison: Hashable, Sendable, CustomStringConvertible {
    public enum Operator: String, CaseIterable, Sendable { case ge = ">=", le = "<=", eq = "==", gt = ">", lt = "<" }
    public var op: Operator
    public var value: Int64

    /// Parses `"> 0"`; nil when the text is not an operator followed by an integer.
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let op = Operator.allCases.first(where: { t.hasPrefix($0.rawValue) }),
            let v = Int64(t.dropFirst(op.rawValue.count).trimmingCharacters(in: .whitespaces))
        else { return nil }
        self.op = op
        self.value = v
    }

    public func holds(_ x: Int64) -> Bool {
        switch op {
        case .gt: return x > value
        case .ge: return x >= value
        case .lt: return x < value
        case .le: return x <= value
        case .eq: return x == value
        }
    }

    public var description: String { "\(op.rawValue) \(value)" }
}

/// A named group of an `output` pattern whose captured integer must compare as given (`where: {pages: "> 0"}`).
public struct GroupComparison: Hashable, Sendable {
    public var group: String
    public var comparison: Comparison

    public init(group: String, comparison: Comparison) {
        self.group = group
        self.comparison = comparison
    }
}

/// The tracepoints lessons may name, and the short names lessons use for them.
public enum Tracepoints {
    /// Short names → kernel tracepoint names (`include/trace/events/vmscan.h`, `oom.h`).
    public static let aliases: [String: String] = [
        "kswapd_wake": "mm_vmscan_kswapd_wake",
        "kswapd_sleep": "mm_vmscan_kswapd_sleep",
        "wakeup_kswapd": "mm_vmscan_wakeup_kswapd",
        "direct_reclaim": "mm_vmscan_direct_reclaim_begin",
        "direct_reclaim_end": "mm_vmscan_direct_reclaim_end",
        "oom_kill": "mark_victim",
        "write_folio": "mm_vmscan_write_folio",
    ]

    /// Every vmscan and oom event of Linux 6.18 (the fixtures' `events/vmscan` and `events/oom` listings).
    public static let known: Set<String> = [
        "mm_shrink_slab_end", "mm_shrink_slab_start", "mm_vmscan_direct_reclaim_begin",
        "mm_vmscan_direct_reclaim_end", "mm_vmscan_kswapd_sleep", "mm_vmscan_kswapd_wake", "mm_vmscan_lru_isolate",
        "mm_vmscan_lru_shrink_active", "mm_vmscan_lru_shrink_inactive", "mm_vmscan_memcg_reclaim_begin",
        "mm_vmscan_memcg_reclaim_end", "mm_vmscan_memcg_softlimit_reclaim_begin",
        "mm_vmscan_memcg_softlimit_reclaim_end", "mm_vmscan_node_reclaim_begin", "mm_vmscan_node_reclaim_end",
        "mm_vmscan_reclaim_pages", "mm_vmscan_throttled", "mm_vmscan_wakeup_kswapd", "mm_vmscan_write_folio",
        "compact_retry", "finish_task_reaping", "mark_victim", "oom_score_adj_update", "reclaim_retry_zone",
        "skip_task_reaping", "start_task_reaping", "wake_reaper",
    ]

    /// The kernel name for `name` (an alias or a tracepoint name), nil when unknown.
    public static func resolve(_ name: String) -> String? {
        if let a = aliases[name] { return a }
        return known.contains(name) ? name : nil
    }
}

/// Which zones a `free` predicate looks at.
public enum ZoneSelector: Hashable, Sendable {
    /// The zone of node 0 with the most managed pages: where most allocations land (Normal on a big machine,
    /// DMA32 on a small one). The default, because DMA never moves and would satisfy "above high" trivially.
    case largest
    /// Any sampled zone.
    case any
    /// This zone of node 0.
    case zone(ZoneType)
}

/// What a predicate tests.
public enum Condition: Sendable {
    /// Free pages below (`free <= mark`, the watermark check fails) or above (`free > mark`, it passes) a
    /// watermark, in one zone, any zone, or (by default) the largest zone of node 0; `last` looks only at the
    /// window's last sample. The comparison mirrors `__zone_watermark_ok()` in mm/page_alloc.c for order 0.
    case free(zone: ZoneSelector, below: Bool, mark: WatermarkLevel, lastOnly: Bool)
    /// At least `atLeast` (or at most `atMost`) events of tracepoint `name` in the window, optionally only
    /// after the moment predicate `after` was first met.
    case event(name: String, atLeast: Int, atMost: Int?, after: String?)
    /// The change of a /proc/vmstat counter over the window compares as given (`pswpout > 0`).
    case counter(name: String, delta: Comparison)
    /// The OOM killer chose a victim: a `mark_victim` event or an `oom_kill` counter increase.
    case oomKill
    /// The output of the commands in the window (errors included) matches a regular expression; each entry of
    /// `compare` names a group of the pattern whose captured integer must compare as given (`pages: "> 524288"`).
    case output(pattern: String, compare: [GroupComparison] = [])
    /// A predicate name this engine does not know (the linter reports it; it always fails).
    case unknown(String, reason: String)
}

/// A named check inside `expect.all`, with its own feedback shown when it fails.
public struct Predicate: Sendable, Decodable {
    public var id: String
    public var condition: Condition
    /// Shown when this predicate fails; `{…}` placeholders are filled with the observed values.
    public var feedback: LocalizedText?

    public init(id: String, condition: Condition, feedback: LocalizedText? = nil) {
        self.id = id
        self.condition = condition
        self.feedback = feedback
    }

    /// The names of the predicates a lesson may use.
    public static let knownNames = ["free", "event", "counter", "oom_kill", "output"]

    /// Placeholders each predicate fills (for the linter and for lesson authors).
    public static func placeholders(for condition: Condition) -> Set<String> {
        switch condition {
        case .free:
            return ["zone", "node", "free", "min", "low", "high", "mark", "gap", "free_bytes", "gap_bytes", "at"]
        case .event: return ["event", "count", "at", "nid", "order", "comm", "pid"]
        case .counter: return ["counter", "delta", "before", "after"]
        case .oomKill: return ["count", "victim", "pid", "at"]
        case .output(let pattern, _):
            // Named groups of the pattern (`(?<low>\d+)`) fill placeholders of their own.
            return Set(["matched"] + pattern.matches(of: /\(\?<([a-z_][a-z0-9_]*)>/).map { String($0.output.1) })
        case .unknown: return []
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private struct FreeSpec: Decodable {
        var zone: String?
        var below: WatermarkLevel?
        var above: WatermarkLevel?
        var when: String?
    }

    private struct EventSpec: Decodable {
        var name: String
        var at_least: Int? = nil
        var at_most: Int? = nil
        var after: String? = nil
    }

    private struct CounterSpec: Decodable {
        var name: String
        var delta: String
    }

    private struct OutputSpec: Decodable {
        var matches: String
        var `where`: [String: String]? = nil
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        id = try c.decode(String.self, forKey: AnyKey(stringValue: "id"))
        feedback = try c.decodeIfPresent(LocalizedText.self, forKey: AnyKey(stringValue: "feedback"))
        let names = c.allKeys.map(\.stringValue).filter { $0 != "id" && $0 != "feedback" }
        guard names.count == 1, let name = names.first else {
            condition = .unknown(
                names.joined(separator: ","),
                reason: names.isEmpty
                    ? "has no condition; add one of \(Predicate.knownNames.joined(separator: ", "))"
                    : "has several conditions (\(names.sorted().joined(separator: ", "))); give each its own id")
            return
        }
        let key = AnyKey(stringValue: name)
        switch name {
        case "free":
            let s = try c.decode(FreeSpec.self, forKey: key)
            var zone = ZoneSelector.largest
            if let z = s.zone {
                if z.lowercased() == "any" {
                    zone = .any
                } else if let t = ZoneType(name: z) {
                    zone = .zone(t)
                } else {
                    throw DecodingError.dataCorruptedError(
                        forKey: key, in: c,
                        debugDescription: "unknown zone '\(z)'; use DMA, DMA32, Normal, Movable or any (or leave it out)")
                }
            }
            guard (s.below == nil) != (s.above == nil), let mark = s.below ?? s.above else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: c, debugDescription: "free needs exactly one of below: or above: (min, low or high)")
            }
            guard s.when == nil || s.when == "any" || s.when == "last" else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: c, debugDescription: "when: takes any or last, not '\(s.when ?? "")'")
            }
            condition = .free(zone: zone, below: s.below != nil, mark: mark, lastOnly: s.when == "last")
        case "event":
            let s: EventSpec
            if let plain = try? c.decode(String.self, forKey: key) {
                s = EventSpec(name: plain)
            } else {
                s = try c.decode(EventSpec.self, forKey: key)
            }
            guard let tp = Tracepoints.resolve(s.name) else {
                condition = .unknown(
                    "event", reason: "names an unknown event '\(s.name)'; use kswapd_wake, kswapd_sleep, wakeup_kswapd, "
                        + "direct_reclaim, oom_kill or a vmscan/oom tracepoint name")
                return
            }
            condition = .event(name: tp, atLeast: s.at_least ?? (s.at_most == nil ? 1 : 0), atMost: s.at_most, after: s.after)
        case "counter":
            let s = try c.decode(CounterSpec.self, forKey: key)
            guard let cmp = Comparison(s.delta) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: c, debugDescription: "delta '\(s.delta)' is not a comparison; write it like \"> 0\"")
            }
            condition = .counter(name: s.name, delta: cmp)
        case "oom_kill":
            condition = .oomKill
        case "output":
            let s: OutputSpec
            if let plain = try? c.decode(String.self, forKey: key) { s = OutputSpec(matches: plain) } else {
                s = try c.decode(OutputSpec.self, forKey: key)
            }
            guard (try? Regex(s.matches)) != nil else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: c, debugDescription: "'\(s.matches)' is not a valid regular expression")
            }
            var compare: [GroupComparison] = []
            for (group, text) in (s.where ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let cmp = Comparison(text) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: key, in: c,
                        debugDescription: "where: \(group): '\(text)' is not a comparison; write it like \"> 524288\"")
                }
                compare.append(GroupComparison(group: group, comparison: cmp))
            }
            condition = .output(pattern: s.matches, compare: compare)
        default:
            condition = .unknown(
                name, reason: "uses the unknown predicate '\(name)'; known: \(Predicate.knownNames.joined(separator: ", "))")
        }
    }
}
