import SwapLabModel

/// What reclaim did in a whole timeline, found once for every reader (chart, `watch`'s latest transitions, the
/// course's checks): kswapd cycles with their passes, direct-reclaim episodes, OOM victims, watermark crossings and
/// swap rates over fixed windows. Events are decoded by `ReclaimEventDecoder` and paired by `ReclaimPairing`, the
/// code the streaming `ReclaimAnalyzer` (`explain`) uses, so every reader counts the same cycles and episodes.
///
/// Unlike the streaming analyzer it keeps every cycle and episode, so its memory grows with them: it is for
/// timelines (simulated, live, recorded), not for trace files of any size.
public struct TimelineAnalysis: Sendable {
    /// Whether the timeline has trace events at all: without them tracing was off, and "no cycle" means "unknown",
    /// not "kswapd never woke".
    public let traced: Bool
    /// kswapd cycles of every node, in the order they started (a cycle whose start the trace did not hold is placed
    /// at its sleep).
    public private(set) var cycles: [KswapdCycleSpan] = []
    /// Direct-reclaim episodes, in the order they began; those still open at the end have no `end`.
    public private(set) var directEpisodes: [DirectReclaimEpisode] = []
    /// Direct-reclaim begins replaced by a later begin of the same task, and ends without a begin (or before it).
    public private(set) var unmatchedDirectBegins = 0
    public private(set) var unmatchedDirectEnds = 0
    /// `mm_vmscan_wakeup_kswapd` events: allocations (or boosts) that found kswapd asleep and woke it.
    public private(set) var wakeups = 0
    /// The OOM killer's victims (`mark_victim`), in time order.
    public private(set) var oomKills: [OOMKill] = []
    /// Count of each tracepoint the timeline holds.
    public private(set) var eventCounts: [TracepointName: Int] = [:]
    /// Payload values outside what a kernel prints, not used.
    public private(set) var ignoredValues = 0
    /// The timeline's samples, for the sample-based parts (`crossings`, `swapRates(window:)`).
    public let samples: [Sample]

    /// Analyses the events of `timeline` (one pass, in the timeline's order) and keeps its samples.
    public init(_ timeline: Timeline) {
        traced = !timeline.events.isEmpty
        samples = timeline.samples
        var decoder = ReclaimEventDecoder()
        var pairing = ReclaimPairing()
        var counts: [Int] = []
        /// nid → index into `cycles` of the node's open cycle.
        var open: [Int: Int] = [:]
        /// pid → index into `directEpisodes` of the task's open episode.
        var openEpisode: [Int: Int] = [:]
        for e in timeline.events {
            let (index, event) = decoder.decode(e)
            if index == counts.count { counts.append(0) }
            counts[index] += 1
            switch event {
            case .kswapdWake(let nid, _):
                if pairing.kswapdWake(nid: nid) == .cycleStarted {
                    open[nid] = cycles.count
                    cycles.append(KswapdCycleSpan(nid: nid, wake: e.time, sleep: nil, passes: [e.time]))
                } else if let i = open[nid] {
                    cycles[i].passes.append(e.time)
                }
            case .kswapdSleep(let nid):
                if pairing.kswapdSleep(nid: nid) == .cycleEnded, let i = open.removeValue(forKey: nid) {
                    cycles[i].sleep = e.time
                } else {
                    cycles.append(KswapdCycleSpan(nid: nid, wake: nil, sleep: e.time, passes: []))
                }
            case .wakeupKswapd(let nid, _, _, _):
                wakeups += 1
                // Inside a cycle kswapd waits on kswapd_wait only in its 100 ms nap.
                if let i = open[nid] { cycles[i].napWakeups += 1 }
            case .directReclaimBegin:
                if pairing.directBegin(pid: e.pid, time: e.time, comm: e.comm) {
                    unmatchedDirectBegins += 1
                    if let i = openEpisode[e.pid] { directEpisodes[i].replaced = true }
                }
                openEpisode[e.pid] = directEpisodes.count
                directEpisodes.append(DirectReclaimEpisode(pid: e.pid, comm: e.comm, begin: e.time))
            case .directReclaimEnd(let reclaimed):
                let i = openEpisode.removeValue(forKey: e.pid)
                switch pairing.directEnd(pid: e.pid, time: e.time) {
                case .episode(let begin, _, _):
                    if let i {
                        // The end as printed; a step back within the tolerance ends the episode at its begin.
                        directEpisodes[i].end = Swift.max(e.time, begin)
                        directEpisodes[i].reclaimed = reclaimed
                    }
                case .endBeforeBegin:
                    if let i { directEpisodes[i].replaced = true }
                    unmatchedDirectBegins += 1
                    unmatchedDirectEnds += 1
                case .noBegin:
                    unmatchedDirectEnds += 1
                }
            case .markVictim(let pid, let comm, let memory):
                oomKills.append(OOMKill(time: e.time, pid: pid, comm: comm, memory: memory))
            case .lruShrinkInactive, .writeFolio, .reclaimPages, .other:
                break
            }
        }
        // Begins replaced by a later one, or whose end came before them, are not episodes.
        directEpisodes.removeAll { $0.replaced }
        for (i, name) in decoder.names.enumerated() {
            if let tp = TracepointName(rawValue: name) { eventCounts[tp] = counts[i] }
        }
        ignoredValues = decoder.outOfRangeValues
    }

