import Foundation
import SwapLabAnalysis
import SwapLabModel

/// The language of a narrative.
public enum NarrativeLanguage: String, Sendable, CaseIterable {
    case en, ko

    /// Korean when `LC_ALL`, else `LC_MESSAGES`, else `LANG` starts with `ko`; English otherwise.
    public static func fromEnvironment(_ env: [String: String]) -> NarrativeLanguage {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let v = env[key], !v.isEmpty { return v.lowercased().hasPrefix("ko") ? .ko : .en }
        }
        return .en
    }
}

/// Tells a `ReclaimReport` as short paragraphs with the observed numbers, in English or Korean, true to
/// `reference/live-lab.md` §2 and §6 (cycles hold many passes; kswapd sleeps when ONE eligible zone is balanced
/// at high; `kdamond` is not kswapd; many passes without sleep mean high cannot be reached).
/// Korean uses the course's words (`reference/course-terms.md`).
///
/// What it prints is bounded whatever the trace holds (issue 14): the first `shownCycles` cycles, nodes and OOM
/// kills are told in full, the rest in one paragraph each with their count and totals.
public enum ReclaimNarrative {
    /// Cycles told in full; the others are added up in one paragraph.
    public static let shownCycles = 10
    /// Nodes given their own line; the others are added up in one.
    public static let shownNodes = 10
    /// OOM kills told one by one; the others are counted.
    public static let shownKills = 10

    /// One paragraph per finding, in order.
    public static func paragraphs(_ r: ReclaimReport, lang: NarrativeLanguage) -> [String] {
        var p = Telling(ko: lang == .ko)
        if r.notes.contains(.empty) {
            p.say("The timeline is empty: nothing to explain yet.", "타임라인이 비어 있습니다. 아직 설명할 것이 없습니다.")
            return p.paragraphs
        }
        tellSource(r, into: &p)
        tellCycles(r, into: &p)
        tellPendingWakeups(r, into: &p)
        tellDirectReclaim(r, into: &p)
        tellOOM(r, into: &p)
        tellSwapIn(r, into: &p)
        tellRefaults(r, into: &p)
        tellLowestFree(r, into: &p)
        tellTraceLines(r, into: &p)
        return p.paragraphs
    }

    /// The narrative as one text, paragraphs separated by blank lines.
    public static func text(_ r: ReclaimReport, lang: NarrativeLanguage) -> String {
        paragraphs(r, lang: lang).joined(separator: "\n\n")
    }

    /// The paragraphs told so far, in the narrative's language.
    private struct Telling {
        let ko: Bool
        var paragraphs: [String] = []

        /// Adds the paragraph in the narrative's language.
        mutating func say(_ en: String, _ k: String) { paragraphs.append(ko ? k : en) }
    }

    // MARK: Findings

    /// What was read (events, samples, span) and what the input lacks or held that no kernel prints.
    private static func tellSource(_ r: ReclaimReport, into p: inout Telling) {
        let ko = p.ko
        let span = r.span.map { (t(ko: ko, $0.lowerBound), t(ko: ko, $0.upperBound)) }
        p.say(
            "Read \(n(r.eventCount)) trace events and \(n(r.sampleCount)) samples"
                + (span.map { " (\($0.0) – \($0.1) s)" } ?? "") + ".",
            "trace 이벤트 \(n(r.eventCount))개와 샘플 \(n(r.sampleCount))개를 읽었습니다"
                + (span.map { "(\($0.0) – \($0.1)초)" } ?? "") + ".")
        if r.notes.contains(.noTraceEvents) {
            let d = r.counterDeltas
            let runs = d["pageoutrun"] ?? 0
            p.say(
                "No trace events: kswapd's wakes and sleeps cannot be seen, so this is inferred from /proc/vmstat "
                    + "counters: "
                    + "pageoutrun +\(n(runs)) (kswapd passes), pgsteal_kswapd +\(n(d["pgsteal_kswapd"] ?? 0)), "
                    + "pswpout +\(n(d["pswpout"] ?? 0)), allocstall +\(n(allocstalls(d))) (direct reclaim)."
                    + (runs == 0 ? " kswapd did not run." : ""),
                "trace 이벤트가 없어서 kswapd가 언제 깨어나고 잠들었는지는 알 수 없습니다. 아래는 /proc/vmstat 카운터로 추정한 값입니다: "
                    + "pageoutrun +\(n(runs)) (kswapd 패스 수), pgsteal_kswapd +\(n(d["pgsteal_kswapd"] ?? 0)), "
                    + "pswpout +\(n(d["pswpout"] ?? 0)), allocstall +\(n(allocstalls(d))) (direct reclaim)."
                    + (runs == 0 ? " kswapd는 돌지 않았습니다." : ""))
            if runs == 0, let w = r.closestToWake { p.paragraphs.append(neverWoke(w, ko: ko)) }
        }
        if r.notes.contains(.noSamples) {
            p.say(
                "No samples of the zones: watermark crossings and the balanced zone cannot be shown; amounts come "
                    + "from trace lines.",
                "zone 샘플이 없어서 워터마크를 넘나든 시점과 균형이 맞은 zone은 보여 줄 수 없습니다. 회수량은 trace 줄에서 셌습니다.")
        }
        if r.notes.contains(.outOfOrder) {
            let step = secs(r.largestStepBack)
            let times = "\(n(r.backwardSteps)) time\(r.backwardSteps == 1 ? "" : "s")"
            p.say(
                "The trace is out of time order: \(times) an event came more than 10 ms before the line above it "
                    + "(the largest step back \(step) s). Lines from different CPUs may step back a little; steps "
                    + "this large mean joined or edited captures. Durations across such a step are not shown.",
                "trace의 시간 순서가 맞지 않습니다. 이벤트가 바로 위 줄보다 10ms 넘게 이른 시각에 찍힌 곳이 "
                    + "\(n(r.backwardSteps))군데 있습니다(가장 크게 거슬러 간 것은 \(step)초). CPU가 다르면 시각이 조금 "
                    + "거슬러 갈 수 있지만, 이만큼 거슬러 가면 여러 캡처를 이어 붙였거나 편집한 trace입니다. 이런 곳을 "
                    + "사이에 둔 시간 길이는 보여 주지 않습니다.")
        }
        if r.notes.contains(.outOfRangeValues) {
            p.say(
                "\(n(r.ignoredValues)) value\(r.ignoredValues == 1 ? " was" : "s were") beyond what a kernel "
                    + "prints (page counts above 2^40, nodes above 1023, orders above 63, anon-rss above 4 PiB) and "
                    + "not used.",
                "커널이 찍을 수 없는 값 \(n(r.ignoredValues))개(2^40을 넘는 페이지 수, 1023을 넘는 node, 63을 넘는 order, "
                    + "4 PiB를 넘는 anon-rss)는 쓰지 않았습니다.")
        }
        if r.notes.contains(.eventsNotRecorded) {
            let count = n(r.unrecordedEvents)
            p.say(
                "Note: the timeline reached its limit and \(count) later wake, sleep, wake-up, direct-reclaim and OOM "
                    + "events were counted but not recorded (`events` says which): cycles, stalls and kills after "
                    + "that are not told here; `status` and `vmstat` show the machine now.",
                "주의: 타임라인이 한도에 닿아, 그 뒤의 깨어남·잠듦·깨움·direct reclaim·OOM 이벤트 \(count)개는 세기만 하고 "
                    + "기록하지 않았습니다(`events`에 종류별로 나옵니다). 그 뒤의 사이클, 멈춤, OOM kill은 여기서 말하지 "
                    + "않습니다. 지금 머신 상태는 `status`와 `vmstat`이 보여 줍니다.")
        }
        if r.notes.contains(.cappedTotals) {
            p.say(
                "A total of pages reached 2^63 - 1 and stopped there: the real total is at least that.",
                "페이지 합계가 2^63 - 1에 닿아 거기서 멈췄습니다. 실제 합계는 그 이상입니다.")
        }
    }

