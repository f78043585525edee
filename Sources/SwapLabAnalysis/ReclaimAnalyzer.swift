import SwapLabModel

/// Reads trace events one at a time and keeps what `ReclaimReport` needs: counts per event name, the open
/// kswapd cycle and open direct-reclaim episode of each node and task, a summary per kswapd cycle, the OOM kills,
/// and the distribution of stalls. Memory grows with distinct tasks, nodes and stall lengths, never with the lines
/// read, and is bounded for cycles and kills: the first `keptCycles` cycles and `keptKills` kills are kept in full,
/// the rest added up (`CycleTotals`, `moreOOMKills`), so a trace file of any size streams through it
/// (`explain --trace`).
///
/// Each event is decoded once by `ReclaimEventDecoder`, and wakes, sleeps, begins and ends are paired by
/// `ReclaimPairing` (the same code `TimelineAnalysis` uses), by the kernel's rules (`reference/kernel.md` §2–§3,
/// `reference/live-lab.md` §2, §6): a cycle starts at the first `mm_vmscan_kswapd_wake` after a
/// `mm_vmscan_kswapd_sleep` (`kswapd()` emits a wake before every `balance_pgdat()` pass); `mm_vmscan_wakeup_kswapd`
/// (`wakeup_kswapd()`, in the waker's context) names who woke it; direct reclaim begin/end pair per
/// `try_to_free_pages()` call by pid; `mm_vmscan_reclaim_pages` from a task other than kswapd is not kswapd's work.
/// Samples, when the timeline has them, are read at the end (`report(samples:markers:)`): the wake and sleep checks
/// look up the samples around each cycle.
///
/// Numbers from payloads are bounded where they enter (issue 14): page counts (`nr_reclaimed`) 0…`Limits.maxPages`,
/// `anon-rss` 0…`Limits.maxBytes`, nodes `Limits.kernelNodes`, orders 0…63; a value outside is not used and is
/// counted where the decoder reads it (`ReclaimReport.ignoredValues`), whether or not the analysis goes on to use
/// the event. Totals add up saturating at `Int64.max` (`ReclaimReport.Note.cappedTotals`
/// says so); counts grow by one per line and cannot overflow. Times come from `TraceLineParser`, finite and at most
/// 2^64: a step back in time larger than `clockStepTolerance` is counted (`backwardSteps`), and a duration across
/// one is not computed.
public struct ReclaimAnalyzer: Sendable {
    /// Counters whose deltas are reported per cycle and for the whole timeline (exact /proc/vmstat names).
    public static let reportedCounters = [
        "pswpout", "pswpin", "pgsteal_kswapd", "pgsteal_direct", "pgscan_kswapd", "pgscan_direct", "pgsteal_anon",
        "pgsteal_file", "pageoutrun", "allocstall_dma32", "allocstall_normal", "allocstall_movable", "oom_kill",
        "kswapd_low_wmark_hit_quickly", "kswapd_high_wmark_hit_quickly", "workingset_refault_file",
        "workingset_activate_file",
    ]

    /// Cycles kept in full in a report (the JSON lists them; the narrative tells the first few); later ones are
    /// added up in `ReclaimReport.moreCycles`.
    public static let keptCycles = 1000
    /// OOM kills kept in full; later ones are counted in `ReclaimReport.moreOOMKills`.
    public static let keptKills = 1000
    /// Task names kept for `mm_vmscan_reclaim_pages` lines from other tasks.
    public static let keptComms = 8
    /// The largest order a page allocation can ask for (`ReclaimEventDecoder.maxOrder`).
    public static let maxOrder = ReclaimEventDecoder.maxOrder
    /// How far back in time one event may be from the one before it and still be in order
    /// (`ReclaimPairing.clockStepTolerance`).
    public static let clockStepTolerance = ReclaimPairing.clockStepTolerance

    /// Events consumed.
    public private(set) var eventCount = 0
    /// Times of the first and the last event consumed (in the order given, as `Timeline.span` takes them).
    public private(set) var firstEventTime: Double?
    public private(set) var lastEventTime: Double?
    /// The earliest and the latest time of any event consumed.
    public private(set) var earliestEventTime: Double?
    public private(set) var latestEventTime: Double?
    /// Events more than `clockStepTolerance` earlier than the event before them, and the largest such step.
    public private(set) var backwardSteps = 0
    public private(set) var largestStepBack = 0.0

