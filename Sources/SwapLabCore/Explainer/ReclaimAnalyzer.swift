/// Reads trace events one at a time and keeps what `ReclaimReport` needs: counts per event name, the open
/// kswapd cycle and open direct-reclaim episode of each node and task, a summary per kswapd cycle, the OOM kills,
/// and the distribution of stalls. Memory grows with cycles, kills, tasks and distinct stall lengths, never with
/// the lines read, so a trace file of any size streams through it (`explain --trace`).
///
/// The rules are `ReclaimExplainer`'s (`reference/kernel.md` §2–§3, `reference/live-lab.md` §2, §6): a cycle
/// starts at the first `mm_vmscan_kswapd_wake` after a `mm_vmscan_kswapd_sleep` (`kswapd()` emits a wake before
/// every `balance_pgdat()` pass); `mm_vmscan_wakeup_kswapd` (`wakeup_kswapd()`, in the waker's context) names who
/// woke it; direct reclaim begin/end pair per `try_to_free_pages()` call by pid; `mm_vmscan_reclaim_pages` from a
/// task other than kswapd is not kswapd's work. Samples, when the timeline has them, are read at the end
/// (`report(samples:markers:)`): the wake and sleep checks look up the samples around each cycle.
public struct ReclaimAnalyzer: Sendable {
    /// Counters whose deltas are reported per cycle and for the whole timeline (exact /proc/vmstat names).
    public static let reportedCounters = [
        "pswpout", "pswpin", "pgsteal_kswapd", "pgsteal_direct", "pgscan_kswapd", "pgscan_direct", "pgsteal_anon",
        "pgsteal_file", "pageoutrun", "allocstall_dma32", "allocstall_normal", "allocstall_movable", "oom_kill",
        "kswapd_low_wmark_hit_quickly", "kswapd_high_wmark_hit_quickly",
    ]

    /// Events consumed.
    public private(set) var eventCount = 0
    /// Times of the first and the last event consumed (in the order given, as `Timeline.span` takes them).
    public private(set) var firstEventTime: Double?
    public private(set) var lastEventTime: Double?

    /// Event name → index into `nameCounts` and `nameKinds`: one dictionary lookup per event, then a switch on
    /// the kind instead of comparing the name with every event the analysis reads.
    private var nameIndex: [String: Int] = [:]
    private var names: [String] = []
    private var nameCounts: [Int] = []
    private var nameKinds: [Kind] = []

    /// The events the analysis reads.
    private enum Kind: Sendable {
        case kswapdWake, kswapdSleep, wakeupKswapd, writeFolio, shrinkInactive, reclaimPages, directBegin, directEnd
        case markVictim, other

        init(_ name: String) {
            switch name {
            case "mm_vmscan_kswapd_wake": self = .kswapdWake
            case "mm_vmscan_kswapd_sleep": self = .kswapdSleep
            case "mm_vmscan_wakeup_kswapd": self = .wakeupKswapd
            case "mm_vmscan_write_folio", "mm_vmscan_writepage": self = .writeFolio
            case "mm_vmscan_lru_shrink_inactive": self = .shrinkInactive
            case "mm_vmscan_reclaim_pages": self = .reclaimPages
            case "mm_vmscan_direct_reclaim_begin": self = .directBegin
            case "mm_vmscan_direct_reclaim_end": self = .directEnd
            case "mark_victim": self = .markVictim
            default: self = .other
            }
        }
    }
    /// nid → index into `cycles` of the node's open cycle.
    private var open: [Int: Int] = [:]
    /// Wake-ups seen while the node had no open cycle: they belong to the next one.
    private var pendingWakers: [Int: [Waker]] = [:]
    private var cycles: [KswapdCycle] = []
    /// pid → the begin of its open direct-reclaim episode.
    private var directOpen: [Int: (time: Double, comm: String)] = [:]
    private var direct = DirectReclaimSummary()
    private var directTasks: [String: Int] = [:]
    private var directTaskOrder: [String] = []
    private var oomKills: [OOMKill] = []
    private var otherReclaimPages = OtherReclaim()

    public init() {}