    /// kswapd's finished and open cycles per node, then each cycle (the first `shownCycles` in full, the rest
    /// added up).
    private static func tellCycles(_ r: ReclaimReport, into p: inout Telling) {
        let ko = p.ko
        // Traced (or the simulator, which records every wake and sleep): no cycle means kswapd never woke.
        if !r.notes.contains(.noTraceEvents) {
            var perNode = r.moreCycles.perNode
            var openPerNode = r.moreCycles.stillRunningPerNode
            for c in r.cycles {
                perNode[c.nid, default: 0] += 1
                if c.sleep == nil { openPerNode[c.nid, default: 0] += 1 }
            }
            let nodes = perNode.keys.sorted()
            if nodes.isEmpty {
                if r.pendingWakeups.isEmpty {
                    p.say("kswapd never woke in this trace.", "이 trace에서 kswapd는 한 번도 깨어나지 않았습니다.")
                }
                if let w = r.closestToWake {
                    p.paragraphs.append(neverWoke(w, ko: ko))
                } else {
                    p.say(
                        "Without zone samples the distance to the wake point is unknown: `watermarks` shows it now.",
                        "zone 샘플이 없어 깨우는 지점까지 얼마나 남았는지는 알 수 없습니다. 지금 값은 `watermarks`가 보여 줍니다.")
                }
            } else {
                for nid in nodes.prefix(shownNodes) {
                    // A cycle still open at the end is not a finished wake → passes → sleep: it is named apart.
                    let open = openPerNode[nid] ?? 0
                    let done = (perNode[nid] ?? 0) - open
                    let cycles = "\(n(done)) finished cycle\(done == 1 ? "" : "s")"
                    let en =
                        open == 0
                        ? "kswapd\(nid) (node \(nid)): \(cycles) of wake → passes → sleep."
                        : done == 0
                            ? "kswapd\(nid) (node \(nid)): no finished cycle of wake → passes → sleep; one cycle is "
                                + "still "
                                + "open at the end (awake, not yet asleep)."
                            : "kswapd\(nid) (node \(nid)): \(cycles) of wake → passes → sleep, and one more still open "
                                + "at the end (awake, not yet asleep)."
                    let k =
                        open == 0
                        ? "kswapd\(nid)(node \(nid)): 깨어남 → 패스 → 잠듦 사이클을 \(n(done))번 마쳤습니다."
                        : done == 0
                            ? "kswapd\(nid)(node \(nid)): 깨어남 → 패스 → 잠듦 사이클을 아직 하나도 마치지 못했습니다. "
                                + "사이클 하나가 끝날 때까지 열려 있습니다(깨어 있고 아직 잠들지 않음)."
                            : "kswapd\(nid)(node \(nid)): 깨어남 → 패스 → 잠듦 사이클을 \(n(done))번 마쳤고, "
                                + "하나는 끝날 때까지 열려 있습니다(깨어 있고 아직 잠들지 않음)."
                    p.say(en, k)
                }
                if nodes.count > shownNodes {
                    let rest = nodes.dropFirst(shownNodes)
                    let cycles = rest.reduce(0) { $0 + (perNode[$1] ?? 0) }
                    p.say(
                        "… and \(n(rest.count)) more nodes with \(n(cycles)) cycles.",
                        "… 그 밖의 node \(n(rest.count))개에서 사이클이 \(n(cycles))번 있었습니다.")
                }
            }
        }
        for (i, c) in r.cycles.prefix(shownCycles).enumerated() {
            p.paragraphs.append(cycle(c, number: i + 1, report: r, ko: ko))
        }
        if r.cycleCount > shownCycles {
            var rest = r.moreCycles
            for c in r.cycles.dropFirst(shownCycles) { rest.add(c) }
            // A cycle still open among those added up is told as `status` tells it, as a cycle told in full would be.
            let open = rest.stillRunningPerNode.keys.sorted().map { nid in
                openEnd(now: r.kswapdNow.first { $0.node == nid }, ko: ko)
            }
            p.paragraphs.append(([summary(rest, first: shownCycles + 1, ko: ko)] + open).joined(separator: " "))
        }
    }

    /// Wake-ups (`mm_vmscan_wakeup_kswapd`) after which the trace ended before kswapd's next pass began: counted,
    /// so every wake-up the chart counts is told.
    private static func tellPendingWakeups(_ r: ReclaimReport, into p: inout Telling) {
        for (nid, count) in r.pendingWakeups.sorted(by: { $0.key < $1.key }).prefix(shownNodes) {
            let times = count == 1 ? "once" : "\(n(count)) times"
            p.say(
                "kswapd\(nid) (node \(nid)) was woken \(times) (mm_vmscan_wakeup_kswapd) and the trace ends before "
                    + "its next pass began (kswapd_wake).",
                "kswapd\(nid)(node \(nid))는 \(n(count))번 깨워졌지만(mm_vmscan_wakeup_kswapd), 다음 패스를 "
                    + "시작하기(kswapd_wake) 전에 trace가 끝났습니다.")
        }
    }

