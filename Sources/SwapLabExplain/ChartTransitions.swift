import SwapLabAnalysis
import SwapLabModel

/// The latest transitions of a timeline in a few words each, for `watch`: a zone's free memory crossing its
/// watermarks, kswapd waking and sleeping, direct reclaim stalls. (The full story is the explainer's job.)
public enum ChartTransitions {
    /// One transition: when, and what happened, in words.
    public struct Item: Hashable, Sendable {
        public var time: Double
        public var text: String
    }

    /// The crossings of every zone between two consecutive samples, each sample's free against the lines the chart
    /// draws, its own marks plus the zone's protection against a user allocation (`KswapdDecision.thresholds`; at a
    /// line counts as below it, as `__zone_watermark_ok()` tests `free <= mark`): free falling to or below low or
    /// min, or rising above high.
    public static func crossings(from a: Sample, to b: Sample) -> [Item] {
        var pair: [Item] = []
        for node in Set(b.zones.map(\.node)).sorted() {
            let before = KswapdDecision.thresholds(a, node: node).zones
            for z in KswapdDecision.thresholds(b, node: node).zones {
                guard let old = before.first(where: { $0.zone == z.zone }), let now = b.zone(z.zone, node: node),
                    let then = a.zone(z.zone, node: node)
                else { continue }
                func band(_ s: ZoneSample, _ p: Pages) -> WatermarkCrossing.Band {
                    .of(free: s.free.count, min: (s.min + p).count, low: (s.low + p).count, high: (s.high + p).count)
                }
                let (from, to) = (band(then, old.protection), band(now, z.protection))
                // Most pairs cross nothing: the words are made only for a crossing (watch redraws at 10 Hz).
                guard from != to else { continue }
                let name = "\(z.zone.rawValue) free"
                let plus = z.protection.count > 0 ? "+prot" : ""
                func mib(_ v: Pages) -> String { ChartFormat.mebibytes(Double((v + z.protection).count)) + " MiB" }
                if from >= .lowToHigh && to <= .minToLow {
                    pair.append(Item(time: b.time, text: "\(name) fell below low\(plus) (\(mib(now.low)))"))
                }
                if from >= .minToLow && to == .belowMin {
                    pair.append(Item(time: b.time, text: "\(name) fell below min\(plus) (\(mib(now.min)))"))
                }
                if from <= .lowToHigh && to == .aboveHigh {
                    pair.append(Item(time: b.time, text: "\(name) rose above high\(plus) (\(mib(now.high)))"))
                }
            }
        }
        return pair
    }

    /// The last `limit` transitions, oldest first. `chart`, when given, is the chart data already built from the
    /// same timeline: its kswapd and direct-reclaim spans are used instead of finding them again. `crossings`, when
    /// given, are the timeline's watermark crossings already found (`crossings(from:to:)` over its pairs, in time
    /// order; the newest `limit` are enough).
    public static func recent(
        in timeline: Timeline, limit: Int = 4, chart: ChartData? = nil, crossings: [Item]? = nil
    ) -> [Item] {
        var items: [Item] = []
        if let crossings {
            items = Array(crossings.suffix(limit))
        } else {
            // From the newest pair back, until `limit` crossings are found (older ones cannot be among the last
            // `limit` transitions); then in time order.
            let samples = timeline.samples
            for i in samples.indices.dropFirst().reversed() {
                if items.count >= limit { break }
                items.insert(contentsOf: self.crossings(from: samples[i - 1], to: samples[i]), at: 0)
            }
        }
        // One analysis for the kswapd, direct-reclaim and OOM lines: the chart's when it made one.
        let analysis = timeline.events.isEmpty ? nil : (chart?.analysis ?? TimelineAnalysis(timeline))
        let (cycles, inferred) =
            chart.map { ($0.kswapd, $0.kswapdInferred) }
            ?? {
                let c = ChartData.kswapdCycles(timeline: timeline, node: 0, analysis: analysis)
                return (c.0, c.2)
            }()
        let how = inferred ? " (inferred from pgscan_kswapd)" : ""
        for c in cycles {
            if c.startSeen { items.append(Item(time: c.start, text: "kswapd woke" + how)) }
            if let e = c.end { items.append(Item(time: e, text: "kswapd went back to sleep" + how)) }
        }
        let (stalls, directInferred) =
            chart.map { ($0.direct, $0.directInferred) }
            ?? ChartData.directReclaim(timeline: timeline, analysis: analysis)
        for s in stalls {
            let ms = s.end.map { " for " + ChartFormat.fixed(($0 - s.start) * 1000, 1) + " ms" } ?? ""
            items.append(
                Item(
                    time: s.start, text: "a task stalled in direct reclaim\(ms)" + (directInferred ? " (inferred)" : "")
                ))
        }
        for k in analysis?.oomKills ?? [] {
            items.append(Item(time: k.time, text: "the OOM killer chose pid \(k.pid)"))
        }
        items.sort { $0.time < $1.time }
        return Array(items.suffix(limit))
    }
}
