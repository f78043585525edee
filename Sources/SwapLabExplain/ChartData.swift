import SwapLabAnalysis
import SwapLabModel

/// What a chart shows and how: the subject (a zone, or a node's zones summed), glyphs, size and colour.
public struct ChartOptions: Sendable {
    /// Which characters draw the curve.
    public enum Glyphs: String, CaseIterable, Sendable {
        /// Lower-eighth blocks `▁▂▃▄▅▆▇█`: eight levels per row, stable across fonts.
        case block
        /// Braille dots, 2 × 4 per cell: the finest curve, but some fonts show "off" dots.
        case braille
        /// 7-bit characters only (`*`, `|`, `-`, `.`, `^`, `=`, `v`): any terminal, any log.
        case ascii
    }

    /// Whose free memory to draw.
    public enum Subject: Hashable, Sendable {
        /// The zone whose threshold decided kswapd's last wake or sleep (`KswapdDecision`), else the zone that came
        /// closest to its wake threshold.
        case auto
        case zone(ZoneType, node: Int)
        /// The node's free memory in the zones a user allocation may use, against the wake point, the sleep
        /// condition and the direct-reclaim point, as `watermarks` computes them (`WakePoint`).
        case node(Int)
    }

    public var subject: Subject
    /// One panel per zone instead of one subject.
    public var allZones: Bool
    public var glyphs: Glyphs
    /// Total width in terminal cells (the plot is narrower by its labels).
    public var width: Int
    /// Rows of the plot area (the whole chart is taller by its axis, lanes and legend).
    public var height: Int
    /// ANSI colours; off by default, so the chart reads the same with NO_COLOR.
    public var color: Bool
    /// A y-range in pages to keep (e.g. the whole run's range while watching); nil computes it from the timeline.
    public var pageRange: ClosedRange<Double>?
    /// A time window to lay the x-axis over (e.g. a whole recording while it plays back); nil uses the timeline's.
    public var timeRange: ClosedRange<Double>?
    /// The language of titles, legends and lane labels (counter names stay as the kernel spells them).
    public var lang: NarrativeLanguage = .en
    /// Why `.auto` became the subject it is (set by `ChartData.choose`), told under the title.
    public var reason: ChartReason?
    /// The simulator's run of the same plan on the chart's clock (`RunComparison.simulated`): its free line and
    /// kswapd cycles are drawn beside this machine's.
    public var overlay: Timeline?

    public init(
        subject: Subject = .auto, allZones: Bool = false, glyphs: Glyphs = .block, width: Int = 80, height: Int = 16,
        color: Bool = false, pageRange: ClosedRange<Double>? = nil
    ) {
        self.subject = subject
        self.allZones = allZones
        self.glyphs = glyphs
        self.width = width
        self.height = height
        self.color = color
        self.pageRange = pageRange
    }
}

/// Why the chart drew the zone it drew when none was asked for.
public enum ChartReason: Sendable, Equatable {
    /// The zone's threshold decided kswapd's last wake or sleep.
    case decided(KswapdDecision)
    /// kswapd did not wake (or no sample shows why it did): the zone came closest to its wake threshold.
    case closestToWaking
}

/// One point of the curve, in pages: free memory, the watermarks in force (with boost), and the zone's
/// `lowmem_reserve` against a user allocation, which the kernel adds to each mark (`__zone_watermark_ok()`).
///
/// For a node (`ChartOptions.Subject.node`) `free` is the free memory of the eligible zones and `min`, `low` and
/// `high` are the direct-reclaim point, the wake point and the sleep point (`ChartData.nodePoint`), with no
/// protection on top.
public struct ChartPoint: Hashable, Sendable {
    public var time: Double
    public var free: Double
    public var min: Double
    public var low: Double
    public var high: Double
    /// `lowmem_reserve[highest]` of the zone (`protection:` in /proc/zoneinfo); 0 for the highest zone or a node.
    public var protection: Double = 0

    public init(time: Double, free: Double, min: Double, low: Double, high: Double, protection: Double = 0) {
        (self.time, self.free, self.min, self.low, self.high, self.protection) =
            (time, free, min, low, high, protection)
    }

    /// The lines the kernel tests: each mark plus the protection.
    public var minLine: Double { min + protection }
    public var lowLine: Double { low + protection }
    public var highLine: Double { high + protection }
}