    /// Direct reclaim's stalls, or how far the zones stayed above min + protection; reclaim by others than
    /// kswapd (mm_vmscan_reclaim_pages from other tasks).
    private static func tellDirectReclaim(_ r: ReclaimReport, into p: inout Telling) {
        let ko = p.ko
        let d = r.directReclaim
        if d.episodes > 0 {
            let who = d.tasks.prefix(3).map { "\($0.comm) \(n(Int64($0.count)))" }.joined(separator: ", ")
            p.say(
                "Direct reclaim: \(n(d.episodes)) episode\(d.episodes == 1 ? "" : "s") (\(who)) stalled the "
                    + "allocating tasks for \(ms(d.totalMs)) in all; "
                    + "median \(ms(d.medianMs)), longest \(ms(d.maxMs)). Below min, the allocating thread reclaims "
                    + "for itself and waits.",
                "direct reclaim: \(n(d.episodes))번(\(who)), 메모리를 요청한 스레드가 모두 합쳐 \(ms(d.totalMs)) 동안 멈칫했습니다. "
                    + "중앙값 \(ms(d.medianMs)), 가장 긴 것 \(ms(d.maxMs)). Min 아래에서는 요청 스레드가 직접 페이지를 회수하느라 기다립니다.")
        } else if r.eventCount > 0 || (allocstalls(r.counterDeltas) == 0 && r.closestToMin != nil) {
            p.say(
                "No direct reclaim: no allocation had to reclaim for itself.",
                "direct reclaim은 없었습니다. 메모리를 요청한 스레드가 직접 회수할 일은 없었습니다.")
            if let m = r.closestToMin {
                let low = size(m.free.count), point = size(m.threshold.count), gap = size(m.distance.count)
                p.say(
                    "At its lowest (\(t(ko: false, m.time)) s) the eligible zones had \(low) free, \(gap) above the "
                        + "\(point) min point (Σ min + protection): a task reclaims for itself only when every "
                        + "eligible zone is at or below min + protection.",
                    "가장 낮았을 때(\(t(ko: true, m.time))초) 할당 가능한 zone의 여유 메모리는 \(low)로, Min 지점 "
                        + "\(point)(Σ Min + protection)보다 \(gap) 위였습니다. 할당 가능한 zone이 모두 Min + protection "
                        + "이하로 내려가야 요청한 스레드가 직접 회수합니다.")
            }
        } else if allocstalls(r.counterDeltas) > 0 {
            p.say(
                "allocstall rose by \(n(allocstalls(r.counterDeltas))): tasks did direct reclaim (times unknown "
                    + "without tracing).",
                "allocstall이 \(n(allocstalls(r.counterDeltas))) 늘었습니다. direct reclaim이 있었지만 trace가 없어 시점은 알 수 없습니다.")
        }
        if r.otherReclaimPages.lines > 0 {
            let who =
                r.otherReclaimPages.comms.joined(separator: ", ")
                + (r.otherReclaimPages.moreComms ? (ko ? " 등" : " and others") : "")
            p.say(
                "\(n(r.otherReclaimPages.lines)) mm_vmscan_reclaim_pages lines came from \(who), not kswapd "
                    + "(\(n(r.otherReclaimPages.reclaimed)) pages): they are not counted as kswapd's work.",
                "mm_vmscan_reclaim_pages \(n(r.otherReclaimPages.lines))줄은 kswapd가 아니라 \(who)에서 나왔습니다"
                    + "(\(n(r.otherReclaimPages.reclaimed)) 페이지). kswapd가 한 일로 세지 않았습니다.")
        }
    }

    /// OOM kills with what the victim held (mark_victim), or why none came: out_of_memory() runs only when
    /// direct reclaim cannot make progress (should_reclaim_retry() in mm/page_alloc.c).
    private static func tellOOM(_ r: ReclaimReport, into p: inout Telling) {
        let d = r.directReclaim
        if !r.oomKills.isEmpty {
            for k in r.oomKills.prefix(shownKills) {
                let name = k.comm ?? "pid \(k.pid)"
                let m = k.memory
                func kb(_ v: Int64?) -> String { Quantity.format(bytes: (v ?? 0).saturatingMultiply(1024)) }
                // oom_badness() counts rss (anon + file + shmem), swap entries and page tables; mark_victim prints
                // all but the swap.
                let held = m.residentkB.map { rss in
                    (
                        " It held \(kb(rss)) resident (anon-rss \(kb(m.anonRSSkB)), file-rss \(kb(m.fileRSSkB)), "
                            + "shmem-rss \(kb(m.shmemRSSkB)))"
                            + (m.pgtableskB.map { " and \(kb($0)) of page tables" } ?? "")
                            + ", which the kill frees. oom_badness() also counts the swap the victim held, and the "
                            + "kill frees that swap too, but mark_victim does not print it: `status` shows swap used.",
                        " 상주 메모리 \(kb(rss))(anon-rss \(kb(m.anonRSSkB)), file-rss \(kb(m.fileRSSkB)), "
                            + "shmem-rss \(kb(m.shmemRSSkB)))"
                            + (m.pgtableskB.map { "와 페이지 테이블 \(kb($0))" } ?? "")
                            + "를 갖고 있었고, 종료되면서 이 메모리가 해제됩니다. oom_badness()는 그 프로세스가 쓰던 swap도 "
                            + "세고 종료하면 그 swap도 해제되지만, mark_victim은 swap 양을 찍지 않습니다. swap 사용량은 "
                            + "`status`에서 보세요."
                    )
                }
                p.say(
                    "OOM killer: \(name) (pid \(k.pid)) was killed at \(t(ko: false, k.time))." + (held?.0 ?? ""),
                    "\(t(ko: true, k.time))초에 OOM killer가 \(name)(pid \(k.pid)) 프로세스를 종료했습니다."
                        + (held?.1 ?? ""))
            }
            let more = r.oomKills.count - min(r.oomKills.count, shownKills) + r.moreOOMKills
            if more > 0 {
                let all = r.oomKills.count + r.moreOOMKills
                p.say(
                    "… and \(n(more)) more OOM kill\(more == 1 ? "" : "s"), \(n(all)) in all.",
                    "… OOM kill이 \(n(more))번 더 있었습니다(모두 \(n(all))번).")
            }
        } else if let kills = r.counterDeltas["oom_kill"], kills > 0 {
            p.say(
                "oom_kill rose by \(n(kills)): the OOM killer ended a process (no mark_victim line to name it).",
                "oom_kill이 \(n(kills)) 늘었습니다. OOM killer가 프로세스를 종료했습니다(mark_victim 줄이 없어 누구인지는 모릅니다).")
        } else if r.eventCount > 0 || r.sampleCount > 0 {
            noKill(r, into: &p)
        }
    }

