import Foundation
import SwapLabModel

/// The words for what engines return: one renderer per value, the same for the simulator and this machine. Where
/// the engines differ, the value says so (its clock, a field it leaves nil), and the text follows the value.
enum EngineText {
    /// A size in pages as `123 MiB`.
    static func size(_ p: Pages) -> String { Quantity.format(bytes: p.bytes) }

    /// Seconds on `clock`, as `1.23 s of simulated time` or `1.23 s` (`시뮬레이션 시간 1.23초`, `1.23초`).
    static func seconds(_ s: Double, _ clock: EngineClock, _ w: Words = .en) -> String {
        clock == .simulated ? w("\(w.seconds(s)) of simulated time", "시뮬레이션 시간 \(w.seconds(s))") : w.seconds(s)
    }

    /// ` (CLOCK_MONOTONIC)` after a time on a clock that needs naming, else nothing.
    static func clockName(_ clock: EngineClock) -> String { clock.name.map { " (\($0))" } ?? "" }

    /// A notice as one line.
    static func notice(_ notice: EngineNotice, output: Output, _ w: Words = .en) -> String {
        switch notice {
        case .madeCourseMachine(let summary):
            return w(
                "no machine yet: created the course machine (\(summary)); change it with `machine`",
                "머신이 아직 없어 강의용 머신(\(summary))을 만들었습니다. `machine`으로 바꿀 수 있습니다")
        case .warning(let text): return output.styled("warning:", .yellow) + " " + text
        case .note(let text): return output.styled("note:", .yellow) + " " + text
        case .progress(let task, let done, let total): return "  \(task): \(size(done)) of \(size(total))"
        }
    }

    // MARK: Tasks

    static func allocation(_ o: AllocationOutcome, _ w: Words = .en) -> String {
        let head = "\(o.name) (pid \(o.pid))"
        let time = seconds(o.seconds, o.clock, w)
        switch o.ending {
        case .killed:
            return head + w(": killed by the OOM killer in \(time)", ": \(time) 만에 OOM killer가 종료했습니다")
        case .stopped:
            // Stopped by Ctrl-C or the hour's limit: say what was written, not what was asked for.
            return head
                + w(
                    ": stopped after \(time) having written \(size(o.written)) of \(size(o.requested)); still running "
                        + "(`run 10s` lets it go on, `release \(o.name)` ends it)",
                    ": \(time) 뒤 멈췄습니다. \(size(o.requested)) 중 \(size(o.written))를 썼고 아직 실행 중입니다 "
                        + "(`run 10s`로 계속하고, `release \(o.name)`로 끝냅니다)")
        case .finished:
            var text = head + w(": wrote \(size(o.requested)) in \(time)", ": \(time) 동안 \(size(o.requested))를 썼습니다")
            // A rate over less than 250 ms says little (issue 11): the average is shown only over longer writes.
            if o.clock == .monotonic, o.seconds >= 0.25 {
                let rate = Quantity.format(bytes: Int64(Double(o.requested.bytes) / o.seconds))
                text += w(" (\(rate)/s)", " (초당 \(rate))")
            }
            if let fill = o.fill {
                text += w("; \(fill.rawValue) bytes in 4 KiB pages", "; 4 KiB 페이지마다 \(fill.rawValue) 바이트")
            }
            if let adj = o.oomScoreAdj { text += w(", oom_score_adj \(adj) verified", ", oom_score_adj \(adj) 확인함") }
            return text
        }
    }

    static func touch(_ o: TouchOutcome, output: Output, _ w: Words = .en) -> String {
        let time = seconds(o.seconds, o.clock, w)
        if let left = o.left {
            return o.name
                + w(
                    ": stopped after \(time) with \(size(o.fromSwap - left)) of \(size(o.fromSwap)) back from swap; "
                        + "still reading (`run 10s` lets it go on)",
                    ": \(time) 뒤 멈췄습니다. swap에서 읽어 올 \(size(o.fromSwap)) 중 \(size(o.fromSwap - left))를 "
                        + "읽었고 아직 읽는 중입니다 (`run 10s`로 계속합니다)")
        }
        var text = w(
            "\(o.name) read every page; \(size(o.fromSwap)) had to come back from swap; \(time)",
            "\(o.name): 모든 페이지를 다시 읽었습니다. 그중 \(size(o.fromSwap))는 swap에서 읽어 와야 했습니다(\(time))")
        if let bad = o.badPages {
            text +=
                bad == 0
                ? w("; all \(o.pages.count) pages verified", "; \(o.pages.count) 페이지 모두 확인함")
                : "; "
                    + output.styled(
                        w("\(bad) of \(o.pages.count) pages differ!", "\(o.pages.count) 페이지 중 \(bad) 페이지가 다릅니다!"), .red)
        }
        return text
    }