    /// Decodes each event once (its name cache gives `nameCounts` its index) and bounds its values.
    private var decoder = ReclaimEventDecoder()
    /// Count of each name in `decoder.names`.
    private var nameCounts: [Int] = []
    /// Which wake pairs with which sleep, and which direct-reclaim begin with which end.
    private var pairing = ReclaimPairing()
    /// The number of cycles kept in full (`keptCycles` unless a test asks for fewer).
    private let keep: Int
    /// nid → index into `cycles` of the node's open cycle, when that cycle is kept.
    private var open: [Int: Int] = [:]
    /// nid → the node's open cycle, when it started after the kept ones: added to `moreCycles` when it ends.
    private var openBeyond: [Int: KswapdCycle] = [:]
    private var cycles: [KswapdCycle] = []
    private var moreCycles = CycleTotals()
    /// Wake-ups seen while the node had no open cycle: they belong to the next one (the first few, and how many).
    private var pendingWakers: [Int: (wakers: [Waker], count: Int)] = [:]
    private var direct = DirectReclaimSummary()
    private var directTasks: [String: Int] = [:]
    private var directTaskOrder: [String] = []
    private var oomKills: [OOMKill] = []
    private var moreOOMKills = 0
    private var otherReclaimPages = OtherReclaim()

    /// Payload values outside what a kernel prints, not used (`ReclaimEventDecoder`).
    public var ignoredValues: Int { decoder.outOfRangeValues }

    public init() { keep = Self.keptCycles }

    /// An analyzer that keeps `keepCycles` cycles in full (tests of the summary).
    public init(keepCycles: Int) { keep = max(0, keepCycles) }

    /// Takes one event, in the order the trace printed it.
    public mutating func consume(_ e: TraceEvent) {
        noteTime(of: e)
        let (index, event) = decoder.decode(e)
        if index == nameCounts.count { nameCounts.append(0) }
        nameCounts[index] += 1
        switch event {
        case .kswapdWake(let nid, let order):
            kswapdWoke(nid: nid, order: order, at: e.time)
        case .kswapdSleep(let nid):
            kswapdSlept(nid: nid, at: e.time)
        case .wakeupKswapd(let nid, _, let order, let gfpFlags):
            let w = Waker(time: e.time, comm: e.comm, pid: e.pid, order: order, gfpFlags: gfpFlags)
            kswapdWokenUp(nid: nid, by: w)
        case .writeFolio(let anon):
            if anon, let nid = ReclaimEventDecoder.kswapdNode(e.comm) {
                _ = updateOpenCycle(nid) { $0.anonWritten += 1 }
            }
        case .lruShrinkInactive(let reclaimed, let list):
            if let nid = ReclaimEventDecoder.kswapdNode(e.comm), let n = reclaimed, let list {
                switch list {
                case .file: _ = updateOpenCycle(nid) { $0.fileReclaimed = $0.fileReclaimed.saturatingAdd(n) }
                case .anon: _ = updateOpenCycle(nid) { $0.anonReclaimed = $0.anonReclaimed.saturatingAdd(n) }
                }
            }
        case .reclaimPages(let reclaimed):
            if ReclaimEventDecoder.kswapdNode(e.comm) == nil { otherTaskReclaimed(reclaimed, comm: e.comm) }
        case .directReclaimBegin:
            if pairing.directBegin(pid: e.pid, time: e.time, comm: e.comm) { direct.unmatchedBegins += 1 }
            if direct.firstBegin == nil { direct.firstBegin = e.time }
        case .directReclaimEnd(let reclaimed):
            directReclaimEnded(pid: e.pid, at: e.time, reclaimed: reclaimed)
        case .markVictim(let pid, let comm, let memory):
            guard oomKills.count < Self.keptKills else {
                moreOOMKills += 1
                break
            }
            oomKills.append(OOMKill(time: e.time, pid: pid, comm: comm, memory: memory))
        case .other:
            break
        }
    }

    // MARK: Events

    /// Counts the event and keeps the first, last, earliest and latest times, and any step back in time.
    private mutating func noteTime(of e: TraceEvent) {
        eventCount += 1
        if let last = lastEventTime, e.time < last - Self.clockStepTolerance {
            backwardSteps += 1
            largestStepBack = max(largestStepBack, last - e.time)
        }
        if firstEventTime == nil { firstEventTime = e.time }
        lastEventTime = e.time
        earliestEventTime = min(earliestEventTime ?? e.time, e.time)
        latestEventTime = max(latestEventTime ?? e.time, e.time)
    }