    /// Why no OOM kill came: out_of_memory() runs only when direct reclaim made no progress over its retries
    /// (should_reclaim_retry()), so say how reclaim kept up, from the episodes or, untraced, from the counters.
    private static func noKill(_ r: ReclaimReport, into p: inout Telling) {
        let d = r.directReclaim
        let kills = r.counterDeltas["oom_kill"].map { " (oom_kill +\(n($0)))" } ?? ""
        let killsKo = r.counterDeltas["oom_kill"].map { "(oom_kill +\(n($0)))" } ?? ""
        let why = "No OOM kill\(kills): the OOM killer runs only when direct reclaim cannot free pages, and "
        let whyKo = "OOM kill은 없었습니다\(killsKo). OOM killer는 direct reclaim이 페이지를 확보하지 못할 때만 나서는데, "
        let stalls = allocstalls(r.counterDeltas)
        let counted = r.counterDeltas.keys.contains { $0.hasPrefix("allocstall") }
        if d.episodes > 0 {
            let pages = d.reclaimed
            p.say(
                why + "its \(n(d.episodes)) episode\(d.episodes == 1 ? "" : "s") freed \(n(pages)) pages "
                    + "(\(size(pages))).",
                whyKo + "direct reclaim \(n(d.episodes))번이 \(n(pages)) 페이지(\(size(pages)))를 회수했습니다.")
        } else if !r.notes.contains(.noTraceEvents) {
            p.say(why + "no task had to reclaim for itself.", whyKo + "직접 회수해야 했던 스레드가 없었습니다.")
        } else if stalls > 0 {
            // Untraced: the counters say how much direct reclaim freed.
            let pages = r.counterDeltas["pgsteal_direct"] ?? 0
            p.say(
                why + "direct reclaim (allocstall +\(n(stalls))) freed \(n(pages)) pages (pgsteal_direct).",
                whyKo + "direct reclaim(allocstall +\(n(stalls)))이 \(n(pages)) 페이지를 회수했습니다(pgsteal_direct).")
        } else if counted {
            p.say(
                why + "no task had to reclaim for itself (allocstall +0).",
                whyKo + "직접 회수해야 했던 스레드가 없었습니다(allocstall +0).")
        } else {
            p.say("No OOM kill\(kills).", "OOM kill은 없었습니다\(killsKo).")
        }
    }

    /// Pages swapped back in (pswpin) and when.
    private static func tellSwapIn(_ r: ReclaimReport, into p: inout Telling) {
        let ko = p.ko
        if let pin = r.counterDeltas["pswpin"], pin > 0 {
            let w = r.swapInWindow.map { (t(ko: ko, $0.lowerBound), t(ko: ko, $0.upperBound)) }
            p.say(
                "Swap-in: pswpin +\(n(pin)) pages (\(size(pin)))" + (w.map { " between \($0.0) and \($0.1)" } ?? "")
                    + ": pages swapped out came back when they were read again.",
                "swap-in: pswpin +\(n(pin)) 페이지(\(size(pin)))" + (w.map { ", \($0.0)–\($0.1)초" } ?? "")
                    + ". swap-out 됐던 page를 다시 읽자 DRAM으로 올라왔습니다.")
        }
    }

    /// File pages read back after they were evicted (`workingset_refault_file`), and how many were recent enough to
    /// count as workingset (`workingset_activate_file`: the refault distance fitted the workingset).
    private static func tellRefaults(_ r: ReclaimReport, into p: inout Telling) {
        guard let back = r.counterDeltas["workingset_refault_file"], back > 0 else { return }
        let head =
            "File refaults: workingset_refault_file +\(n(back)) pages (\(size(back))): file pages evicted earlier were "
            + "read from disk again"
        let headKo =
            "파일 리폴트: workingset_refault_file +\(n(back)) 페이지(\(size(back))). 앞서 쫓겨난 파일 page를 디스크에서 "
            + "다시 읽었습니다"
        guard let active = r.counterDeltas["workingset_activate_file"] else {
            // Captures made without the counter (the fixtures' samples) cannot say which refaults were workingset.
            p.say(
                head + ". The samples lack workingset_activate_file, so how many were workingset is not known.",
                headKo + ". 샘플에 workingset_activate_file이 없어 그중 workingset이 얼마였는지는 알 수 없습니다.")
            return
        }
        if active > 0 {
            p.say(
                head + "; \(n(active)) of them (workingset_activate_file) had left so recently that they went straight "
                    + "to the active list. Those pages were part of the workingset: the page cache was too small to "
                    + "keep it, and evicting them only bought a disk read later.",
                headKo + ". 그중 \(n(active)) 페이지(workingset_activate_file)는 쫓겨난 지 얼마 되지 않아 곧바로 active "
                    + "리스트로 들어갔습니다. 이 page들은 workingset이었습니다. 페이지 캐시가 그만큼 담기에 작았고, "
                    + "내보낸 대가로 나중에 디스크를 다시 읽었습니다.")
        } else {
            p.say(
                head + "; none was recent enough to count as workingset (workingset_activate_file +0): data read "
                    + "again long after it left, so evicting it cost little.",
                headKo + ". 최근에 쫓겨난 것은 없어 workingset으로 치지 않았습니다(workingset_activate_file +0). "
                    + "떠난 지 오래된 데이터를 다시 읽은 것이라 내보낸 비용이 적었습니다.")
        }
    }

    /// The lowest free pages per zone against min and low.
    private static func tellLowestFree(_ r: ReclaimReport, into p: inout Telling) {
        if !r.lowestFree.isEmpty {
            let under = r.lowestFree.filter { $0.free <= $0.min }
            if under.isEmpty {
                let lows = r.lowestFree.filter { $0.free <= $0.low }
                    .map { "\($0.zone.rawValue) \(n($0.free)) (Min \(n($0.min)))" }.joined(separator: ", ")
                p.say(
                    "Free pages never fell to min in any zone" + (lows.isEmpty ? "." : "; lowest below low: \(lows)."),
                    "어느 zone도 여유 페이지가 Min까지 내려가지 않았습니다" + (lows.isEmpty ? "." : ". Low 아래 최저치: \(lows)."))
            } else {
                let text = under.map { "\($0.zone.rawValue) \(n($0.free)) ≤ Min \(n($0.min))" }.joined(separator: ", ")
                p.say(
                    "Free pages reached min: \(text). At min, allocations reclaim directly.",
                    "여유 페이지가 Min에 닿았습니다: \(text). Min에서는 할당하는 스레드가 직접 회수합니다.")
            }
        }
    }