    /// The cycles of node `nid`, in the order they started.
    public func cycles(node nid: Int) -> [KswapdCycleSpan] { cycles.filter { $0.nid == nid } }

    /// The count of events of tracepoint `name`.
    public func count(_ name: TracepointName) -> Int { eventCounts[name] ?? 0 }

    /// Every zone's watermark crossings, in time order (`WatermarkCrossing.Finder` over the samples).
    public var crossings: [WatermarkCrossing] { WatermarkCrossing.crossings(in: samples) }

    /// Swap-out and swap-in over fixed windows of `window` seconds from the first sample with `pswpout` (the last
    /// window ends at the last such sample, so it may be shorter). Each window's pages are the change of `pswpout`
    /// and `pswpin` between the counters in force at its start and at its end (a counter holds its value from one
    /// sample to the next), so no rate is a ratio of two samples microseconds apart. Empty without `pswpout`, or
    /// for a window that is not positive.
    public func swapRates(window: Double) -> [SwapWindow] {
        let counted = samples.filter { $0.counters["pswpout"] != nil }
        guard window > 0, window.isFinite, let first = counted.first, let last = counted.last else { return [] }
        var out: [SwapWindow] = []
        var j = 0  // the last counted sample at or before the window's end
        var before = first
        var k = 0
        while true {
            let start = first.time + Double(k) * window
            guard start < last.time, out.count < 1_000_000 else { break }
            let end = Swift.min(start + window, last.time)
            while j + 1 < counted.count, counted[j + 1].time <= end { j += 1 }
            let after = counted[j]
            func delta(_ name: String) -> Int64 {
                Swift.max(0, (after.counters[name] ?? 0).saturatingSubtract(before.counters[name] ?? 0))
            }
            out.append(
                SwapWindow(
                    start: start, end: end, outPages: delta("pswpout"), inPages: delta("pswpin"),
                    seconds: end - Swift.min(start, before.time)))
            before = after
            k += 1
        }
        return out
    }
}

/// One kswapd cycle of a timeline: from the first `mm_vmscan_kswapd_wake` after a sleep to `mm_vmscan_kswapd_sleep`
/// (`kswapd()` in mm/vmscan.c), with the time of every `balance_pgdat()` pass.
public struct KswapdCycleSpan: Sendable, Equatable {
    public var nid: Int
    /// The first wake; nil when the trace began while kswapd was already running.
    public var wake: Double?
    /// The sleep; nil while the cycle is open (kswapd had not slept by the end).
    public var sleep: Double?
    /// The time of each pass (each `kswapd_wake` of the cycle), the first being `wake`.
    public var passes: [Double]
    /// `mm_vmscan_wakeup_kswapd` lines while the cycle was open: wake-ups during its 100 ms nap
    /// (`kswapd_low_wmark_hit_quickly`), as `KswapdCycle.napWakeups` counts them.
    public var napWakeups = 0

