import Foundation
import SwapLabModel

/// The measures that say how a reclaim run behaved, read the same way from any timeline: a real run's (samples from
/// `/proc`, events from tracefs) or the simulator's. The fidelity benchmark reads them from a captured run and from
/// the simulator's mirror of it, and `lab run --compare` from this machine's run and its simulated twin.
///
/// Everything is measured from `start` (the hog's start) to the timeline's end. Counter measures are the change
/// between the last sample at or before `start` and the last sample; event measures count events at or after
/// `start`.
public struct FidelityMeasures: Sendable, Equatable {
    /// Seconds from `start` to the first `mm_vmscan_wakeup_kswapd` or `mm_vmscan_kswapd_wake`; nil when kswapd was
    /// never woken.
    public var firstWake: Double?
    /// Wake → sleep cycles that ended (`kswapd_sleep` after a `kswapd_wake`).
    public var cycles: Int
    /// `balance_pgdat()` passes (`mm_vmscan_kswapd_wake` lines).
    public var passes: Int
    /// Counter changes, by `/proc/vmstat` name (`pswpout`, `pgsteal_kswapd`, …; `allocstall` is the sum of
    /// `allocstall_*`).
    public var deltas: [String: Int64]
    /// Direct reclaim begin/end pairs.
    public var directEpisodes: Int
    /// The lowest free memory of the node (pages, the sum of its zones' free), and the band of the highest zone
    /// against its own marks in that sample.
    public var lowestFree: Int64?
    public var lowestBand: WatermarkCrossing.Band?
    /// For each `kswapd_sleep`, the zone that was balanced (free above high + the protection it holds against the
    /// highest zone) in the sample nearest the sleep; nil when none was (kswapd gave up).
    public var balancedAtSleep: [ZoneType?]
    /// Seconds kswapd was awake (cycles clipped to the window; an open cycle runs to the end).
    public var awakeTime: Double
    /// Pages swapped out while kswapd was awake, per awake second (pages/s); nil when it never woke.
    public var swapOutRateAwake: Double?
    /// OOM kills (`oom_kill` counter, or `mark_victim` events when the counter is missing).
    public var oomKills: Int

    /// The vmstat counters measured as changes.
    public static let counterNames = [
        "pswpout", "pswpin", "pgscan_kswapd", "pgsteal_kswapd", "pgscan_direct", "pgsteal_direct", "pgsteal_file",
        "pgsteal_anon", "allocstall",
    ]

    public init(_ timeline: Timeline, from start: Double) {
        let window = timeline.since(start)
        let analysis = TimelineAnalysis(window)
        let end = timeline.span?.upperBound ?? start
        let firstEvent = window.events.first {
            $0.name == TracepointName.wakeupKswapd.rawValue || $0.name == TracepointName.kswapdWake.rawValue
        }
        firstWake = firstEvent.map { $0.time - start }
        cycles = analysis.cycles.filter { $0.wake != nil && $0.sleep != nil }.count
        passes = analysis.count(.kswapdWake)
        directEpisodes = analysis.directEpisodes.count
        let before = timeline.samples.last { $0.time <= start } ?? window.samples.first
        let after = timeline.samples.last
        deltas = Self.counterDeltas(before: before, after: after)
        let lowest = window.samples.min { Self.nodeFree($0) < Self.nodeFree($1) }
        lowestFree = lowest.map(Self.nodeFree)
        lowestBand = lowest.flatMap { s in
            s.zones.last { $0.managed.count > 0 }.map {
                WatermarkCrossing.Band.of(
                    free: $0.free.count, min: $0.min.count, low: $0.low.count, high: $0.high.count)
            }
        }
        let sleeps = window.events.filter { $0.name == TracepointName.kswapdSleep.rawValue }.map(\.time)
        balancedAtSleep = sleeps.map { t in
            timeline.samples.min { abs($0.time - t) < abs($1.time - t) }.flatMap(Self.balancedZone)
        }
        let spans = analysis.cycles.compactMap { c -> (Double, Double)? in
            guard let w = c.wake ?? c.passes.first else { return nil }
            return (Swift.max(w, start), Swift.min(c.sleep ?? end, end))
        }
        awakeTime = spans.reduce(0) { $0 + Swift.max(0, $1.1 - $1.0) }
        let swapped = spans.reduce(Int64(0)) { sum, span in
            let a = timeline.samples.last { $0.time <= span.0 } ?? timeline.samples.first
            let b = timeline.samples.last { $0.time <= span.1 }
            return sum + Swift.max(0, (b?.counters["pswpout"] ?? 0) - (a?.counters["pswpout"] ?? 0))
        }
        swapOutRateAwake = awakeTime > 0 ? Double(swapped) / awakeTime : nil
        if let a = before?.counters["oom_kill"], let b = after?.counters["oom_kill"] {
            oomKills = Int(Swift.max(0, b - a))
        } else {
            oomKills = analysis.oomKills.count
        }
    }