    static func release(_ o: ReleaseOutcome, _ w: Words = .en) -> [String] {
        let resident = o.tasks.reduce(Pages.zero) { $0 + $1.resident }
        let swapped = o.tasks.reduce(Pages.zero) { $0 + $1.swapped }
        let n = Int64(o.tasks.count)
        let what = o.asked == "all" ? w.count(n, "task", "tasks", ko: "task", unit: "개") : o.asked
        return [
            w(
                "released \(what): \(size(resident)) of memory and \(size(swapped)) of swap freed",
                "\(what) 종료: 메모리 \(size(resident))와 swap \(size(swapped))가 해제되었습니다")
        ] + o.tasks.compactMap { t in t.unusualExit.map { "  \(t.name) (pid \(t.pid)): \($0)" } }
    }

    static func mark(_ o: MarkOutcome) -> String {
        String(format: "mark '%@' at t = %.3f s", o.label, o.time) + clockName(o.clock)
    }

    // MARK: What a command caused

    /// Counters and the number of events at one moment, to report what a command caused.
    struct Before {
        var counters: [String: Int64]
        var eventCount: Int

        init(_ engine: any Engine) throws {
            counters = try engine.counters().values
            eventCount = try engine.timeline().events.count
        }
    }

    /// `n` and the noun, singular for 1 (`1 pass`, `3 passes`).
    static func count(_ n: Int64, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }

    /// One paragraph on what happened since `before`: kswapd's wake-ups (`wakeup_kswapd`), passes (`balance_pgdat`,
    /// counted by `pageoutrun`) and sleeps (`kswapd_sleep`), each under its own word; reclaim, swap, direct reclaim,
    /// OOM kills.
    static func whatHappened(since before: Before, engine: any Engine, _ w: Words = .en) throws -> String {
        let now = try engine.counters().values
        func d(_ k: String) -> Int64 { (now[k] ?? 0) - (before.counters[k] ?? 0) }
        let timeline = try engine.timeline()
        let newEvents = timeline.events.dropFirst(before.eventCount)
        let wakeups = Int64(newEvents.filter { $0.name == TracepointName.wakeupKswapd.rawValue }.count)
        let sleeps = Int64(newEvents.filter { $0.name == TracepointName.kswapdSleep.rawValue }.count)
        let passes = d("pageoutrun")
        var parts: [String] = []
        var kswapd: [String] = []
        if wakeups > 0 { kswapd.append(w.count(wakeups, "wake-up", "wake-ups", ko: "깨어남")) }
        if passes > 0 { kswapd.append(w.count(passes, "pass", "passes", ko: "패스")) }
        if sleeps > 0 { kswapd.append(w.count(sleeps, "sleep", "sleeps", ko: "잠듦")) }
        if !kswapd.isEmpty {
            // Without trace events wake-ups and sleeps cannot be seen, only the passes pageoutrun counts.
            let untraced =
                timeline.events.isEmpty
                ? w(" (tracing off: wake-ups and sleeps not seen)", " (추적이 꺼져 있어 깨어남과 잠듦은 보이지 않습니다)") : ""
            parts.append("kswapd: " + kswapd.joined(separator: ", ") + untraced)
        }
        let dropped = d("pgsteal_file")
        if dropped > 0 { parts.append(w("page cache dropped ", "드롭한 페이지 캐시 ") + size(Pages(dropped))) }
        if d("pswpout") > 0 { parts.append(w("swapped out ", "swap-out ") + size(Pages(d("pswpout")))) }
        if d("pswpin") > 0 { parts.append(w("swapped in ", "swap-in ") + size(Pages(d("pswpin")))) }
        let stalls = d("allocstall_movable") + d("allocstall_normal") + d("allocstall_dma32") + d("allocstall_dma")
        if stalls > 0 {
            parts.append(w.count(stalls, "direct-reclaim stall", "direct-reclaim stalls", ko: "direct reclaim 멈춤"))
        }
        if d("oom_kill") > 0 { parts.append(w.count(d("oom_kill"), "OOM kill", "OOM kills", ko: "OOM kill")) }
        return parts.isEmpty
            ? w(
                "no reclaim: free memory stayed above the low watermarks",
                "회수 없음: 여유 메모리가 Low 워터마크 위에 머물렀습니다") : parts.joined(separator: "; ")
    }

    // MARK: Reports

