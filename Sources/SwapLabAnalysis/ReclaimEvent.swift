import SwapLabModel

/// A trace event as reclaim reads it: the tracepoint with the payload fields swaplab uses, decoded and bounded once
/// by `ReclaimEventDecoder` (`include/trace/events/vmscan.h`, `oom.h`; the formats of 4.4–6.18 in
/// `reference/kernel.md` §3.3). A value outside what a kernel prints is nil (or, for a node, the event is `.other`).
public enum ReclaimEvent: Sendable, Equatable {
    /// `kswapd()` begins a `balance_pgdat()` pass on node `nid`; it prints this before every pass, not only after
    /// a sleep. `order` is nil when out of range.
    case kswapdWake(nid: Int, order: Int?)
    /// `kswapd_try_to_sleep()` enters the full sleep after the 100 ms nap.
    case kswapdSleep(nid: Int)
    /// `wakeup_kswapd()`, printed in the waker's context; `gfp_flags=none order=0` is the watermark-boost wake from
    /// `rmqueue()`. `zid` is printed by 4.4 and 4.19 only; `order` is 0 when absent or out of range.
    case wakeupKswapd(nid: Int, zid: Int?, order: Int, gfpFlags: String)
    /// `try_to_free_pages()` begins direct reclaim in the allocating task.
    case directReclaimBegin(order: Int?, gfpFlags: String?)
    /// Direct reclaim ends, having reclaimed `reclaimed` pages (nil when absent or out of range).
    case directReclaimEnd(reclaimed: Int64?)
    /// `shrink_inactive_list()` reclaimed `reclaimed` pages from the `list` LRU (`RECLAIM_WB_FILE`/`_ANON`).
    case lruShrinkInactive(reclaimed: Int64?, list: ReclaimedList?)
    /// `pageout()` wrote a folio (`mm_vmscan_write_folio`, `mm_vmscan_writepage` up to 5.15): to swap when `anon`.
    case writeFolio(anon: Bool)
    /// `reclaim_pages()` (madvise, DAMON; 6.13+) reclaimed `reclaimed` pages.
    case reclaimPages(reclaimed: Int64?)
    /// `mark_oom_victim()`: the OOM killer chose `pid` (`comm` and the memory it held since 6.12; a size nil when
    /// absent or out of range).
    case markVictim(pid: Int, comm: String?, memory: VictimMemory)
    /// Any other event: counted by name, not read.
    case other

    /// Which LRU a `shrink_inactive_list()` worked on.
    public enum ReclaimedList: Sendable, Equatable {
        case anon, file
    }
}

/// What an OOM victim held, as `mark_victim` prints it (`anon-rss=`, `file-rss:`, `shmem-rss:`, `pgtables=`, in kB;
/// `trace_mark_victim()` in mm/oom_kill.c, 6.12+). `oom_badness()` counts the resident parts, the page tables and
/// the victim's swap entries; the tracepoint does not print the swap.
public struct VictimMemory: Sendable, Equatable {
    public var anonRSSkB: Int64?
    public var fileRSSkB: Int64?
    public var shmemRSSkB: Int64?
    public var pgtableskB: Int64?

    public init(anonRSSkB: Int64? = nil, fileRSSkB: Int64? = nil, shmemRSSkB: Int64? = nil, pgtableskB: Int64? = nil) {
        (self.anonRSSkB, self.fileRSSkB, self.shmemRSSkB, self.pgtableskB) =
            (anonRSSkB, fileRSSkB, shmemRSSkB, pgtableskB)
    }

    /// Resident memory in kB: anon + file + shmem (what `get_mm_rss()` adds up); nil without `anon-rss`.
    public var residentkB: Int64? {
        anonRSSkB.map { $0.saturatingAdd(fileRSSkB ?? 0).saturatingAdd(shmemRSSkB ?? 0) }
    }
}

/// Turns `TraceEvent`s into `ReclaimEvent`s: the one place a payload is read for reclaim. It keeps the names it has
/// seen (one dictionary lookup per event, then a switch, instead of comparing every name) and counts the payload
/// values it refused: page counts 0…`Limits.maxPages`, `anon-rss` 0…`Limits.maxBytes`, nodes `Limits.kernelNodes`,
/// orders 0…`maxOrder` (issue 14). Memory grows with distinct event names only.
public struct ReclaimEventDecoder: Sendable {
    /// The largest order a page allocation can ask for and still be a shift of a page count.
    public static let maxOrder = 63