    /// The change of each counter in `counterNames` between two samples (0 where either lacks it).
    static func counterDeltas(before: Sample?, after: Sample?) -> [String: Int64] {
        var out: [String: Int64] = [:]
        func value(_ s: Sample?, _ name: String) -> Int64 {
            guard let s else { return 0 }
            if name == "allocstall" {
                return s.counters.filter { $0.key.hasPrefix("allocstall_") }.values.reduce(0, +)
            }
            return s.counters[name] ?? 0
        }
        for name in counterNames { out[name] = Swift.max(0, value(after, name) - value(before, name)) }
        return out
    }

    /// The sum of the zones' free pages.
    static func nodeFree(_ s: Sample) -> Int64 { s.zones.reduce(0) { $0 + $1.free.count } }

    /// The highest zone whose free is above its high mark plus the protection it holds against the highest zone
    /// with memory (`pgdat_balanced()` with `highest_zoneidx` = that zone), or nil.
    static func balancedZone(_ s: Sample) -> ZoneType? {
        let zones = s.zones.filter { $0.managed.count > 0 }
        guard let top = zones.last else { return nil }
        let topIndex = ZoneType.allCases.firstIndex(of: top.zone) ?? 0
        for z in zones.reversed() {
            let protection = z.protection.flatMap { $0.indices.contains(topIndex) ? $0[topIndex] : nil } ?? 0
            if z.free.count > z.high.count + protection { return z.zone }
        }
        return nil
    }

    /// Whether kswapd woke (a wake-up or a pass).
    public var woke: Bool { firstWake != nil || passes > 0 }
    /// Whether kswapd gave up: a sleep with no balanced zone.
    public var gaveUp: Bool { balancedAtSleep.contains { $0 == nil } }
    /// Whether there was direct reclaim.
    public var direct: Bool { (deltas["allocstall"] ?? 0) > 0 || directEpisodes > 0 }
    /// The share of reclaimed pages that were file pages (0…1), nil when nothing was reclaimed.
    public var fileShare: Double? {
        let file = deltas["pgsteal_file"] ?? 0
        let total = file + (deltas["pgsteal_anon"] ?? 0)
        return total > 0 ? Double(file) / Double(total) : nil
    }
}

extension FidelityMeasures {
    /// One row of a side-by-side comparison.
    public struct Row: Sendable, Equatable {
        public var name: String
        public var unit: String
        public var real: Double?
        public var simulated: Double?
        /// True when the measure counts toward the score: non-zero on at least one side.
        public var counts: Bool
        /// True when both sides are non-zero and within `factor` of each other.
        public var within: Bool

        /// A value of this measure as a table shows it: whole numbers plain, others to two places, with the unit;
        /// a band by its name; "—" when there is none.
        public func text(_ v: Double?) -> String {
            guard let v else { return "—" }
            if unit == "band" { return WatermarkCrossing.Band(rawValue: Int(v))?.name ?? "?" }
            let number = v == v.rounded() && abs(v) < 1e12 ? String(Int64(v)) : String(format: "%.2f", v)
            return unit.isEmpty ? number : "\(number) \(unit)"
        }

