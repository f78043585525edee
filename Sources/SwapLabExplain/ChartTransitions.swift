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

    /// The watermark crossings of every zone between two consecutive samples (`WatermarkCrossing.crossings(from:to:)`,
    /// each sample's free against its own marks): free falling to or below low or min, or rising above high.
    public static func crossings(from a: Sample, to b: Sample) -> [Item] {
        var pair: [Item] = []
        // Most pairs cross nothing: the words are made only for a crossing (watch redraws at 10 Hz).
        for c in WatermarkCrossing.crossings(from: a, to: b) {
            guard let z = b.zone(c.zone, node: c.node) else { continue }
            let name = "\(z.zone.rawValue) free"
            func mib(_ v: Pages) -> String { ChartFormat.mebibytes(Double(v.count)) + " MiB" }
            if c.fellBelowLow { pair.append(Item(time: b.time, text: "\(name) fell below low (\(mib(z.low)))")) }
            if c.fellBelowMin { pair.append(Item(time: b.time, text: "\(name) fell below min (\(mib(z.min)))")) }
            if c.roseAboveHigh { pair.append(Item(time: b.time, text: "\(name) rose above high (\(mib(z.high)))")) }
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
