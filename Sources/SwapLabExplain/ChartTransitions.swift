import SwapLabAnalysis
import SwapLabModel

/// The latest transitions of a timeline in a few words each, for `watch`: a zone's free memory crossing its
/// watermarks, kswapd waking and sleeping, direct reclaim stalls. (The full story is the explainer's job.)
public enum ChartTransitions {
    /// One transition: when, and what happened, in words.
    public struct Item: Hashable, Sendable {
        public var time: Double
        public var text: String
        /// The same in Korean (`text(_:)`).
        public var ko: String

        public init(time: Double, text: String, ko: String) { (self.time, self.text, self.ko) = (time, text, ko) }

        /// The words in `lang`.
        public func text(_ lang: NarrativeLanguage) -> String { lang == .ko ? ko : text }
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
                let (zone, plusKo) = (z.zone.rawValue, z.protection.count > 0 ? "+보호" : "")
                func mib(_ v: Pages) -> String { ChartFormat.mebibytes(Double((v + z.protection).count)) + " MiB" }
                if from >= .lowToHigh && to <= .minToLow {
                    pair.append(
                        Item(
                            time: b.time, text: "\(name) fell below low\(plus) (\(mib(now.low)))",
                            ko: "\(zone) 여유가 Low\(plusKo)(\(mib(now.low))) 아래로 내려감"))
                }
                if from >= .minToLow && to == .belowMin {
                    pair.append(
                        Item(
                            time: b.time, text: "\(name) fell below min\(plus) (\(mib(now.min)))",
                            ko: "\(zone) 여유가 Min\(plusKo)(\(mib(now.min))) 아래로 내려감"))
                }
                if from <= .lowToHigh && to == .aboveHigh {
                    pair.append(
                        Item(
                            time: b.time, text: "\(name) rose above high\(plus) (\(mib(now.high)))",
                            ko: "\(zone) 여유가 High\(plusKo)(\(mib(now.high))) 위로 올라감"))
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
        let howKo = inferred ? " (pgscan_kswapd로 추정)" : ""
        for c in cycles {
            if c.startSeen { items.append(Item(time: c.start, text: "kswapd woke" + how, ko: "kswapd가 깨어남" + howKo)) }
            if let e = c.end {
                items.append(Item(time: e, text: "kswapd went back to sleep" + how, ko: "kswapd가 다시 잠듦" + howKo))
            }
        }
        let (stalls, directInferred) =
            chart.map { ($0.direct, $0.directInferred) }
            ?? ChartData.directReclaim(timeline: timeline, analysis: analysis)
        for s in stalls {
            let ms = s.end.map { ChartFormat.fixed(($0 - s.start) * 1000, 1) + " ms" }
            items.append(
                Item(
                    time: s.start,
                    text: "a task stalled in direct reclaim" + (ms.map { " for " + $0 } ?? "")
                        + (directInferred ? " (inferred)" : ""),
                    ko: "task가 direct reclaim에서 " + (ms.map { $0 + " 동안 " } ?? "") + "멈춤"
                        + (directInferred ? " (추정)" : "")))
        }
        for k in analysis?.oomKills ?? [] {
            items.append(
                Item(time: k.time, text: "the OOM killer chose pid \(k.pid)", ko: "OOM killer가 pid \(k.pid) 선택"))
        }
        items.sort { $0.time < $1.time }
        return Array(items.suffix(limit))
    }
}