    /// `mm_vmscan_kswapd_wake`: one more `balance_pgdat()` pass of the open cycle, or the start of a new cycle
    /// (`kswapd()` in mm/vmscan.c).
    private mutating func kswapdWoke(nid: Int, order: Int?, at time: Double) {
        if pairing.kswapdWake(nid: nid) == .pass {
            _ = updateOpenCycle(nid) { c in
                c.passes += 1
                if let order, !c.orders.contains(order) { c.orders.append(order) }
            }
        } else {
            var c = KswapdCycle(nid: nid, wake: time)
            c.passes = 1
            c.orders = order.map { [$0] } ?? []
            takePendingWakers(nid, into: &c)
            startCycle(c, open: true)
        }
    }

    /// `mm_vmscan_kswapd_sleep`: the open cycle ends (`kswapd_try_to_sleep()` in mm/vmscan.c); without one, a cycle
    /// with no known start.
    private mutating func kswapdSlept(nid: Int, at time: Double) {
        guard pairing.kswapdSleep(nid: nid) == .cycleEnded else {
            // The trace began while kswapd was running (or its wake line was not kept).
            var c = KswapdCycle(nid: nid, wake: nil)
            c.sleep = time
            takePendingWakers(nid, into: &c)
            startCycle(c, open: false)
            return
        }
        if let i = open.removeValue(forKey: nid) {
            cycles[i].sleep = time
        } else if var c = openBeyond.removeValue(forKey: nid) {
            c.sleep = time
            moreCycles.add(c)
        }
    }

    /// `mm_vmscan_wakeup_kswapd` (`wakeup_kswapd()` in mm/vmscan.c): a waker of the open cycle, or of the next one.
    private mutating func kswapdWokenUp(nid: Int, by w: Waker) {
        // Within a cycle kswapd waits on kswapd_wait only in its 100 ms nap, so a wake-up there is a nap wake.
        if !updateOpenCycle(
            nid,
            {
                $0.add(w); $0.napWakeups += 1
            })
        {
            var pending = pendingWakers[nid] ?? ([], 0)
            pending.count += 1
            if pending.wakers.count < KswapdCycle.keptWakers { pending.wakers.append(w) }
            pendingWakers[nid] = pending
        }
    }

    /// `mm_vmscan_reclaim_pages` (`reclaim_folio_list()` in mm/vmscan.c) from a task other than kswapd.
    private mutating func otherTaskReclaimed(_ reclaimed: Int64?, comm: String) {
        otherReclaimPages.lines += 1
        if let n = reclaimed { otherReclaimPages.reclaimed = otherReclaimPages.reclaimed.saturatingAdd(n) }
        if !otherReclaimPages.comms.contains(comm) {
            if otherReclaimPages.comms.count < Self.keptComms {
                otherReclaimPages.comms.append(comm)
            } else {
                otherReclaimPages.moreComms = true
            }
        }
    }

    /// `mm_vmscan_direct_reclaim_end`: closes the task's `try_to_free_pages()` episode (mm/vmscan.c) and adds its
    /// stall, or counts an end without its begin.
    private mutating func directReclaimEnded(pid: Int, at time: Double, reclaimed: Int64?) {
        switch pairing.directEnd(pid: pid, time: time) {
        case .episode(_, let comm, let stall):
            direct.addStall(stall * 1000)
            if let n = reclaimed { direct.reclaimed = direct.reclaimed.saturatingAdd(n) }
            if directTasks[comm] == nil { directTaskOrder.append(comm) }
            directTasks[comm, default: 0] += 1
        case .endBeforeBegin:
            direct.unmatchedBegins += 1
            direct.unmatchedEnds += 1
        case .noBegin:
            direct.unmatchedEnds += 1
        }
    }

    // MARK: Cycles

    /// Applies `change` to the node's open cycle, kept or not; false when the node has none.
    private mutating func updateOpenCycle(_ nid: Int, _ change: (inout KswapdCycle) -> Void) -> Bool {
        if let i = open[nid] {
            change(&cycles[i])
            return true
        }
        if var c = openBeyond[nid] {
            openBeyond[nid] = nil  // no second copy while `change` runs
            change(&c)
            openBeyond[nid] = c
            return true
        }
        return false
    }

    /// A new cycle: kept in full while fewer than `keep` are, else added up (when it is over) in `moreCycles`.
    private mutating func startCycle(_ c: KswapdCycle, open isOpen: Bool) {
        if cycles.count < keep {
            if isOpen { open[c.nid] = cycles.count }
            cycles.append(c)
        } else if isOpen {
            openBeyond[c.nid] = c
        } else {
            moreCycles.add(c)
        }
    }