/// A span of time on an event lane (`end` nil: still open when the timeline ends).
public struct ChartSpan: Hashable, Sendable {
    public var start: Double
    public var end: Double?
    /// Whether `start` is a real start (false when the trace began inside the span).
    public var startSeen: Bool
}

/// Everything both chart renderers draw, computed once from a timeline: the series of the subject, the
/// fixed y-range, and the kswapd, direct-reclaim and swap lanes.
public struct ChartData: Sendable {
    /// What is drawn (never `.auto`).
    public var subject: ChartOptions.Subject
    /// `zone DMA32, node 0` or `node 0` (the same in every language).
    public var title: String
    /// Whether the subject is a node (its lines are the wake, sleep and direct-reclaim points) rather than a zone.
    public var isNode: Bool
    /// Why the subject was chosen, when `.auto` chose it.
    public var reason: ChartReason?
    /// The kswapd decision that chose the subject, if one did.
    public var decision: KswapdDecision? {
        if case .decided(let k) = reason { return k }
        return nil
    }
    /// Whether any point has a protection: then the lines the kernel tests (mark + protection) are drawn strong
    /// and the raw marks faint.
    public var hasProtection: Bool
    public var points: [ChartPoint]
    /// Time window shown (seconds on the timeline's clock).
    public var start: Double
    public var end: Double
    /// Y window in pages.
    public var pageRange: ClosedRange<Double>
    /// kswapd cycles of the subject's node, from `TimelineAnalysis`: a cycle starts at the first
    /// `mm_vmscan_kswapd_wake` after a sleep and ends at `mm_vmscan_kswapd_sleep` (kswapd() in mm/vmscan.c);
    /// repeated wakes inside are passes.
    public var kswapd: [ChartSpan]
    public var kswapdPasses: Int
    /// True when no kswapd events were traced and the cycles come from `pgscan_kswapd` increments.
    public var kswapdInferred: Bool
    /// Direct reclaim episodes (`mm_vmscan_direct_reclaim_begin` … `_end`, per task), from `TimelineAnalysis`.
    public var direct: [ChartSpan]
    public var directInferred: Bool
    /// Pages swapped out and in between consecutive samples: (from, to, pswpout delta, pswpin delta).
    public var swap: [(from: Double, to: Double, out: Int64, in: Int64)]
    public var markers: [Marker]
    /// The timeline's analysis the lanes were drawn from; nil when the timeline had no trace events.
    public var analysis: TimelineAnalysis?
    /// The median time between samples, seconds.
    public var sampleInterval: Double?
    /// The simulator's line and kswapd cycles beside this run's (`ChartOptions.overlay`), nil when none.
    public var overlay: ChartOverlay?

    /// The zones a timeline has samples for, in node and `zone_type` order.
    public static func zones(in timeline: Timeline) -> [(node: Int, zone: ZoneType)] {
        var seen: [ZoneKey] = []
        var set = Set<ZoneKey>()
        for s in timeline.samples {
            for z in s.zones where set.insert(ZoneKey(node: z.node, zone: z.zone)).inserted {
                seen.append(ZoneKey(node: z.node, zone: z.zone))
            }
        }
        return seen.sorted { ($0.node, $0.zone.index) < ($1.node, $1.zone.index) }.map { ($0.node, $0.zone) }
    }

    private struct ZoneKey: Hashable {
        var node: Int
        var zone: ZoneType
    }

    /// The subject `.auto` stands for (see `choose`). Nil when there are no samples.
    public static func resolve(_ subject: ChartOptions.Subject, in timeline: Timeline) -> ChartOptions.Subject? {
        choose(subject, in: timeline)?.subject
    }