        /// Simulated over real (`1.03×`), or "" for a band or where either side is zero or missing.
        public var ratio: String {
            guard unit != "band", let a = real, let b = simulated, a > 0, b > 0 else { return "" }
            return String(format: "%.2f×", b / a)
        }

        /// ✓ within 2×, ✗ not, "" when the measure does not count.
        public var mark: String { !counts ? "" : within ? "✓" : "✗" }
    }

    /// One yes/no behaviour on both sides.
    public struct Behaviour: Sendable, Equatable {
        public var name: String
        public var real: String
        public var simulated: String
        public var matches: Bool { real == simulated }
    }

    /// Page counts under 1 MiB count as zero.
    static let pagesFloor = 256.0

    /// The numeric measures of `real` against `simulated`, within `factor` (2×).
    public static func rows(real: Self, simulated: Self, factor: Double = 2) -> [Row] {
        func pages(_ m: Self, _ name: String) -> Double? { m.deltas[name].map(Double.init) }
        var list: [(String, String, (Self) -> Double?, Double)] = [
            ("hog start → first wake", "s", { $0.firstWake }, 0),
            ("wake→sleep cycles", "", { Double($0.cycles) }, 0),
            ("balance passes", "", { Double($0.passes) }, 0),
        ]
        for name in counterNames where name != "pgsteal_file" && name != "pgsteal_anon" {
            list.append(
                (name, name == "allocstall" ? "" : "pages", { pages($0, name) }, name == "allocstall" ? 0 : pagesFloor))
        }
        list += [
            ("kswapd file share", "%", { $0.fileShare.map { $0 * 100 } }, 0),
            ("direct episodes", "", { Double($0.directEpisodes) }, 0),
            ("lowest free", "MiB", { $0.lowestFree.map { Double($0) / 256 } }, 1),
            ("swap-out while awake", "MiB/s", { $0.swapOutRateAwake.map { $0 / 256 } }, 0),
            ("kswapd awake", "s", { $0.awakeTime }, 0),
            ("OOM kills", "", { Double($0.oomKills) }, 0),
        ]
        var rows = list.map { name, unit, read, floor in
            let r = read(real).map { $0 < floor ? 0 : $0 }
            let s = read(simulated).map { $0 < floor ? 0 : $0 }
            let rz = (r ?? 0) == 0
            let sz = (s ?? 0) == 0
            let within = !rz && !sz && Swift.max(r!, s!) <= factor * Swift.min(r!, s!)
            return Row(name: name, unit: unit, real: r, simulated: s, counts: !(rz && sz), within: within)
        }
        // Where the lowest free sat against the marks: a category, a hit when both sides name the same band.
        let r = real.lowestBand.map { Double($0.rawValue) }
        let s = simulated.lowestBand.map { Double($0.rawValue) }
        rows.append(Row(name: "lowest free's band", unit: "band", real: r, simulated: s, counts: true, within: r == s))
        return rows
    }

    /// The yes/no behaviours of `real` against `simulated`.
    public static func behaviours(real: Self, simulated: Self) -> [Behaviour] {
        func yes(_ b: Bool) -> String { b ? "yes" : "no" }
        func zone(_ m: Self) -> String {
            let z = m.balancedAtSleep.compactMap { $0 }
            return z.isEmpty ? "none" : Array(Set(z.map(\.rawValue))).sorted().joined(separator: "+")
        }
        let pairs: [(String, (Self) -> String)] = [
            ("woke", { yes($0.woke) }), ("slept", { yes($0.cycles > 0) }), ("gave up", { yes($0.gaveUp) }),
            ("direct reclaim", { yes($0.direct) }), ("swapped", { yes(($0.deltas["pswpout"] ?? 0) > 0) }),
            ("file > anon", { yes(($0.fileShare ?? 0) > 0.5) }), ("OOM", { yes($0.oomKills > 0) }),
            ("balanced zone", zone),
        ]
        return pairs.map { Behaviour(name: $0.0, real: $0.1(real), simulated: $0.1(simulated)) }
    }
}
