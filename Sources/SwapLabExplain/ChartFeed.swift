import SwapLabAnalysis
import SwapLabModel

/// A chart fed sample by sample, as `watch` draws it ten times a second: each sample is read once, for the subject's
/// points (widening the y-range), its counters, and the watermark crossings from the sample before (only the newest
/// 16 are kept); what falls out of the window is trimmed. A frame then costs the new samples, not the whole run.
public struct ChartFeed {
    /// The y-range's extent over every sample read.
    public private(set) var extent = ChartData.PageExtent()
    /// The newest watermark crossings, oldest first.
    public private(set) var crossings: [ChartTransitions.Item] = []
    private var seenUntil = -Double.infinity
    private var points: [ChartPoint] = []
    private var counters: [ChartData.SampleCounters] = []

    public init() {}

    /// Reads the samples of `samples` that arrived since the last call (samples arrive in time order: the new ones
    /// are at the end) for `subject`.
    public mutating func take(_ samples: [Sample], subject: ChartOptions.Subject) {
        let first = samples.lastIndex { $0.time <= seenUntil }.map { $0 + 1 } ?? samples.startIndex
        guard first < samples.endIndex else { return }
        let new = samples[first...]
        let newPoints = ChartData.points(of: subject, samples: new)
        for p in newPoints { extent.add(p) }
        points += newPoints
        counters += new.map(ChartData.SampleCounters.init)
        for i in new.indices where i > samples.startIndex {
            crossings += ChartTransitions.crossings(from: samples[i - 1], to: samples[i])
        }
        if crossings.count > 16 { crossings.removeFirst(crossings.count - 16) }
        seenUntil = samples[samples.endIndex - 1].time
    }

    /// The chart data of the window `shown` from what was read, or nil when that does not line up with it (a
    /// replay, or samples the timeline dropped), so the caller builds it from the window instead.
    public mutating func window(_ shown: Timeline, options: ChartOptions) -> ChartData? {
        guard let start = shown.samples.first?.time else { return nil }
        if let k = counters.firstIndex(where: { $0.time >= start }), k > 0 { counters.removeFirst(k) }
        if let k = points.firstIndex(where: { $0.time >= start }), k > 0 { points.removeFirst(k) }
        // A crossing at the window's first sample belongs to a pair that starts before the window.
        crossings.removeAll { $0.time <= start }
        guard counters.count == shown.samples.count, counters.first?.time == start,
            counters.last?.time == shown.samples.last?.time
        else { return nil }
        return ChartData(
            timeline: shown, resolved: options.subject, points: points, counters: counters,
            pageRange: options.pageRange, timeRange: options.timeRange, reason: options.reason)
    }
}