    /// The subject `.auto` stands for, and the decision that chose it: the zone whose threshold decided kswapd's
    /// last wake or sleep (`KswapdDecision.last`, over every node; the latest wins), else the zone that came
    /// closest to its wake threshold (`closestToWaking`). Other subjects are returned as they are. Nil when there
    /// are no samples.
    public static func choose(
        _ subject: ChartOptions.Subject, in timeline: Timeline, analysis: TimelineAnalysis? = nil
    ) -> (subject: ChartOptions.Subject, reason: ChartReason?)? {
        guard case .auto = subject else { return (subject, nil) }
        let zones = zones(in: timeline)
        guard !zones.isEmpty else { return nil }
        let analysis = timeline.events.isEmpty ? nil : (analysis ?? TimelineAnalysis(timeline))
        var latest: KswapdDecision?
        for node in Set(zones.map(\.node)).sorted() {
            let spans = kswapdCycles(timeline: timeline, node: node, analysis: analysis).0
            let cycles = spans.map { (wake: $0.startSeen ? Optional($0.start) : nil, sleep: $0.end) }
            if let d = KswapdDecision.last(cycles: cycles, node: node, samples: timeline.samples),
                latest.map({ d.time > $0.time }) ?? true
            {
                latest = d
            }
        }
        if let latest { return (.zone(latest.zone, node: latest.node), .decided(latest)) }
        if let closest = closestToWaking(timeline) {
            return (.zone(closest.zone, node: closest.node), .closestToWaking)
        }
        return (.zone(zones.last!.zone, node: zones.last!.node), nil)
    }

    /// The zone whose free memory came closest to its wake threshold (`low + protection`, relative to it) among
    /// zones that were above it at some sample: a zone below it all along (DMA under its protection) never decides.
    static func closestToWaking(_ timeline: Timeline) -> (node: Int, zone: ZoneType)? {
        var closest: [ZoneKey: Double] = [:]
        var everAbove = Set<ZoneKey>()
        for s in timeline.samples {
            for node in Set(s.zones.map(\.node)) {
                for z in KswapdDecision.thresholds(s, node: node).zones where z.wakeThreshold.count > 0 {
                    let key = ZoneKey(node: node, zone: z.zone)
                    let margin = Double(z.free.count - z.wakeThreshold.count) / Double(z.wakeThreshold.count)
                    closest[key] = Swift.min(closest[key] ?? .infinity, margin)
                    if margin > 0 { everAbove.insert(key) }
                }
            }
        }
        return closest.filter { everAbove.contains($0.key) }
            .min { ($0.value, $0.key.node, -$0.key.zone.index) < ($1.value, $1.key.node, -$1.key.zone.index) }
            .map { ($0.key.node, $0.key.zone) }
    }

    /// The curve of `subject` (which must not be `.auto`).
    public static func points(of subject: ChartOptions.Subject, in timeline: Timeline) -> [ChartPoint] {
        points(of: subject, samples: timeline.samples)
    }

    /// The curve of `subject` (which must not be `.auto`) over `samples`: a zone with its protection against a
    /// user allocation, or a node's `nodePoint`.
    public static func points<S: Sequence<Sample>>(of subject: ChartOptions.Subject, samples: S) -> [ChartPoint] {
        samples.compactMap { s in
            switch subject {
            case .zone(let zone, let node):
                guard let z = s.zone(zone, node: node) else { return nil }
                let protection = KswapdDecision.thresholds(s, node: node).zones.first { $0.zone == zone }?.protection
                return ChartPoint(
                    time: s.time, free: Double(z.free.count), min: Double(z.min.count), low: Double(z.low.count),
                    high: Double(z.high.count), protection: Double(protection?.count ?? 0))
            case .node(let node):
                return nodePoint(s, node: node)
            case .auto:
                return nil
            }
        }
    }

    /// A node's free memory against the levels `watermarks` computes (`WakePoint`), as totals of the eligible
    /// zones' free pages: `low` is the wake point Σ `min(free, low + protection)` (kswapd wakes at or below it:
    /// every zone fails); `min` is Σ `min(free, min + protection)` (at or below it every zone fails the slow path's
    /// min check and the allocating task reclaims directly); `high` is the sleep point, `free −
    /// max(free_z − (high_z + protection_z))` over the zones that can be balanced at all (free is above it exactly
    /// when one of them is, `pgdat_balanced()`). Nil when the node has no eligible zone.
    static func nodePoint(_ s: Sample, node: Int) -> ChartPoint? {
        let zones = KswapdDecision.thresholds(s, node: node).zones
        guard !zones.isEmpty else { return nil }
        // As Doubles: page counts are bounded where they are read, and their sums must never trap while drawing.
        var free = 0.0
        var direct = 0.0
        var wake = 0.0
        var mostAboveBalance = -Double.infinity
        var anyZone = -Double.infinity
        for z in zones {
            let f = Double(z.free.count)
            let sample = s.zone(z.zone, node: node)
            let minMark = Double(sample?.min.count ?? 0)
            free += f
            direct += Swift.min(f, minMark + Double(z.protection.count))
            wake += Swift.min(f, Double(z.wakeThreshold.count))
            let above = f - Double(z.balancedThreshold.count)
            anyZone = Swift.max(anyZone, above)
            // A zone whose high + protection is not below its managed pages (DMA under its protection) can never be
            // balanced: it does not decide where kswapd sleeps.
            if z.balancedThreshold < (sample?.managed ?? .zero) {
                mostAboveBalance = Swift.max(mostAboveBalance, above)
            }
        }
        if !mostAboveBalance.isFinite { mostAboveBalance = anyZone }
        return ChartPoint(time: s.time, free: free, min: direct, low: wake, high: free - mostAboveBalance)
    }