    private mutating func takePendingWakers(_ nid: Int, into c: inout KswapdCycle) {
        guard let pending = pendingWakers.removeValue(forKey: nid) else { return }
        c.wakers = pending.wakers
        c.wakeups = pending.count
    }

    // MARK: Report

    /// What the events so far show, with what `samples` (in time order) add: counter deltas, watermark crossings,
    /// the lowest free pages, the swap-in window, and per cycle the zones at the wake and the balanced zone at the
    /// sleep. `markers` only widen the span. Consuming more events afterwards is allowed.
    public func report(samples: [Sample] = [], markers: [Marker] = []) -> ReclaimReport {
        var report = ReclaimReport()
        report.eventCount = eventCount
        report.sampleCount = samples.count
        let times = [
            samples.first?.time, samples.last?.time, earliestEventTime, latestEventTime,
            markers.first?.time, markers.last?.time,
        ].compactMap { $0 }
        if let lo = times.min(), let hi = times.max() { report.span = lo...hi }
        var d = direct
        d.unmatchedBegins += pairing.openDirectBegins.count
        d.tasks = directTaskOrder.map { ($0, directTasks[$0] ?? 0) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        report.eventCounts = Dictionary(uniqueKeysWithValues: zip(decoder.names, nameCounts))
        report.cycles = cycles
        var more = moreCycles
        for nid in openBeyond.keys.sorted() { more.add(openBeyond[nid]!) }
        report.moreCycles = more
        report.directReclaim = d
        report.pendingWakeups = pendingWakers.mapValues(\.count)
        report.oomKills = oomKills
        report.moreOOMKills = moreOOMKills
        report.otherReclaimPages = otherReclaimPages
        report.backwardSteps = backwardSteps
        report.largestStepBack = largestStepBack
        report.ignoredValues = ignoredValues
        if !samples.isEmpty { Self.readSamples(samples, into: &report) }
        if eventCount == 0 && samples.isEmpty {
            report.notes.append(.empty)
        } else {
            if eventCount == 0 { report.notes.append(.noTraceEvents) }
            if samples.isEmpty { report.notes.append(.noSamples) }
            if let s = samples.first, !s.zones.isEmpty, s.zones.allSatisfy({ $0.protection == nil }) {
                report.notes.append(.noProtection)
            }
        }
        if backwardSteps > 0 { report.notes.append(.outOfOrder) }
        if ignoredValues > 0 { report.notes.append(.outOfRangeValues) }
        let totals =
            [d.reclaimed, otherReclaimPages.reclaimed, more.fileReclaimed, more.anonReclaimed]
            + cycles.flatMap { [$0.fileReclaimed, $0.anonReclaimed] }
        if totals.contains(.max) { report.notes.append(.cappedTotals) }
        return report
    }

    // MARK: Samples

    /// The eligible zones of a sample (managed pages > 0, node `nid`) and the protection index to use: the
    /// highest eligible zone, as for a `GFP_HIGHUSER_MOVABLE` allocation.
    private static func eligible(_ s: Sample, nid: Int) -> (zones: [ZoneSample], classIndex: Int) {
        let zones = s.zones.filter { $0.node == nid && $0.managed.count > 0 }.sorted { $0.zone < $1.zone }
        return (zones, zones.last?.zone.index ?? 0)
    }

    private static func protection(_ z: ZoneSample, _ classIndex: Int) -> Int64 {
        guard let p = z.protection, classIndex < p.count else { return 0 }
        return p[classIndex]
    }

    /// Index of the last sample at or before `t`, else the first one.
    private static func sampleIndex(atOrBefore t: Double, in samples: [Sample]) -> Int {
        var lo = 0
        var hi = samples.count - 1
        var best = -1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if samples[mid].time <= t { best = mid; lo = mid + 1 } else { hi = mid - 1 }
        }
        return max(best, 0)
    }

    /// Index of the first sample at or after `t`, else the last one.
    private static func sampleIndex(atOrAfter t: Double, in samples: [Sample]) -> Int {
        let i = sampleIndex(atOrBefore: t, in: samples)
        if samples[i].time >= t { return i }
        return min(i + 1, samples.count - 1)
    }

    private static func deltas(_ a: Sample, _ b: Sample) -> [String: Int64] {
        var d: [String: Int64] = [:]
        for name in reportedCounters {
            if let x = a.counters[name], let y = b.counters[name] { d[name] = y - x }
        }
        return d
    }