    /// What the trace file's lines held besides events: lines refused as no kernel prints them, lost events.
    private static func tellTraceLines(_ r: ReclaimReport, into p: inout Telling) {
        if let c = r.traceLines {
            if c.refused.total > 0 {
                let f = c.refused
                let en = [
                    (f.length, "longer than 128 KiB"), (f.time, "with a timestamp beyond a 64-bit clock"),
                    (f.pid, "with a pid above \(n(Limits.maxPID))"), (f.cpu, "with a CPU above \(Limits.maxCPU)"),
                ].filter { $0.0 > 0 }.map { "\(n($0.0)) \($0.1)" }.joined(separator: ", ")
                let k = [
                    (f.length, "128 KiB보다 긴 줄"), (f.time, "64비트 시계를 넘는 타임스탬프"),
                    (f.pid, "\(n(Limits.maxPID))를 넘는 pid"), (f.cpu, "\(Limits.maxCPU)를 넘는 CPU 번호"),
                ].filter { $0.0 > 0 }.map { "\($0.1) \(n($0.0))개" }.joined(separator: ", ")
                let lines =
                    f.total == 1 ? "1 line shaped like an event was" : "\(n(f.total)) lines shaped like events were"
                p.say(
                    "Note: \(lines) not read, as no kernel prints them: \(en).",
                    "주의: 커널이 찍을 수 없는 이벤트 줄 \(n(f.total))개는 읽지 않았습니다: \(k).")
            }
            if c.lost > 0 {
                let lost = n(c.lost)
                p.say(
                    "Note: the ring buffer lost \(c.lostIsLowerBound ? "at least " : "")\(lost) events (LOST EVENTS); "
                        + "counts may be short.",
                    (c.lostIsLowerBound ? "주의: 링 버퍼가 이벤트를 적어도 \(lost)개 잃었습니다" : "주의: 링 버퍼가 이벤트 \(lost)개를 잃었습니다")
                        + "(LOST EVENTS). 숫자가 실제보다 작을 수 있습니다.")
            }
        }
    }

    // MARK: One cycle

    /// One cycle told in full: who woke kswapd, its passes, what it reclaimed and how it ended.
    private static func cycle(_ c: KswapdCycle, number: Int, report r: ReclaimReport, ko: Bool) -> String {
        let head = ko ? "사이클 \(number)(node \(c.nid)):" : "Cycle \(number) (node \(c.nid)):"
        let passes = PassCounts(c, report: r)
        let s =
            wakeSentences(c, ko: ko) + passSentences(c, passes, ko: ko) + reclaimSentences(c, ko: ko)
            + endSentences(c, rounds: passes.rounds, report: r, ko: ko)
        return head + " " + s.joined(separator: " ")
    }

    /// How a cycle's passes after the first went: woken during the 100 ms nap (the node had been balanced), or
    /// straight round again because it was not. kswapd_try_to_sleep() in mm/vmscan.c counts them as
    /// kswapd_low_wmark_hit_quickly and kswapd_high_wmark_hit_quickly; the counters say it when the samples have
    /// them, else the trace does.
    private struct PassCounts {
        /// kswapd_low_wmark_hit_quickly over the cycle, when sampled.
        let napCounted: Int64?
        /// kswapd_high_wmark_hit_quickly over the cycle, when sampled.
        let roundCounted: Int64?
        /// Passes that began with a wake during the 100 ms nap.
        let napWakes: Int
        /// Passes straight after an unbalanced one; nil when neither the counters nor wakeup lines tell.
        let rounds: Int?

        init(_ c: KswapdCycle, report r: ReclaimReport) {
            let d = c.counterDeltas
            napCounted = d["kswapd_low_wmark_hit_quickly"]
            roundCounted = d["kswapd_high_wmark_hit_quickly"]
            napWakes = napCounted.map(Int.init) ?? c.napWakeups
            let wakeupsTraced = r.eventCounts[TracepointName.wakeupKswapd.rawValue] != nil
            rounds =
                roundCounted.map(Int.init)
                ?? (wakeupsTraced || c.passes <= 1 ? max(0, c.passes - 1 - napWakes) : nil)
        }
    }

    /// Who woke kswapd (mm_vmscan_wakeup_kswapd; a boost wake has gfp_flags=none, order 0) and the zones at or
    /// below low in the sample before.
    private static func wakeSentences(_ c: KswapdCycle, ko: Bool) -> [String] {
        var s: [String] = []
        if let w = c.wakers.first, c.wake.map({ w.time <= $0 }) ?? true {
            if w.isBoostWake {
                s.append(
                    ko
                        ? "\(t(ko: true, w.time))초에 \(w.comm)(pid \(w.pid))의 할당이 kswapd를 깨웠습니다. gfp_flags=none, order "
                            + "0이므로 워터마크 boost 때문에 깨운 것이지, 할당이 Low에서 실패한 것이 아닙니다."
                        : "\(w.comm) (pid \(w.pid)) woke kswapd at \(t(ko: false, w.time)) with gfp_flags=none, order "
                            + "0: a watermark-boost wake, not an allocation failing at low."
                )
            } else {
                s.append(
                    ko
                        ? "\(t(ko: true, w.time))초에 \(w.comm)(pid \(w.pid))의 할당이 kswapd를 깨웠습니다(order \(w.order), "
                            + "\(w.gfpFlags))."
                        : "\(w.comm) (pid \(w.pid)) woke kswapd at \(t(ko: false, w.time)) (order \(w.order), "
                            + "\(w.gfpFlags))."
                )
            }
        } else if c.wake != nil {
            s.append(
                ko
                    ? "kswapd를 깨운 mm_vmscan_wakeup_kswapd 줄은 없습니다."
                    : "No mm_vmscan_wakeup_kswapd line shows who woke it.")
        }
        if let ts = c.wakeSampleTime, !c.zonesBelowLowAtWake.isEmpty {
            let z = c.zonesBelowLowAtWake.map { level($0, mark: "Low", ko: ko) }.joined(separator: ", ")
            s.append(
                ko
                    ? "직전 샘플(\(t(ko: true, ts))초)에서 Low 이하였던 zone: \(z)."
                    : "In the sample before it (\(t(ko: false, ts))), at or below low: \(z).")
        }
        return s
    }

