/// Reads a timeline (simulated, live, replayed, or parsed from a trace file) and finds what reclaim did.
///
/// The rules follow the kernel (`reference/kernel.md` §2–§3, `reference/live-lab.md` §2, §6):
/// - `kswapd()` emits `mm_vmscan_kswapd_wake` before **every** `balance_pgdat()` pass, so a cycle starts at the
///   first wake after a `mm_vmscan_kswapd_sleep` (or at the start) and may hold many passes;
/// - `mm_vmscan_kswapd_sleep` is the full sleep after the 100 ms nap (`kswapd_try_to_sleep()`), which happens
///   when `pgdat_balanced()` finds **one** eligible zone above high + `lowmem_reserve`, or when the node is
///   hopeless (16 passes without progress);
/// - `mm_vmscan_wakeup_kswapd` is printed in the waker's context (`wakeup_kswapd()`); `gfp_flags=none order=0`
///   is the watermark-boost wake from `rmqueue()`;
/// - `mm_vmscan_reclaim_pages` from a task other than kswapd (DAMON's `kdamond`) is not kswapd's work;
/// - direct reclaim begin/end pair per `try_to_free_pages()` call, matched by pid.
public enum ReclaimExplainer {
    /// Counters whose deltas are reported per cycle and for the whole timeline (exact /proc/vmstat names).
    public static let reportedCounters = [
        "pswpout", "pswpin", "pgsteal_kswapd", "pgsteal_direct", "pgscan_kswapd", "pgscan_direct", "pgsteal_anon",
        "pgsteal_file", "pageoutrun", "allocstall_dma32", "allocstall_normal", "allocstall_movable", "oom_kill",
        "kswapd_low_wmark_hit_quickly", "kswapd_high_wmark_hit_quickly",
    ]

    /// Analyses `timeline`. Cost grows linearly with its events and samples.
    public static func analyze(_ timeline: Timeline) -> ReclaimReport {
        var report = ReclaimReport()
        report.eventCount = timeline.events.count
        report.sampleCount = timeline.samples.count
        report.span = timeline.span
        scanEvents(timeline.events, into: &report)
        if !timeline.samples.isEmpty { readSamples(timeline.samples, into: &report) }
        if timeline.events.isEmpty && timeline.samples.isEmpty {
            report.notes.append(.empty)
        } else {
            if timeline.events.isEmpty { report.notes.append(.noTraceEvents) }
            if timeline.samples.isEmpty { report.notes.append(.noSamples) }
            if let s = timeline.samples.first, !s.zones.isEmpty, s.zones.allSatisfy({ $0.protection == nil }) {
                report.notes.append(.noProtection)
            }
        }
        return report
    }

    /// The node a kswapd thread serves, from its comm (`kswapd%d`), or nil for any other task.
    static func kswapdNode(_ comm: String) -> Int? {
        guard comm.hasPrefix("kswapd") else { return nil }
        return Int(comm.dropFirst(6).prefix { $0.isNumber }) ?? 0
    }

    // MARK: Events

    private static func scanEvents(_ events: [TraceEvent], into report: inout ReclaimReport) {
        var counts: [String: Int] = [:]
        var open: [Int: Int] = [:]  // nid → index into cycles of the open cycle
        var pendingWakers: [Int: [Waker]] = [:]
        var cycles: [KswapdCycle] = []
        var directOpen: [Int: (time: Double, comm: String)] = [:]
        var direct = DirectReclaimSummary()
        var directTasks: [String: Int] = [:]
        var directTaskOrder: [String] = []

        for e in events {
            counts[e.name, default: 0] += 1
            switch e.name {
            case "mm_vmscan_kswapd_wake":
                let nid = Int(e.intField("nid") ?? Int64(kswapdNode(e.comm) ?? 0))
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
            case "mm_vmscan_kswapd_sleep":
                let nid = Int(e.intField("nid") ?? Int64(kswapdNode(e.comm) ?? 0))
                if let i = open.removeValue(forKey: nid) {
                    cycles[i].sleep = e.time
                } else {
                    // The trace began while kswapd was running (or its wake line was not kept).
                    var c = KswapdCycle(nid: nid, wake: nil)
                    c.sleep = e.time
                    c.wakers = pendingWakers.removeValue(forKey: nid) ?? []
                    cycles.append(c)
                }
            case "mm_vmscan_wakeup_kswapd":
                let nid = Int(e.intField("nid") ?? 0)
                let w = Waker(
                    time: e.time, comm: e.comm, pid: e.pid, order: Int(e.intField("order") ?? 0),
                    gfpFlags: e.field("gfp_flags").map(String.init) ?? "?")
                if let i = open[nid] { cycles[i].wakers.append(w) } else { pendingWakers[nid, default: []].append(w) }
            case "mm_vmscan_write_folio", "mm_vmscan_writepage":
                if let nid = kswapdNode(e.comm), let i = open[nid], e.payload.contains("RECLAIM_WB_ANON") {
                    cycles[i].anonWritten += 1
                }
            case "mm_vmscan_lru_shrink_inactive":
                if let nid = kswapdNode(e.comm), let i = open[nid], let n = e.intField("nr_reclaimed") {
                    if e.payload.contains("RECLAIM_WB_FILE") {
                        cycles[i].fileReclaimed += n
                    } else if e.payload.contains("RECLAIM_WB_ANON") {
                        cycles[i].anonReclaimed += n
                    }
                }
            case "mm_vmscan_reclaim_pages":
                if kswapdNode(e.comm) == nil {
                    report.otherReclaimPages.lines += 1
                    report.otherReclaimPages.reclaimed += e.intField("nr_reclaimed") ?? 0
                    if !report.otherReclaimPages.comms.contains(e.comm) { report.otherReclaimPages.comms.append(e.comm) }
                }
            case "mm_vmscan_direct_reclaim_begin":
                if directOpen[e.pid] != nil { direct.unmatchedBegins += 1 }
                directOpen[e.pid] = (e.time, e.comm)
                if direct.firstBegin == nil { direct.firstBegin = e.time }
            case "mm_vmscan_direct_reclaim_end":
                if let b = directOpen.removeValue(forKey: e.pid) {
                    direct.stallsMs.append((e.time - b.time) * 1000)
                    direct.reclaimed += e.intField("nr_reclaimed") ?? 0
                    if directTasks[b.comm] == nil { directTaskOrder.append(b.comm) }
                    directTasks[b.comm, default: 0] += 1
                } else {
                    direct.unmatchedEnds += 1
                }
            case "mark_victim":
                let pid = Int(e.intField("pid") ?? Int64(e.pid))
                let rss = e.field("anon-rss").flatMap { Int64($0.prefix { $0.isNumber }) }
                report.oomKills.append(
                    OOMKill(time: e.time, pid: pid, comm: e.field("comm").map(String.init), anonRSSkB: rss))
            default:
                break
            }
        }
        direct.unmatchedBegins += directOpen.count
        direct.tasks = directTaskOrder.map { ($0, directTasks[$0] ?? 0) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        report.eventCounts = counts
        report.cycles = cycles
        report.directReclaim = direct
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

    private static func readSamples(_ samples: [Sample], into report: inout ReclaimReport) {
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
                        WatermarkCrossing(time: s.time, node: z.node, zone: z.zone, from: p, to: band, free: z.free.count))
                }
                previous[key] = band
                if lowest[key] == nil { order.append(key) }
                if lowest[key].map({ z.free.count < $0.free }) ?? true {
                    lowest[key] = ZoneLow(
                        node: z.node, zone: z.zone, time: s.time, free: z.free.count, min: z.min.count, low: z.low.count)
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