    /// The y-range (pages) for a run: zoomed to the watermark band, fixed for the whole run.
    ///
    /// From half a band below the lowest min to half a band above the highest high (band = high − min), widened
    /// down to the lowest free seen (never below 0). Free memory above the window is marked, not squeezed in:
    /// on a real machine it is often 20× the band, and drawing it would flatten min/low/high into one row.
    public static func pageRange(of points: [ChartPoint]) -> ClosedRange<Double> {
        var extent = PageExtent()
        for p in points { extent.add(p) }
        return extent.range
    }

    /// What `pageRange(of:)` needs of the points, gathered one point at a time, so a view that grows (`watch`)
    /// adds only its new points: the lowest min and free, the highest high and free.
    public struct PageExtent: Sendable {
        var minMark = Double.infinity
        var highMark = -Double.infinity
        var lowestFree = Double.infinity
        var highestFree = -Double.infinity

        public init() {}

        /// Takes `point` into the extent: its raw min and the highest line the kernel tests (high + protection).
        public mutating func add(_ point: ChartPoint) {
            minMark = Swift.min(minMark, point.min)
            highMark = Swift.max(highMark, point.highLine)
            lowestFree = Swift.min(lowestFree, point.free)
            highestFree = Swift.max(highestFree, point.free)
        }

        /// The y-range for the points taken so far (0…1 for none): zoomed to the min…high band, with free below
        /// it kept in view; from 0 when there is no band.
        public var range: ClosedRange<Double> {
            guard minMark.isFinite else { return 0...1 }
            var band = highMark - minMark
            if band <= 0 {
                // No band to zoom to (watermarks all zero or equal): show the data from 0.
                band = Swift.max(highestFree - Swift.min(lowestFree, minMark), highestFree * 0.2, 1)
                let hi = Swift.max(highestFree, highMark) + band * 0.25
                return 0...Swift.max(hi, 1)
            }
            var lo = Swift.max(0, minMark - band * 0.5)
            if lowestFree < lo { lo = Swift.max(0, lowestFree - band * 0.05) }
            let hi = highMark + band * 0.5
            return lo...hi
        }
    }

    /// The counters the chart reads from one sample, looked up once: `watch` keeps them for samples it has already
    /// seen instead of looking each one up again ten times a second.
    public struct SampleCounters: Sendable {
        public var time: Double
        /// `pgscan_kswapd` (0 when the sample has none).
        public var pgscanKswapd: Int64
        /// Σ of the `allocstall` counters the sample has.
        public var allocstall: Int64
        /// `pswpout`, nil when the sample has none (no swap lane then).
        public var pswpout: Int64?
        /// `pswpin` (0 when the sample has none).
        public var pswpin: Int64

        /// The values of `sample`.
        public init(_ sample: Sample) {
            time = sample.time
            pgscanKswapd = sample.counters["pgscan_kswapd"] ?? 0
            allocstall = ChartData.allocstallCounters.reduce(Int64(0)) {
                $0.saturatingAdd(sample.counters[$1] ?? 0)
            }
            pswpout = sample.counters["pswpout"]
            pswpin = sample.counters["pswpin"] ?? 0
        }
    }