    /// The passes (balance_pgdat) and how those after the first began: from the nap or straight round.
    private static func passSentences(_ c: KswapdCycle, _ k: PassCounts, ko: Bool) -> [String] {
        var s: [String] = []
        let napWakes = k.napWakes, napCounted = k.napCounted
        let rounds = k.rounds, roundCounted = k.roundCounted
        if let wake = c.wake {
            s.append(
                ko
                    ? "kswapd는 \(t(ko: true, wake))초에 깨어나 패스(balance_pgdat)를 \(n(c.passes))번 돌았습니다."
                    : "kswapd woke at \(t(ko: false, wake)) and ran \(n(c.passes)) pass\(c.passes == 1 ? "" : "es") "
                        + "(balance_pgdat)."
            )
        } else {
            s.append(
                ko
                    ? "trace가 시작될 때 kswapd는 이미 돌고 있었습니다(이 trace에 보이는 패스 \(n(c.passes))번)."
                    : "The trace began while kswapd was already running (\(n(c.passes)) "
                        + "pass\(c.passes == 1 ? "" : "es") seen)."
            )
        }
        if napWakes > 0 {
            let counted = napCounted != nil ? " +\(n(napWakes))" : ""
            s.append(
                ko
                    ? "그중 100ms 동안 쉬는 사이에 다시 깨어난 것이 \(n(napWakes))번입니다. node는 이미 균형이 맞았지만 할당이 계속되어 여유공간이 다시 Low 아래로 "
                        + "내려갔습니다(kswapd_low_wmark_hit_quickly\(counted))."
                    : "\(napWakes == 1 ? "Once" : "\(n(napWakes)) times") it was woken during its 100 ms nap: the "
                        + "node had been balanced, then allocations took free below low again "
                        + "(kswapd_low_wmark_hit_quickly\(counted))."
            )
        }
        if let rounds, rounds > 0 {
            let counted = roundCounted != nil ? " +\(n(rounds))" : ""
            s.append(
                ko
                    ? "\(n(rounds))번은 node의 균형이 아직 맞지 않아 쉬지 않고 곧바로 다음 패스를 "
                        + "돌았습니다(kswapd_high_wmark_hit_quickly\(counted))."
                    : "\(rounds == 1 ? "Once" : "\(n(rounds)) times") it went straight into another pass without a "
                        + "nap, because the node was not balanced yet (kswapd_high_wmark_hit_quickly\(counted))."
            )
        }
        return s
    }

    /// What it reclaimed: kswapd's own share from pgsteal_kswapd and its own trace lines; direct reclaim's
    /// apart. pgsteal_file and pswpout count both, so they are never given to kswapd alone.
    private static func reclaimSentences(_ c: KswapdCycle, ko: Bool) -> [String] {
        var s: [String] = []
        let d = c.counterDeltas
        let ownLines = c.anonWritten > 0 || c.fileReclaimed > 0 || c.anonReclaimed > 0
        if let steal = d["pgsteal_kswapd"] {
            var en = "kswapd itself reclaimed \(n(steal)) pages (pgsteal_kswapd)"
            var k = "kswapd 자신이 회수한 것은 \(n(steal)) 페이지입니다(pgsteal_kswapd)"
            if ownLines {
                let seen = c.fileReclaimed.saturatingAdd(c.anonReclaimed)
                en +=
                    ": its own trace lines show \(n(c.fileReclaimed)) file and \(n(c.anonReclaimed)) anon pages "
                    + "(lru_shrink_inactive) and \(n(Int64(c.anonWritten))) anon folios written to swap (write_folio)"
                    + (seen < steal ? "; the other \(n(steal - seen)) pages have no line in this trace." : ".")
                k +=
                    (c.anonReclaimed == 0 && c.anonWritten == 0
                        ? ". kswapd의 trace 줄에는 파일 \(n(c.fileReclaimed)) 페이지(lru_shrink_inactive)가 보이고, "
                            + "익명 페이지는 swap-out하지 않았습니다"
                        : ". kswapd의 trace 줄에는 파일 \(n(c.fileReclaimed)) 페이지와 익명 \(n(c.anonReclaimed)) 페이지"
                            + "(lru_shrink_inactive), swap에 쓴 익명 folio \(n(Int64(c.anonWritten)))개(write_folio)가 "
                            + "보입니다")
                    + (seen < steal ? ". 나머지 \(n(steal - seen)) 페이지는 이 trace에 줄이 없습니다." : ".")
            } else {
                en += "; without its lru_shrink_inactive lines the trace cannot split that into file and anon."
                k += ". lru_shrink_inactive 줄이 없어 파일과 익명으로 나눌 수는 없습니다."
            }
            let direct = d["pgsteal_direct"] ?? 0
            if direct > 0 {
                en += " Direct reclaim reclaimed \(n(direct)) more in the same span (pgsteal_direct)."
                k += " 같은 구간에 direct reclaim이 \(n(direct)) 페이지를 더 회수했습니다(pgsteal_direct)."
            }
            if let out = d["pswpout"], out > 0 {
                en +=
                    direct > 0
                    ? " Both together swapped out \(n(out)) pages (\(size(out)), pswpout)."
                    : " \(n(out)) pages (\(size(out))) were swapped out (pswpout)."
                k +=
                    direct > 0
                    ? " 둘을 합쳐 \(n(out)) 페이지(\(size(out)))를 swap-out 했습니다(pswpout)."
                    : " \(n(out)) 페이지(\(size(out)))가 swap-out 됐습니다(pswpout)."
            }
            s.append(ko ? k : en)
        } else if ownLines {
            s.append(
                ko
                    ? "trace에서: " + anonWrittenKo(Int64(c.anonWritten)) + ", 파일 캐시 "
                        + "\(n(c.fileReclaimed)) 페이지를 드롭했습니다(lru_shrink_inactive)."
                    : "In the trace: \(n(Int64(c.anonWritten))) anon folios written to swap (write_folio), "
                        + "\(n(c.fileReclaimed)) file pages dropped (lru_shrink_inactive)."
            )
        }
        return s
    }

    /// Anon folios written to swap, as the first half of a Korean sentence: none is said in words, not as zero.
    private static func anonWrittenKo(_ count: Int64) -> String {
        count == 0 ? "익명 페이지는 swap-out하지 않았고" : "익명 페이지 \(n(count))개를 swap에 썼고(write_folio)"
    }

