import SwapLabAnalysis
import SwapLabModel

/// A run on this machine and the simulator's run of the same plan, on one clock: seconds from each run's hog
/// start, so the two free-memory lines and their kswapd cycles line up in one chart. Each timeline keeps what
/// happened from its hog's start on; the measures are `FidelityMeasures` of both, from the same start.
public struct RunComparison: Sendable {
    /// This machine's run, its hog's start at 0.
    public var real: Timeline
    /// The simulator's run, its hog's start at 0.
    public var simulated: Timeline
    public var rows: [FidelityMeasures.Row]
    public var behaviours: [FidelityMeasures.Behaviour]
    /// Huge pages the lab's balloon held on this machine and in the simulator, when a lab ran on both.
    public var balloon: (real: Int64, simulated: Int64)?
    /// The hog's size (MiB) each lab chose, when a lab ran on both.
    public var hogMib: (real: Int64, simulated: Int64)?

    /// The pair from two whole timelines and the time each one's hog started on its own clock.
    public init(
        real: Timeline, realHogStart: Double, simulated: Timeline, simulatedHogStart: Double,
        balloon: (real: Int64, simulated: Int64)? = nil, hogMib: (real: Int64, simulated: Int64)? = nil
    ) {
        let r = FidelityMeasures(real, from: realHogStart)
        let s = FidelityMeasures(simulated, from: simulatedHogStart)
        rows = FidelityMeasures.rows(real: r, simulated: s)
        behaviours = FidelityMeasures.behaviours(real: r, simulated: s)
        self.real = RunComparison.fromHogStart(real, realHogStart)
        self.simulated = RunComparison.fromHogStart(simulated, simulatedHogStart)
        self.balloon = balloon
        self.hogMib = hogMib
    }

    /// The part of `timeline` from `start` on, with `start` moved to 0; the last sample before `start` is kept at
    /// 0, so the line starts where the hog found free memory.
    static func fromHogStart(_ timeline: Timeline, _ start: Double) -> Timeline {
        var window = timeline.since(start)
        if let before = timeline.samples.last(where: { $0.time < start }),
            window.samples.first.map({ $0.time > start }) ?? true
        {
            var s = before
            s.time = start
            window.samples.insert(s, at: 0)
        }
        window.samples = window.samples.map {
            var s = $0; s.time -= start; return s
        }
        window.events = window.events.map {
            var e = $0; e.time -= start; return e
        }
        window.markers = window.markers.map {
            var m = $0; m.time -= start; return m
        }
        return window
    }

    /// The time both lines are drawn over: from the hogs' start to the later run's end.
    public var timeRange: ClosedRange<Double> {
        0...Swift.max(real.span?.upperBound ?? 0, simulated.span?.upperBound ?? 0, 1e-3)
    }

    /// The measures off by more than 2× (counted, not within).
    public var missed: [FidelityMeasures.Row] { rows.filter { $0.counts && !$0.within } }
    /// The yes/no behaviours that differ.
    public var differing: [FidelityMeasures.Behaviour] { behaviours.filter { !$0.matches } }
}

/// The simulator's line in a chart drawn over this machine's run: its free memory for the chart's subject and its
/// kswapd cycles, on the chart's clock.
public struct ChartOverlay: Sendable {
    public var points: [ChartPoint]
    public var kswapd: [ChartSpan]
    public var kswapdPasses: Int

    /// The overlay of `timeline` for `subject` (not `.auto`) within `start…end`; nil when it has no such points.
    init?(_ timeline: Timeline, subject: ChartOptions.Subject, start: Double, end: Double) {
        points = ChartData.points(of: subject, in: timeline).filter { $0.time >= start && $0.time <= end }
        guard !points.isEmpty else { return nil }
        var node = 0
        if case .zone(_, let n) = subject { node = n }
        if case .node(let n) = subject { node = n }
        let (spans, passes, _) = ChartData.kswapdCycles(timeline: timeline, node: node)
        kswapd = spans.filter { $0.start <= end }
        kswapdPasses = passes
    }
}