    /// Builds the chart data of `subject` from `timeline`, with `overlay`'s line of the same subject beside it;
    /// nil when the subject has no samples.
    public init?(
        timeline: Timeline, subject requested: ChartOptions.Subject, pageRange fixed: ClosedRange<Double>? = nil,
        timeRange: ClosedRange<Double>? = nil, overlay: Timeline? = nil
    ) {
        guard let (subject, reason) = ChartData.choose(requested, in: timeline) else { return nil }
        self.init(
            timeline: timeline, resolved: subject, points: ChartData.points(of: subject, in: timeline),
            counters: timeline.samples.map(SampleCounters.init), pageRange: fixed, timeRange: timeRange,
            reason: reason)
        if let overlay { self.overlay = ChartOverlay(overlay, subject: subject, start: start, end: end) }
    }

    /// Builds the chart data of `subject` (not `.auto`) from `timeline`, given the subject's points and the
    /// samples' counters already read (one per sample of `timeline`, in order); nil when there are no points.
    /// `analysis`, when given, is `timeline`'s, already made.
    public init?(
        timeline: Timeline, resolved subject: ChartOptions.Subject, points: [ChartPoint], counters: [SampleCounters],
        pageRange fixed: ClosedRange<Double>?, timeRange: ClosedRange<Double>?, analysis: TimelineAnalysis? = nil,
        reason: ChartReason? = nil
    ) {
        guard !points.isEmpty else { return nil }
        self.points = points
        self.reason = reason
        self.subject = subject
        hasProtection = points.contains { $0.protection > 0 }
        isNode = false
        var node = 0
        switch subject {
        case .zone(let z, let n):
            title = "zone \(z.rawValue), node \(n)"
            node = n
        case .node(let n):
            title = "node \(n)"
            isNode = true
            node = n
        case .auto:
            title = ""
        }
        var span = timeRange ?? timeline.span ?? (points[0].time...points[0].time)
        // Spans are finite: recordings bound their times where they are read; clamp here too, so no axis loop
        // can be asked to walk an infinite span.
        if !span.lowerBound.isFinite || !span.upperBound.isFinite
            || span.upperBound - span.lowerBound > 2 * Limits.maxTime
        {
            let lo = Swift.min(Swift.max(span.lowerBound, -Limits.maxTime), Limits.maxTime)
            span = lo...Swift.max(lo, Swift.min(span.upperBound, Limits.maxTime))
        }
        start = span.lowerBound
        end = span.upperBound > span.lowerBound ? span.upperBound : span.lowerBound + 1
        pageRange = fixed ?? ChartData.pageRange(of: points)
        markers = timeline.markers
        let gaps = zip(points.dropFirst(), points).map { $0.time - $1.time }.sorted()
        sampleInterval = gaps.isEmpty ? nil : gaps[gaps.count / 2]

        let analysis = timeline.events.isEmpty ? nil : (analysis ?? TimelineAnalysis(timeline))
        self.analysis = analysis
        (kswapd, kswapdPasses, kswapdInferred) = ChartData.kswapdCycles(
            timeline: timeline, node: node, counters: counters, analysis: analysis)
        (direct, directInferred) = ChartData.directReclaim(timeline: timeline, counters: counters, analysis: analysis)
        swap = zip(counters, counters.dropFirst()).compactMap { a, b in
            guard let o0 = a.pswpout, let o1 = b.pswpout else { return nil }
            return (
                a.time, b.time, Swift.max(0, o1.saturatingSubtract(o0)),
                Swift.max(0, b.pswpin.saturatingSubtract(a.pswpin))
            )
        }
    }

    /// kswapd cycles of node `node` as `TimelineAnalysis` pairs them (wake → passes → sleep), or, with no trace
    /// event at all, intervals in which `pgscan_kswapd` grew (inferred). `analysis`, when given, is the timeline's,
    /// already made.
    static func kswapdCycles(
        timeline: Timeline, node: Int, counters: [SampleCounters]? = nil, analysis: TimelineAnalysis? = nil
    ) -> ([ChartSpan], Int, Bool) {
        // With any trace event present, tracing was on: no kswapd events then means kswapd never woke.
        if !timeline.events.isEmpty {
            let cycles = (analysis ?? TimelineAnalysis(timeline)).cycles(node: node)
            var spans: [ChartSpan] = []
            for (i, c) in cycles.enumerated() {
                if let wake = c.wake {
                    spans.append(ChartSpan(start: wake, end: c.sleep, startSeen: true))
                } else if i == 0, let sleep = c.sleep {
                    // The trace began while kswapd was already running. A later sleep without its wake (a lost
                    // line) has no start to draw from.
                    spans.append(ChartSpan(start: timeline.span?.lowerBound ?? sleep, end: sleep, startSeen: false))
                }
            }
            return (spans, cycles.reduce(0) { $0 + $1.passes.count }, false)
        }
        let scanned = (counters ?? timeline.samples.map(SampleCounters.init)).map(\.pgscanKswapd)
        let spans = counterSpans(timeline.samples) { scanned[$1] > scanned[$0] }
        return (spans, 0, true)
    }