    /// Every event name decoded so far, in the order first seen; `decode` returns an index into it.
    public private(set) var names: [String] = []
    /// Payload values outside the ranges above, not used.
    public private(set) var outOfRangeValues = 0
    private var nameIndex: [String: Int] = [:]
    private var tracepoints: [TracepointName?] = []

    public init() {}

    /// `e` decoded, with the index of its name in `names`.
    public mutating func decode(_ e: TraceEvent) -> (nameIndex: Int, event: ReclaimEvent) {
        let index: Int
        if let i = nameIndex[e.name] {
            index = i
        } else {
            index = names.count
            nameIndex[e.name] = index
            names.append(e.name)
            tracepoints.append(TracepointName(rawValue: e.name))
        }
        guard let tp = tracepoints[index] else { return (index, .other) }
        return (index, decode(e, as: tp))
    }

    /// `e` decoded as the tracepoint `tp`.
    private mutating func decode(_ e: TraceEvent, as tp: TracepointName) -> ReclaimEvent {
        switch tp {
        case .kswapdWake:
            guard let nid = node(e.intField("nid") ?? Int64(Self.kswapdNode(e.comm) ?? 0)) else { return .other }
            return .kswapdWake(nid: nid, order: order(e.intField("order") ?? 0))
        case .kswapdSleep:
            guard let nid = node(e.intField("nid") ?? Int64(Self.kswapdNode(e.comm) ?? 0)) else { return .other }
            return .kswapdSleep(nid: nid)
        case .wakeupKswapd:
            guard let nid = node(e.intField("nid") ?? 0) else { return .other }
            return .wakeupKswapd(
                nid: nid, zid: e.intField("zid").flatMap { Int(exactly: $0) },
                order: order(e.intField("order") ?? 0) ?? 0,
                gfpFlags: e.field("gfp_flags").map(String.init) ?? "?")
        case .directReclaimBegin:
            return .directReclaimBegin(
                order: e.intField("order").flatMap { order($0) }, gfpFlags: e.field("gfp_flags").map(String.init))
        case .directReclaimEnd:
            return .directReclaimEnd(reclaimed: pages(e.intField("nr_reclaimed")))
        case .lruShrinkInactive:
            let list: ReclaimEvent.ReclaimedList? =
                e.payloadContains("RECLAIM_WB_FILE") ? .file : e.payloadContains("RECLAIM_WB_ANON") ? .anon : nil
            return .lruShrinkInactive(reclaimed: pages(e.intField("nr_reclaimed")), list: list)
        case .writeFolio, .writepage:
            return .writeFolio(anon: e.payloadContains("RECLAIM_WB_ANON"))
        case .reclaimPages:
            return .reclaimPages(reclaimed: pages(e.intField("nr_reclaimed")))
        case .markVictim:
            func kB(_ key: String) -> Int64? {
                guard let v = e.field(key).flatMap({ Int64($0.prefix { $0.isNumber }) }) else { return nil }
                guard v >= 0, v <= Limits.maxBytes / 1024 else {
                    outOfRangeValues += 1
                    return nil
                }
                return v
            }
            let memory = VictimMemory(
                anonRSSkB: kB("anon-rss"), fileRSSkB: kB("file-rss"), shmemRSSkB: kB("shmem-rss"),
                pgtableskB: kB("pgtables"))
            return .markVictim(
                pid: Int(e.intField("pid") ?? Int64(e.pid)), comm: e.field("comm").map(String.init), memory: memory)
        default:
            return .other
        }
    }

    /// `value` as a node number, or nil (counted) outside `Limits.kernelNodes`.
    private mutating func node(_ value: Int64) -> Int? {
        guard value >= 0, value <= Int64(Limits.kernelNodes.upperBound) else {
            outOfRangeValues += 1
            return nil
        }
        return Int(value)
    }

    /// `value` as an allocation order, or nil (counted) outside 0…`maxOrder`.
    private mutating func order(_ value: Int64) -> Int? {
        guard value >= 0, value <= Int64(Self.maxOrder) else {
            outOfRangeValues += 1
            return nil
        }
        return Int(value)
    }

    /// `value` as a page count, or nil: absent, or (counted) outside 0…`Limits.maxPages`.
    private mutating func pages(_ value: Int64?) -> Int64? {
        guard let value else { return nil }
        guard value >= 0, value <= Limits.maxPages else {
            outOfRangeValues += 1
            return nil
        }
        return value
    }

    /// The node a kswapd thread serves, from its comm (`kswapd%d`, as `kswapd_run()` names it), or nil for any
    /// other task.
    public static func kswapdNode(_ comm: String) -> Int? {
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
}