    /// How it ended: the sleep and the zone that was balanced at high (prepare_kswapd_sleep() in
    /// mm/vmscan.c), giving up after 16 passes without progress, or still open at the end.
    private static func endSentences(_ c: KswapdCycle, rounds: Int?, report r: ReclaimReport, ko: Bool) -> [String] {
        var s: [String] = []
        if let sleep = c.sleep {
            let dur = c.duration.map { ko ? "\(secs($0))초 동안 돌고 " : " after \(secs($0)) s" } ?? ""
            s.append(ko ? "\(dur)\(t(ko: true, sleep))초에 잠들었습니다." : "It slept at \(t(ko: false, sleep))\(dur).")
            if let ts = c.sleepSampleTime {
                if let b = c.balancedAtSleep.first {
                    let others = c.zonesAtSleep.filter { z in !c.balancedAtSleep.contains(where: { $0.zone == z.zone })
                    }
                    .map { level($0, mark: "High", ko: ko) }.joined(separator: ", ")
                    s.append(
                        ko
                            ? "잠들기 직전 샘플(\(t(ko: true, ts))초)에서 \(b.zone.rawValue) zone이 균형 상태였습니다: 여유 \(n(b.free)) > "
                                + "High \(n(b.mark)) + protection \(n(b.protection))."
                                + (others.isEmpty ? "" : " 나머지 zone은 아직 High 아래였습니다: \(others).")
                                + " kswapd는 전체 여유 메모리가 아니라, 대상 zone 중 하나라도 High를 넘으면 잠듭니다."
                            : "In the sample before the sleep (\(t(ko: false, ts))), \(b.zone.rawValue) was balanced: "
                                + "free \(n(b.free)) > high \(n(b.mark)) + protection \(n(b.protection))."
                                + (others.isEmpty ? "" : " The other zones were still below high: \(others).")
                                + " kswapd sleeps when one eligible zone is above high, not when total free memory is.")
                } else if c.gaveUp {
                    s.append(
                        ko
                            ? "\(n(c.passes))번의 패스 뒤에도 High를 넘은 zone이 없었습니다. kswapd는 포기하고 잠들었습니다(회수 없는 패스가 16번 이어지면 "
                                + "node가 hopeless가 됨, node_unreclaimable 1)."
                            : "After \(n(c.passes)) passes no zone was above high: kswapd gave up and slept anyway "
                                + "(16 passes without progress make the node hopeless, node_unreclaimable 1)."
                    )
                } else {
                    s.append(
                        ko
                            ? "직전 샘플(\(t(ko: true, ts))초, 최대 100ms 전)에서는 아직 High를 넘은 zone이 없었습니다. 그 사이에 한 zone이 High를 "
                                + "넘었을 것입니다."
                            : "In the sample before it (\(t(ko: false, ts)), up to 100 ms earlier) no zone was above "
                                + "high yet; one must have passed high just before the sleep."
                    )
                }
            } else if let rounds, rounds >= 16 {
                s.append(
                    ko
                        ? "균형이 맞지 않아 곧바로 다시 돈 패스가 \(n(rounds))번이라는 것은 High에 오래 닿지 못했다는 뜻입니다. 결국 High를 넘었는지, 회수 없는 패스 "
                            + "16번 뒤에 포기했는지는 zone 샘플이 없어 이 trace로는 알 수 없습니다."
                        : "\(n(rounds)) passes straight after an unbalanced one mean high could not be reached for a "
                            + "long while; whether it finally got there or gave up (16 passes without progress) "
                            + "cannot be told without zone samples."
                )
            }
            if let rounds, rounds >= 16, !c.balancedAtSleep.isEmpty {
                s.append(
                    ko
                        ? "균형이 맞지 않아 곧바로 다시 돈 패스가 \(n(rounds))번이었습니다. High에 닿기 어려웠습니다."
                        : "\(n(rounds)) passes went straight round unbalanced: high was hard to reach.")
            }
        } else {
            s.append(openEnd(now: r.kswapdNow.first { $0.node == c.nid }, ko: ko))
            if let rounds, rounds >= 16 {
                s.append(
                    ko
                        ? "균형이 맞지 않아 쉬지 않고 곧바로 다시 돈 패스가 \(n(rounds))번이라는 것은 High + protection에 닿은 zone이 없었다는 뜻입니다."
                        : "\(n(rounds)) passes went straight round without a nap: no eligible zone could be brought "
                            + "above high + protection."
                )
            }
        }
        return s
    }

    /// How an open cycle stands at the end: from the engine's kswapd state when the report has it (the state
    /// `status` prints), else only that it had not slept.
    private static func openEnd(now: KswapdStatus?, ko: Bool) -> String {
        // A hopeless node (kswapd_failures >= MAX_RECLAIM_RETRIES) passes prepare_kswapd_sleep() balanced or not.
        let gaveUp = now?.nodeUnreclaimable == true
        let hopeless =
            gaveUp
            ? (ko
                ? " node_unreclaimable 1: 회수 없는 패스가 16번 이어져 kswapd가 이 node를 포기했습니다."
                : " node_unreclaimable 1: after 16 passes without progress kswapd gave up on the node.") : ""
        switch now?.state {
        case .napping?:
            if gaveUp {
                return ko
                    ? "끝날 때 kswapd는 아직 잠들지 않고 100ms 동안 쉬고 있었습니다(status: napping)." + hopeless
                        + " 그래서 쉬는 시간이 끝나면 균형과 상관없이 잠듭니다."
                    : "At the end kswapd had not slept yet: it was in its 100 ms nap (status: napping)." + hopeless
                        + " So it sleeps when the nap ends, balanced or not."
            }
            return ko
                ? "끝날 때 kswapd는 아직 잠들지 않고 100ms 동안 쉬고 있었습니다(status: napping). 쉬는 시간이 끝날 때 node가 "
                    + "여전히 균형 상태면 잠듭니다."
                : "At the end kswapd had not slept yet: it was in its 100 ms nap (status: napping), and sleeps if the "
                    + "node is still balanced when the nap ends."
        case .running?:
            return
                (ko
                ? "끝날 때 kswapd는 아직 패스를 돌며 회수하고 있었습니다(status: running)."
                : "At the end kswapd was still reclaiming in a pass (status: running).") + hopeless
        case .sleeping?:
            return ko
                ? "그 뒤 kswapd는 잠들었지만(status: sleeping) trace에 kswapd_sleep 줄이 없습니다."
                : "kswapd has slept since (status: sleeping), but the trace holds no kswapd_sleep line for it."
        case nil:
            return (ko ? "끝날 때까지 잠들지 않았습니다." : "It had not slept by the end.") + hopeless
        }
    }