    /// The zones as a table: free, min, low, high, managed in pages, free also in MiB.
    static func zoneTable(_ zones: [ZoneSnapshot], to out: Output, _ w: Words = .en) {
        // 11 columns a number, wider when a number needs it, so columns never run together.
        let widest = zones.flatMap { [$0.free, $0.min, $0.low, $0.high, $0.managed] }
            .map { String($0.count).count }.max()
        let column = Swift.max(11, (widest ?? 0) + 2)
        out.line(
            DisplayWidth.pad("zone", to: 10)
                + ["free", "min", "low", "high", "managed"].map {
                    DisplayWidth.pad($0, to: column, right: true)
                }.joined() + "   free")
        for z in zones {
            let cells = [z.free, z.min, z.low, z.high, z.managed].map {
                DisplayWidth.pad(String($0.count), to: column, right: true)
            }
            out.line(
                DisplayWidth.pad("\(z.node) \(z.zone.rawValue)", to: 10) + cells.joined() + "   " + size(z.free))
        }
        out.line(
            w(
                "(pages of 4 KiB; min/low/high as /proc/zoneinfo prints them)",
                "(4 KiB 페이지 단위; min/low/high는 /proc/zoneinfo에 찍히는 그대로)"))
    }

    /// `status`: the machine, its settings, the populated zones, kswapd, swap and memory, and the tasks.
    static func status(_ s: EngineStatus, to out: Output, _ w: Words = .en) {
        out.line(String(format: "%@ t = %.3f s", s.engine.rawValue, s.time) + clockName(s.clock) + " · \(s.machine)")
        func value(_ v: Int64?) -> String { v.map(String.init) ?? "?" }
        out.items([
            "min_free_kbytes \(value(s.settings.minFreeKbytes))",
            "watermark_scale_factor \(value(s.settings.watermarkScaleFactor))",
            "watermark_boost_factor \(value(s.settings.watermarkBoostFactor))",
            "swappiness \(value(s.settings.swappiness))",
        ])
        zoneTable(s.zones.filter { $0.managed.count > 0 }, to: out, w)
        for k in s.kswapd { if let line = kswapdLine(k, w) { out.line(line) } }
        var swap = [
            w(
                "swap: \(size(s.swapUsed)) used of \(size(s.swapTotal))",
                "swap: \(size(s.swapTotal)) 중 \(size(s.swapUsed)) 사용")
        ]
        if let m = s.memory {
            swap += [
                w(
                    "page cache \(size(m.file)) (dirty \(size(m.dirty)))",
                    "페이지 캐시 \(size(m.file)) (dirty \(size(m.dirty)))"),
                w("anon \(size(m.anon))", "익명 메모리 \(size(m.anon))"),
            ]
        }
        if let tracing = s.tracing { swap.append(tracing ? w("tracing on", "추적 켜짐") : w("tracing off", "추적 꺼짐")) }
        out.items(swap)
        // Memory reclaim never takes: mlocked pages and the hugetlb pool, on a line of their own when there is any.
        let offLRU = [
            (w("unevictable (mlocked)", "unevictable(mlock)"), s.memory?.unevictable),
            (w("hugetlb pool", "hugetlb 풀"), s.memory?.hugetlb),
        ]
        .compactMap { name, pages in pages.flatMap { $0.count > 0 ? "\(name) \(size($0))" : nil } }
        if let first = offLRU.first { out.items([w("not reclaimable: ", "회수할 수 없음: ") + first] + offLRU.dropFirst()) }
        taskTable(s.tasks.filter { $0.state != .released }, to: out, w)
    }

    /// kswapd's line in `status`: its state and passes without progress, or that it gave up; nil when there is
    /// nothing to say.
    static func kswapdLine(_ k: KswapdStatus, _ w: Words) -> String? {
        let gaveUp = w(
            "node_unreclaimable 1 — kswapd gave up; it wakes again only after reclaim makes progress",
            "node_unreclaimable 1 — kswapd가 포기했습니다. 회수가 진척을 보여야 다시 깨어납니다")
        guard let state = k.state else { return k.nodeUnreclaimable ? "kswapd\(k.node): " + gaveUp : nil }
        let failures = Int64(k.failures ?? 0)
        let said: String
        switch state {
        case .sleeping: said = w("sleeping", "잠듦")
        case .running: said = w("running", "회수 중")
        case .napping: said = w("napping", "잠들기 전 100 ms 쉬는 중")
        }
        return "kswapd\(k.node): " + said
            + (failures > 0
                ? w(", \(count(failures, "pass", "passes")) without progress", ", 진척 없는 패스 \(failures)번") : "")
            + (k.nodeUnreclaimable
                ? w(" — node_unreclaimable 1 (kswapd gave up)", " — node_unreclaimable 1 (kswapd가 포기함)") : "")
    }

    /// A task's state as `status` and `allocs` say it.
    static func stateWord(_ state: TaskState, _ w: Words) -> String {
        switch state {
        case .running: return w("running", "실행 중")
        case .idle: return w("idle", "대기 중")
        case .released: return w("released", "종료됨")
        case .killed: return w("killed", "OOM killer가 종료함")
        }
    }