    /// Direct reclaim episodes as `TimelineAnalysis` pairs them (begin/end per task), or, with no trace event at
    /// all, intervals in which an `allocstall_*` counter grew (inferred).
    static func directReclaim(
        timeline: Timeline, counters: [SampleCounters]? = nil, analysis: TimelineAnalysis? = nil
    ) -> ([ChartSpan], Bool) {
        if !timeline.events.isEmpty {
            let episodes = (analysis ?? TimelineAnalysis(timeline)).directEpisodes
            let spans = episodes.map { ChartSpan(start: $0.begin, end: $0.end, startSeen: true) }
            return (spans.sorted { $0.start < $1.start }, false)
        }
        let totals = (counters ?? timeline.samples.map(SampleCounters.init)).map(\.allocstall)
        return (counterSpans(timeline.samples) { totals[$1] > totals[$0] }, true)
    }

    /// Every `allocstall` counter /proc/vmstat can print (summed per sample by `SampleCounters`): one per zone type since 4.19 (`TEXTS_FOR_ZONES` in
    /// mm/vmstat.c: `_dma`, `_dma32`, `_normal`, `_high`, `_movable`, `_device`), a single `allocstall` on 4.4.
    static let allocstallCounters = [
        "allocstall", "allocstall_dma", "allocstall_dma32", "allocstall_normal", "allocstall_high",
        "allocstall_movable", "allocstall_device",
    ]

    /// Merged intervals between consecutive samples for which `grew(previous, next)` holds, given the two samples'
    /// indices (so a caller computes each sample's value once).
    static func counterSpans(_ samples: [Sample], grew: (Int, Int) -> Bool) -> [ChartSpan] {
        var spans: [ChartSpan] = []
        for i in samples.indices.dropFirst() where grew(i - 1, i) {
            let (a, b) = (samples[i - 1].time, samples[i].time)
            if var last = spans.last, last.end == a {
                last.end = b
                spans[spans.count - 1] = last
            } else {
                spans.append(ChartSpan(start: a, end: b, startSeen: true))
            }
        }
        return spans
    }

    /// The shortest window a swap rate is taken over (issue 11): pages between two samples microseconds apart,
    /// divided by those microseconds, are no rate.
    public static let minimumRateWindow = 0.25

    /// Pages swapped out and in per fixed window of `window` seconds (at least `minimumRateWindow`) from the
    /// chart's start: each sample interval's pages count in the window its end falls in, as the terminal chart's
    /// columns bin them (`TimelineAnalysis.swapRates(window:)` takes the same changes of pswpout and pswpin).
    public func swapWindows(window: Double) -> [SwapWindow] {
        let w = Swift.max(window, ChartData.minimumRateWindow)
        guard w.isFinite, end > start else { return [] }
        let count = Swift.min(1_000_000, Int(((end - start) / w).rounded(.up)))
        guard count > 0 else { return [] }
        var out = (0..<count).map { k in
            SwapWindow(
                start: start + Double(k) * w, end: Swift.min(end, start + Double(k + 1) * w), outPages: 0, inPages: 0,
                seconds: w)
        }
        for s in swap {
            let k = ((s.to - start) / w).rounded(.down)
            guard k.isFinite else { continue }
            let i = Int(Swift.max(0, Swift.min(Double(count - 1), k)))
            out[i].outPages = out[i].outPages.saturatingAdd(s.out)
            out[i].inPages = out[i].inPages.saturatingAdd(s.in)
            // An interval that began before the window: its pages took from its start (issue 11, Proof 1).
            if s.out > 0 || s.in > 0 { out[i].seconds = Swift.max(out[i].seconds, out[i].end - s.from) }
        }
        return out
    }