    /// Still running at the end of the timeline.
    public var isOpen: Bool { sleep == nil }
}

/// One direct-reclaim episode: `mm_vmscan_direct_reclaim_begin` … `_end` of one task (`try_to_free_pages()`).
public struct DirectReclaimEpisode: Sendable, Equatable {
    public var pid: Int
    public var comm: String
    public var begin: Double
    /// The end; nil while the task was still in direct reclaim at the end of the timeline.
    public var end: Double?
    /// `nr_reclaimed` of the end, when printed and in range.
    public var reclaimed: Int64?
    /// A begin that never got its end (replaced by a later begin, or its end came before it): not kept.
    var replaced = false

    public init(pid: Int, comm: String, begin: Double, end: Double? = nil, reclaimed: Int64? = nil) {
        self.pid = pid
        self.comm = comm
        self.begin = begin
        self.end = end
        self.reclaimed = reclaimed
    }

    /// How long the task stalled, in seconds; nil while open.
    public var stall: Double? { end.map { $0 - begin } }
}

/// Pages swapped out and in during one fixed window of a timeline.
public struct SwapWindow: Sendable, Equatable {
    public var start: Double
    public var end: Double
    /// The change of `pswpout` and of `pswpin` over the window.
    public var outPages: Int64
    public var inPages: Int64
    /// The time those pages were counted over: the window, widened to the sample intervals they came from when one
    /// began before it (a counter is read only at samples, so the pages of an interval that straddles the window's
    /// start took that whole interval).
    public var seconds: Double

    public init(start: Double, end: Double, outPages: Int64, inPages: Int64, seconds: Double? = nil) {
        (self.start, self.end, self.outPages, self.inPages) = (start, end, outPages, inPages)
        self.seconds = Swift.max(seconds ?? 0, end - start)
    }

    /// Pages per second over the time they were counted over (0 for an empty window): never more than the fastest
    /// sample interval's rate, so never a ratio of pages to a part of the time they took.
    public var outRate: Double { seconds > 0 ? Double(outPages) / seconds : 0 }
    public var inRate: Double { seconds > 0 ? Double(inPages) / seconds : 0 }
}

extension WatermarkCrossing {
    /// Finds crossings one sample at a time: each zone's band against the marks of its own sample, compared with
    /// the band it had in the last sample that held it. Zones with no managed pages are skipped.
    public struct Finder: Sendable {
        private struct ZoneKey: Hashable {
            var node: Int
            var zone: ZoneType
        }

        private var previous: [ZoneKey: Band] = [:]

        public init() {}

        /// The crossings `sample` makes, in the order of its zones.
        public mutating func add(_ sample: Sample) -> [WatermarkCrossing] {
            var found: [WatermarkCrossing] = []
            for z in sample.zones where z.managed.count > 0 {
                let band = Band.of(free: z.free.count, min: z.min.count, low: z.low.count, high: z.high.count)
                if let p = previous.updateValue(band, forKey: ZoneKey(node: z.node, zone: z.zone)), p != band {
                    found.append(
                        WatermarkCrossing(
                            time: sample.time, node: z.node, zone: z.zone, from: p, to: band, free: z.free.count))
                }
            }
            return found
        }
    }

    /// Every crossing in `samples` (in time order).
    public static func crossings(in samples: [Sample]) -> [WatermarkCrossing] {
        var finder = Finder()
        return samples.flatMap { finder.add($0) }
    }

    /// The crossings between two consecutive samples.
    public static func crossings(from a: Sample, to b: Sample) -> [WatermarkCrossing] {
        var finder = Finder()
        _ = finder.add(a)
        return finder.add(b)
    }

    /// Free fell to or below low (the allocator's low check fails: `__zone_watermark_ok()` tests `free <= mark`).
    public var fellBelowLow: Bool { from >= .lowToHigh && to <= .minToLow }
    /// Free fell to or below min.
    public var fellBelowMin: Bool { from >= .minToLow && to == .belowMin }
    /// Free rose above high (the zone is balanced for `pgdat_balanced()`).
    public var roseAboveHigh: Bool { from <= .lowToHigh && to == .aboveHigh }
}