    /// The tasks holding memory: name, pid, resident, swapped, state.
    static func taskTable(_ tasks: [TaskStatus], to out: Output, _ w: Words = .en) {
        guard !tasks.isEmpty else { return }
        out.line(
            DisplayWidth.pad("task", to: 16) + DisplayWidth.pad("pid", to: 7, right: true)
                + DisplayWidth.pad("resident", to: 12, right: true) + DisplayWidth.pad("swapped", to: 12, right: true)
                + "  state")
        for t in tasks {
            let state = stateWord(t.state, w)
            out.line(
                DisplayWidth.pad(t.name, to: 16) + DisplayWidth.pad(String(t.pid), to: 7, right: true)
                    + DisplayWidth.pad(size(t.resident), to: 12, right: true)
                    + DisplayWidth.pad(size(t.swapped), to: 12, right: true) + "  \(state)"
                    + ((t.locked?.count ?? 0) > 0
                        ? w(", \(size(t.locked ?? .zero)) mlocked", ", mlock \(size(t.locked ?? .zero))") : ""))
        }
    }

    /// `vmstat`: each counter now and its change since the mark, in columns that fit 80 cells (the longest counter
    /// name is 29 characters, an Int64 20 digits with its sign); the mark is named on its own line above.
    static func counters(_ r: CounterReport, to out: Output, _ w: Words = .en) {
        let since =
            r.clock == .simulated
            ? w(
                String(format: "Δ since mark '%@' (t=%.3f s)", r.markLabel, r.markTime),
                String(format: "Δ: 마크 '%@'(t=%.3f초) 이후의 변화", r.markLabel, r.markTime))
            : w(
                String(format: "Δ since mark '%@' (%.1f s ago)", r.markLabel, r.time - r.markTime),
                String(format: "Δ: 마크 '%@'(%.1f초 전) 이후의 변화", r.markLabel, r.time - r.markTime))
        out.paragraph(since)
        out.line(
            DisplayWidth.pad("counter", to: 30) + DisplayWidth.pad("now", to: 21, right: true)
                + DisplayWidth.pad("Δ", to: 22, right: true))
        for row in r.rows {
            let delta = row.delta.map { d in
                DisplayWidth.pad(d == 0 ? "·" : (d > 0 ? "+\(d)" : "\(d)"), to: 22, right: true)
            }
            out.line(
                DisplayWidth.pad(row.name, to: 30) + DisplayWidth.pad(String(row.value), to: 21, right: true)
                    + (delta ?? ""))
        }
    }

    /// `events`: the trace as trace_pipe prints it, with what was left out said in `#` lines.
    static func events(_ log: EventLog, last: Int, all: Bool, milestonesOnly: Bool, to out: Output, _ w: Words = .en) {
        var events = log.events
        if milestonesOnly {
            events = events.filter {
                $0.name != TracepointName.writeFolio.rawValue && $0.name != TracepointName.lruShrinkInactive.rawValue
            }
        }
        if log.recording == .never && events.isEmpty {
            out.line(
                w(
                    "# no trace events: tracing is off (as root: trace on)",
                    "# trace 이벤트 없음: 추적이 꺼져 있습니다 (root로: trace on)"))
            return
        }
        let shown = all ? events[...] : events.suffix(last)
        if shown.count < events.count {
            out.line(
                w(
                    "# last \(shown.count) of \(events.count) events (--all for every one)",
                    "# 이벤트 \(events.count)개 중 마지막 \(shown.count)개 (--all이면 모두)"))
        }
        for e in shown { out.line(e.traceLine) }
        if events.isEmpty {
            out.line(
                log.recording == .always
                    ? w("# no events yet (kswapd has not been woken)", "# 아직 이벤트 없음 (kswapd가 깨어난 적이 없습니다)")
                    : w(
                        "# no events yet (kswapd has not been woken since tracing started)",
                        "# 아직 이벤트 없음 (추적을 시작한 뒤 kswapd가 깨어난 적이 없습니다)"))
        }
        for (name, count) in log.suppressed.sorted(by: { $0.key < $1.key }) {
            out.line(
                w(
                    "# \(count) more \(name) events were counted but not recorded (trace limit)",
                    "# \(name) 이벤트 \(count)개는 세기만 하고 기록하지 않았습니다 (trace 한도)"))
        }
        if log.dropped > 0 {
            out.line(
                w(
                    "# \(log.dropped) older events were dropped to bound memory",
                    "# 메모리를 아끼려고 오래된 이벤트 \(log.dropped)개를 버렸습니다"))
        }
    }
}