    /// The highest swap-out and swap-in rates over fixed windows of `window` seconds (at least
    /// `minimumRateWindow`), in pages per second: a window's pages over the time they were counted over
    /// (`SwapWindow.outRate`), never less than the window's full length.
    public func peakSwapRates(window: Double) -> (out: Double, in: Double) {
        let w = Swift.max(window, ChartData.minimumRateWindow)
        let windows = swapWindows(window: w)
        return (windows.map(\.outRate).max() ?? 0, windows.map(\.inRate).max() ?? 0)
    }
}

/// Locale-free number formatting, so charts are byte-stable.
enum ChartFormat {
    /// `v` with `digits` decimals (0…3), rounded half away from zero.
    static func fixed(_ v: Double, _ digits: Int) -> String {
        let scale = [1.0, 10.0, 100.0, 1000.0][Swift.max(0, Swift.min(3, digits))]
        let r = (abs(v) * scale).rounded()
        guard r.isFinite, r < 9e15 else { return v < 0 ? "-∞" : "∞" }
        let n = Int64(r)
        let sign = v < 0 && n != 0 ? "-" : ""
        if digits <= 0 { return sign + String(n) }
        let whole = n / Int64(scale)
        let frac = String(n % Int64(scale))
        return sign + String(whole) + "." + String(repeating: "0", count: digits - frac.count) + frac
    }

    /// Pages as MiB for an axis or label: whole MiB from 10 MiB up, else one decimal.
    static func mebibytes(_ pages: Double) -> String {
        let mib = pages * 4096 / 1_048_576
        return abs(mib) >= 10 ? fixed(mib, 0) : fixed(mib, 1)
    }

    /// Pages as a size for people (`19.3 GiB`, `2159 MiB`).
    static func size(_ pages: Double) -> String {
        let mib = pages * 4096 / 1_048_576
        if mib >= 10240 { return fixed(mib / 1024, 1) + " GiB" }
        return mebibytes(pages) + " MiB"
    }

    /// MiB in at most five characters for a y label: whole MiB, else GiB, TiB, PiB or EiB with their letter; `∞`
    /// beyond.
    static func compact(_ mib: Double) -> String {
        var v = mib
        for unit in ["", "G", "T", "P", "E"] {
            let s = fixed(v, 0) + unit
            if s.count <= 5 { return s }
            v /= 1024
        }
        return "∞"
    }

    /// A rate in pages per second as MiB/s.
    static func rate(_ pagesPerSecond: Double) -> String {
        let mib = pagesPerSecond * 4096 / 1_048_576
        return (mib >= 10 ? fixed(mib, 0) : fixed(mib, 1)) + " MiB/s"
    }

    /// A "nice" step (1, 2 or 5 × 10ⁿ) of at least `raw`.
    static func niceStep(atLeast raw: Double) -> Double {
        // Below 1e-300 the divisions below would reach zero (a zero step); the callers bound their loops anyway.
        guard raw > 1e-300, raw.isFinite else { return 1 }
        var p = 1.0
        while p * 10 <= raw { p *= 10 }
        while p > raw { p /= 10 }
        for m in [1.0, 2.0, 5.0, 10.0] where p * m >= raw { return p * m }
        return p * 10
    }

    /// `first`, `first + step`, `first + 2 step`, … while `keep` holds, at most `limit` of them: an axis never needs
    /// more, and a step too small for the magnitude of `first` (where `first + step == first`) or a non-finite
    /// bound can never make the loop run forever.
    static func ticks(from first: Double, step: Double, limit: Int = 1000, while keep: (Double) -> Bool) -> [Double] {
        guard first.isFinite, step.isFinite, step > 0 else { return [] }
        var out: [Double] = []
        for k in 0..<limit {
            let v = first + Double(k) * step
            guard v.isFinite, keep(v) else { break }
            out.append(v)
        }
        return out
    }

    /// Seconds on a time axis: whole when the step is whole, else one or two decimals.
    static func seconds(_ v: Double, step: Double) -> String {
        step >= 1 ? fixed(v, 0) : step >= 0.1 ? fixed(v, 1) : fixed(v, 2)
    }
}