    /// Why kswapd never woke, with the numbers: the lowest free memory of the eligible zones against the wake point.
    private static func neverWoke(_ w: ReclaimMargin, ko: Bool) -> String {
        let low = size(w.free.count), point = size(w.threshold.count), gap = size(w.distance.count)
        if w.distance == .zero {
            return ko
                ? "여유 메모리는 \(t(ko: true, w.time))초에 깨우는 지점 \(point)에 닿았지만, trace에는 kswapd_wake 줄이 없습니다."
                : "Free memory reached the \(point) wake point at \(t(ko: false, w.time)) s, yet the trace holds no "
                    + "kswapd_wake line."
        }
        return ko
            ? "가장 낮았을 때(\(t(ko: true, w.time))초) 할당 가능한 zone의 여유 메모리는 \(low)로, kswapd를 깨우는 지점 "
                + "\(point)(Σ min(free, Low + protection))보다 \(gap) 위였습니다. \(gap)보다 많이 할당해야 kswapd가 "
                + "깨어납니다. 지금 깨우는 지점은 `watermarks`가 보여 주고, 실제 머신에서는 `lab run`이 그 지점을 넘도록 "
                + "할당량을 정합니다."
            : "At its lowest (\(t(ko: false, w.time)) s) the eligible zones had \(low) free, \(gap) above the \(point) "
                + "wake point (Σ min(free, low + protection)): an allocation must take more than \(gap) to wake "
                + "kswapd. "
                + "`watermarks` shows the wake point now; on a real machine `lab run` sizes an allocation that "
                + "crosses it."
    }

    // MARK: Cycles added up

    /// One paragraph for the cycles after those told in full: how many, when, and their totals.
    private static func summary(_ m: CycleTotals, first: Int, ko: Bool) -> String {
        let last = first + m.count - 1
        let when = m.earliest.flatMap { e in m.latest.map { (t(ko: ko, e), t(ko: ko, $0)) } }
        var s: [String] = []
        if ko {
            s.append(
                "… 이런 사이클이 \(n(m.count))번 더 있었습니다(사이클 \(n(first))–\(n(last))"
                    + (when.map { ", \($0.0) – \($0.1)초" } ?? "") + ").")
            s.append(
                "패스(balance_pgdat)는 모두 \(n(m.passes))번 돌았습니다"
                    + (m.manyPasses > 0 ? "(패스가 16번 이상인 사이클 \(n(m.manyPasses))번)." : "."))
            s.append(
                m.stillRunning == 0
                    ? "모두 잠들었습니다."
                    : "\(n(m.slept))번은 잠들었고 \(n(m.stillRunning))번은 끝날 때까지 잠들지 않았습니다.")
            if m.wokenByAllocation > 0 {
                s.append(
                    "할당이 kswapd를 깨운 사이클은 \(n(m.wokenByAllocation))번입니다"
                        + (m.boostWakes > 0 ? "(그중 \(n(m.boostWakes))번은 워터마크 boost 때문에 깨운 것)." : "."))
            }
            if let longest = m.longest {
                s.append("kswapd가 돈 시간은 모두 \(secs(m.seconds))초, 가장 긴 사이클은 \(secs(longest))초였습니다.")
            }
            if m.anonWritten > 0 || m.fileReclaimed > 0 || m.anonReclaimed > 0 {
                s.append(
                    "trace에서: " + anonWrittenKo(Int64(m.anonWritten)) + ", 파일 캐시 "
                        + "\(n(m.fileReclaimed)) 페이지를 드롭했습니다(lru_shrink_inactive).")
            }
        } else {
            s.append(
                "… and \(n(m.count)) more cycle\(m.count == 1 ? "" : "s") like these (cycles \(n(first))–\(n(last))"
                    + (when.map { ", \($0.0) – \($0.1) s" } ?? "") + ").")
            s.append(
                "\(n(m.passes)) pass\(m.passes == 1 ? "" : "es") (balance_pgdat) in all"
                    + (m.manyPasses > 0 ? ", 16 or more in \(n(m.manyPasses)) of the cycles." : "."))
            s.append(
                m.stillRunning == 0
                    ? (m.count == 1 ? "It slept." : "All slept.")
                    : "\(n(m.slept)) slept and \(n(m.stillRunning)) had not slept by the end.")
            if m.wokenByAllocation > 0 {
                s.append(
                    "\(n(m.wokenByAllocation)) \(m.wokenByAllocation == 1 ? "was" : "were") woken by an allocation"
                        + (m.boostWakes > 0 ? " (\(n(m.boostWakes)) by a watermark boost)." : "."))
            }
            if let longest = m.longest {
                s.append("kswapd ran \(secs(m.seconds)) s in all, \(secs(longest)) s at the longest.")
            }
            if m.anonWritten > 0 || m.fileReclaimed > 0 || m.anonReclaimed > 0 {
                s.append(
                    "In the trace: \(n(m.anonWritten)) anon folios written to swap (write_folio), "
                        + "\(n(m.fileReclaimed)) file pages dropped (lru_shrink_inactive).")
            }
        }
        return s.joined(separator: " ")
    }

    // MARK: Formatting

    private static func allocstalls(_ d: [String: Int64]) -> Int64 {
        d.filter { $0.key.hasPrefix("allocstall_") }.values.reduce(0, +)
    }

    private static func level(_ z: ZoneLevel, mark: String, ko: Bool) -> String {
        let m = z.protection > 0 ? "\(n(z.mark)) + \(n(z.protection))" : n(z.mark)
        return "\(z.zone.rawValue) \(n(z.free)) \(z.free <= z.mark + z.protection ? "≤" : ">") \(mark) \(m)"
    }

    /// A time in seconds with 3 decimals.
    static func t(ko: Bool, _ v: Double) -> String { String(format: "%.3f", v) }
    static func secs(_ v: Double) -> String { String(format: "%.2f", v) }
    static func ms(_ v: Double) -> String { String(format: "%.1f ms", v) }
    static func n(_ v: Int) -> String { n(Int64(v)) }

    /// An integer with thousands separators (`297,489`).
    static func n(_ v: Int64) -> String {
        let digits = String(v.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (v < 0 ? "-" : "") + out
    }

    /// Pages as a size (`351 MiB`, `1.09 GiB`).
    static func size(_ pages: Int64) -> String {
        let mib = Double(pages) * 4096 / 1_048_576
        if mib >= 1024 { return String(format: "%.2f GiB", mib / 1024) }
        if mib < 1 { return "\(pages * 4) KiB" }
        return String(format: "%.0f MiB", mib)
    }
}