    /// Takes one event, in the order the trace printed it.
    public mutating func consume(_ e: TraceEvent) {
        eventCount += 1
        if firstEventTime == nil { firstEventTime = e.time }
        lastEventTime = e.time
        let index: Int
        if let i = nameIndex[e.name] {
            index = i
        } else {
            index = names.count
            nameIndex[e.name] = index
            names.append(e.name)
            nameCounts.append(0)
            nameKinds.append(Kind(e.name))
        }
        nameCounts[index] += 1
        switch nameKinds[index] {
        case .kswapdWake:
            let nid = Int(e.intField("nid") ?? Int64(Self.kswapdNode(e.comm) ?? 0))
            let order = Int(e.intField("order") ?? 0)
            if let i = open[nid] {
                cycles[i].passes += 1
                if !cycles[i].orders.contains(order) { cycles[i].orders.append(order) }
            } else {
                var c = KswapdCycle(nid: nid, wake: e.time)
                c.passes = 1
                c.orders = [order]
                c.wakers = pendingWakers.removeValue(forKey: nid) ?? []
                open[nid] = cycles.count
                cycles.append(c)
            }
        case .kswapdSleep:
            let nid = Int(e.intField("nid") ?? Int64(Self.kswapdNode(e.comm) ?? 0))
            if let i = open.removeValue(forKey: nid) {
                cycles[i].sleep = e.time
            } else {
                // The trace began while kswapd was running (or its wake line was not kept).
                var c = KswapdCycle(nid: nid, wake: nil)
                c.sleep = e.time
                c.wakers = pendingWakers.removeValue(forKey: nid) ?? []
                cycles.append(c)
            }
        case .wakeupKswapd:
            let nid = Int(e.intField("nid") ?? 0)
            let w = Waker(
                time: e.time, comm: e.comm, pid: e.pid, order: Int(e.intField("order") ?? 0),
                gfpFlags: e.field("gfp_flags").map(String.init) ?? "?")
            if let i = open[nid] { cycles[i].wakers.append(w) } else { pendingWakers[nid, default: []].append(w) }
        case .writeFolio:
            if let nid = Self.kswapdNode(e.comm), let i = open[nid], e.payloadContains("RECLAIM_WB_ANON") {
                cycles[i].anonWritten += 1
            }
        case .shrinkInactive:
            if let nid = Self.kswapdNode(e.comm), let i = open[nid], let n = e.intField("nr_reclaimed") {
                if e.payloadContains("RECLAIM_WB_FILE") {
                    cycles[i].fileReclaimed += n
                } else if e.payloadContains("RECLAIM_WB_ANON") {
                    cycles[i].anonReclaimed += n
                }
            }
        case .reclaimPages:
            if Self.kswapdNode(e.comm) == nil {
                otherReclaimPages.lines += 1
                otherReclaimPages.reclaimed += e.intField("nr_reclaimed") ?? 0
                if !otherReclaimPages.comms.contains(e.comm) { otherReclaimPages.comms.append(e.comm) }
            }
        case .directBegin:
            if directOpen[e.pid] != nil { direct.unmatchedBegins += 1 }
            directOpen[e.pid] = (e.time, e.comm)
            if direct.firstBegin == nil { direct.firstBegin = e.time }
        case .directEnd:
            if let b = directOpen.removeValue(forKey: e.pid) {
                direct.addStall((e.time - b.time) * 1000)
                direct.reclaimed += e.intField("nr_reclaimed") ?? 0
                if directTasks[b.comm] == nil { directTaskOrder.append(b.comm) }
                directTasks[b.comm, default: 0] += 1
            } else {
                direct.unmatchedEnds += 1
            }
        case .markVictim:
            let pid = Int(e.intField("pid") ?? Int64(e.pid))
            let rss = e.field("anon-rss").flatMap { Int64($0.prefix { $0.isNumber }) }
            oomKills.append(OOMKill(time: e.time, pid: pid, comm: e.field("comm").map(String.init), anonRSSkB: rss))
        case .other:
            break
        }
    }

    /// What the events so far show, with what `samples` (in time order) add: counter deltas, watermark crossings,
    /// the lowest free pages, the swap-in window, and per cycle the zones at the wake and the balanced zone at the
    /// sleep. `markers` only widen the span. Consuming more events afterwards is allowed.
    public func report(samples: [Sample] = [], markers: [Marker] = []) -> ReclaimReport {
        var report = ReclaimReport()
        report.eventCount = eventCount
        report.sampleCount = samples.count
        let times = [
            samples.first?.time, samples.last?.time, firstEventTime, lastEventTime,
            markers.first?.time, markers.last?.time,
        ].compactMap { $0 }
        if let lo = times.min(), let hi = times.max() { report.span = lo...hi }
        var d = direct
        d.unmatchedBegins += directOpen.count
        d.tasks = directTaskOrder.map { ($0, directTasks[$0] ?? 0) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        report.eventCounts = Dictionary(uniqueKeysWithValues: zip(names, nameCounts))
        report.cycles = cycles
        report.directReclaim = d
        report.oomKills = oomKills
        report.otherReclaimPages = otherReclaimPages
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
        return report
    }

    /// The node a kswapd thread serves, from its comm (`kswapd%d`), or nil for any other task.
    static func kswapdNode(_ comm: String) -> Int? {
        var comm = comm
        return comm.withUTF8 { c -> Int? in
            guard c.count >= 6, c[0] == 0x6B, c[1] == 0x73, c[2] == 0x77, c[3] == 0x61, c[4] == 0x70, c[5] == 0x64
            else { return nil }  // "kswapd"
            var i = 6
            var n = 0
            while i < c.count, c[i] &- 0x30 < 10 {
                let (m, o1) = n.multipliedReportingOverflow(by: 10)
                let (v, o2) = m.addingReportingOverflow(Int(c[i] &- 0x30))
                if o1 || o2 { return 0 }
                n = v
                i += 1
            }
            // A non-ASCII character after the digits may be a Unicode digit, which makes the number unreadable.
            if i < c.count, c[i] >= 0x80 {
                return Int(String(decoding: c, as: UTF8.self).dropFirst(6).prefix { $0.isNumber }) ?? 0
            }
            return i == 6 ? 0 : n
        }
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
        var previous: [String: WatermarkCrossing.Band] = [:]
        var lowest: [String: ZoneLow] = [:]
        var order: [String] = []
        for s in samples {
            for z in s.zones where z.managed.count > 0 {
                let key = "\(z.node)/\(z.zone.rawValue)"
                let band = WatermarkCrossing.Band.of(
                    free: z.free.count, min: z.min.count, low: z.low.count, high: z.high.count)
                if let p = previous[key], p != band {
                    report.crossings.append(
                        WatermarkCrossing(
                            time: s.time, node: z.node, zone: z.zone, from: p, to: band, free: z.free.count))
                }
                previous[key] = band
                if lowest[key] == nil { order.append(key) }
                if lowest[key].map({ z.free.count < $0.free }) ?? true {
                    lowest[key] = ZoneLow(
                        node: z.node, zone: z.zone, time: s.time, free: z.free.count, min: z.min.count, low: z.low.count
                    )
                }
            }
        }
        report.lowestFree = order.compactMap { lowest[$0] }

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