    /// The samples that came closest to waking kswapd (free against the wake point, `WakePoint.userAllocation`)
    /// and to direct reclaim (free against Σ `min(free, min + protection)`, the `ALLOC_WMARK_MIN` check of
    /// `get_page_from_freelist()`), over the eligible zones of every node; nil without zones.
    static func margins(_ samples: [Sample]) -> (wake: ReclaimMargin?, min: ReclaimMargin?) {
        var wake: ReclaimMargin?
        var atMin: ReclaimMargin?
        for s in samples where !s.zones.isEmpty {
            let snapshots = s.zones.map {
                ZoneSnapshot(
                    node: $0.node, zone: $0.zone, free: $0.free, min: $0.min, low: $0.low, high: $0.high,
                    managed: $0.managed, protection: $0.protection ?? [])
            }
            let wp = WakePoint.userAllocation(snapshots)
            guard !wp.zones.isEmpty else { continue }
            let w = ReclaimMargin(time: s.time, free: wp.free, threshold: wp.wakePoint)
            if wake.map({ w.distance < $0.distance }) ?? true { wake = w }
            var minPoint = Pages.zero
            for z in wp.zones {
                guard let snap = snapshots.first(where: { $0.node == z.node && $0.zone == z.zone }) else { continue }
                minPoint = minPoint + Swift.min(z.free, snap.min + z.protection)
            }
            let m = ReclaimMargin(time: s.time, free: wp.free, threshold: minPoint)
            if atMin.map({ m.distance < $0.distance }) ?? true { atMin = m }
        }
        return (wake, atMin)
    }

    static func readSamples(_ samples: [Sample], into report: inout ReclaimReport) {
        guard let first = samples.first, let last = samples.last else { return }
        report.counterDeltas = deltas(first, last)

        // Swap-in window: the sample intervals that carried more than 1 % of the whole rise (stray faults ignored).
        var inFirst: Double?
        var inLast: Double?
        let minimumStep = max(1, (report.counterDeltas["pswpin"] ?? 0) / 100)
        for (a, b) in zip(samples, samples.dropFirst()) {
            if let x = a.counters["pswpin"], let y = b.counters["pswpin"], y - x >= minimumStep {
                if inFirst == nil { inFirst = a.time }
                inLast = b.time
            }
        }
        if let f = inFirst, let l = inLast { report.swapInWindow = f...l }

        // Crossings and lowest free per zone.
        var finder = WatermarkCrossing.Finder()
        var lowest: [String: ZoneLow] = [:]
        var order: [String] = []
        for s in samples {
            report.crossings += finder.add(s)
            for z in s.zones where z.managed.count > 0 {
                let key = "\(z.node)/\(z.zone.rawValue)"
                if lowest[key] == nil { order.append(key) }
                if lowest[key].map({ z.free.count < $0.free }) ?? true {
                    lowest[key] = ZoneLow(
                        node: z.node, zone: z.zone, time: s.time, free: z.free.count, min: z.min.count, low: z.low.count
                    )
                }
            }
        }
        report.lowestFree = order.compactMap { lowest[$0] }
        (report.closestToWake, report.closestToMin) = margins(samples)

        // Per cycle: wake condition, balanced zone at sleep, counter deltas.
        for i in report.cycles.indices {
            var c = report.cycles[i]
            let start = c.wakers.first?.time ?? c.wake
            if let start {
                let wi = sampleIndex(atOrBefore: start, in: samples)
                let ws = samples[wi]
                if ws.time <= start {
                    c.wakeSampleTime = ws.time
                    let (zones, cls) = eligible(ws, nid: c.nid)
                    c.zonesBelowLowAtWake = zones.compactMap { z in
                        let p = protection(z, cls)
                        return z.free.count <= z.low.count + p
                            ? ZoneLevel(zone: z.zone, free: z.free.count, mark: z.low.count, protection: p) : nil
                    }
                }
            }
            if let sleep = c.sleep {
                let si = sampleIndex(atOrBefore: sleep, in: samples)
                let ss = samples[si]
                if ss.time <= sleep {
                    c.sleepSampleTime = ss.time
                    let (zones, cls) = eligible(ss, nid: c.nid)
                    c.zonesAtSleep = zones.map { z in
                        ZoneLevel(zone: z.zone, free: z.free.count, mark: z.high.count, protection: protection(z, cls))
                    }
                    c.balancedAtSleep = c.zonesAtSleep.filter { $0.free > $0.mark + $0.protection }
                }
            }
            let a = samples[sampleIndex(atOrBefore: start ?? first.time, in: samples)]
            let b = samples[c.sleep.map { sampleIndex(atOrAfter: $0, in: samples) } ?? samples.count - 1]
            c.counterDeltas = deltas(a, b)
            report.cycles[i] = c
        }
    }
}
