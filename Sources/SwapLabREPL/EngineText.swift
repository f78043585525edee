import Foundation
import SwapLabModel

/// The words for what engines return: one renderer per value, the same for the simulator and this machine. Where
/// the engines differ, the value says so (its clock, a field it leaves nil), and the text follows the value.
enum EngineText {
    /// A size in pages as `123 MiB`.
    static func size(_ p: Pages) -> String { Quantity.format(bytes: p.bytes) }

    /// Seconds on `clock`, as `1.23 s of simulated time` or `1.23 s`.
    static func seconds(_ s: Double, _ clock: EngineClock) -> String {
        String(format: "%.2f s", s) + (clock == .simulated ? " of simulated time" : "")
    }

    /// ` (CLOCK_MONOTONIC)` after a time on a clock that needs naming, else nothing.
    static func clockName(_ clock: EngineClock) -> String { clock.name.map { " (\($0))" } ?? "" }

    /// A notice as one line.
    static func notice(_ notice: EngineNotice, output: Output) -> String {
        switch notice {
        case .info(let text): return text
        case .warning(let text): return output.styled("warning:", .yellow) + " " + text
        case .note(let text): return output.styled("note:", .yellow) + " " + text
        case .progress(let task, let done, let total): return "  \(task): \(size(done)) of \(size(total))"
        }
    }

    // MARK: Tasks

    static func allocation(_ o: AllocationOutcome) -> String {
        let head = "\(o.name) (pid \(o.pid))"
        switch o.ending {
        case .killed:
            return "\(head): killed by the OOM killer in \(seconds(o.seconds, o.clock))"
        case .stopped:
            // Stopped by Ctrl-C or the hour's limit: say what was written, not what was asked for.
            return "\(head): stopped after \(seconds(o.seconds, o.clock)) having written \(size(o.written)) of "
                + "\(size(o.requested)); still running (`run 10s` lets it go on, `release \(o.name)` ends it)"
        case .finished:
            var text = "\(head): wrote \(size(o.requested)) in \(seconds(o.seconds, o.clock))"
            // A rate over less than 250 ms says little (issue 11): the average is shown only over longer writes.
            if o.clock == .monotonic, o.seconds >= 0.25 {
                text += " (\(Quantity.format(bytes: Int64(Double(o.requested.bytes) / o.seconds)))/s)"
            }
            if let fill = o.fill { text += "; \(fill.rawValue) bytes in 4 KiB pages" }
            if let adj = o.oomScoreAdj { text += ", oom_score_adj \(adj) verified" }
            return text
        }
    }

    static func touch(_ o: TouchOutcome, output: Output) -> String {
        if let left = o.left {
            return "\(o.name): stopped after \(seconds(o.seconds, o.clock)) with \(size(o.fromSwap - left)) of "
                + "\(size(o.fromSwap)) back from swap; still reading (`run 10s` lets it go on)"
        }
        var text =
            "\(o.name) read every page; \(size(o.fromSwap)) had to come back from swap; \(seconds(o.seconds, o.clock))"
        if let bad = o.badPages {
            text +=
                bad == 0
                ? "; all \(o.pages.count) pages verified"
                : "; " + output.styled("\(bad) of \(o.pages.count) pages differ!", .red)
        }
        return text
    }

    static func release(_ o: ReleaseOutcome) -> [String] {
        let resident = o.tasks.reduce(Pages.zero) { $0 + $1.resident }
        let swapped = o.tasks.reduce(Pages.zero) { $0 + $1.swapped }
        let what = o.asked == "all" ? count(Int64(o.tasks.count), "task", "tasks") : o.asked
        return ["released \(what): \(size(resident)) of memory and \(size(swapped)) of swap freed"]
            + o.tasks.compactMap { t in t.unusualExit.map { "  \(t.name) (pid \(t.pid)): \($0)" } }
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
    static func whatHappened(since before: Before, engine: any Engine) throws -> String {
        let now = try engine.counters().values
        func d(_ k: String) -> Int64 { (now[k] ?? 0) - (before.counters[k] ?? 0) }
        let timeline = try engine.timeline()
        let newEvents = timeline.events.dropFirst(before.eventCount)
        let wakeups = Int64(newEvents.filter { $0.name == TracepointName.wakeupKswapd.rawValue }.count)
        let sleeps = Int64(newEvents.filter { $0.name == TracepointName.kswapdSleep.rawValue }.count)
        let passes = d("pageoutrun")
        var parts: [String] = []
        var kswapd: [String] = []
        if wakeups > 0 { kswapd.append(count(wakeups, "wake-up", "wake-ups")) }
        if passes > 0 { kswapd.append(count(passes, "pass", "passes")) }
        if sleeps > 0 { kswapd.append(count(sleeps, "sleep", "sleeps")) }
        if !kswapd.isEmpty {
            // Without trace events wake-ups and sleeps cannot be seen, only the passes pageoutrun counts.
            let untraced = timeline.events.isEmpty ? " (tracing off: wake-ups and sleeps not seen)" : ""
            parts.append("kswapd: " + kswapd.joined(separator: ", ") + untraced)
        }
        let dropped = d("pgsteal_file")
        if dropped > 0 { parts.append("page cache dropped \(size(Pages(dropped)))") }
        if d("pswpout") > 0 { parts.append("swapped out \(size(Pages(d("pswpout"))))") }
        if d("pswpin") > 0 { parts.append("swapped in \(size(Pages(d("pswpin"))))") }
        let stalls = d("allocstall_movable") + d("allocstall_normal") + d("allocstall_dma32") + d("allocstall_dma")
        if stalls > 0 { parts.append(count(stalls, "direct-reclaim stall", "direct-reclaim stalls")) }
        if d("oom_kill") > 0 { parts.append(count(d("oom_kill"), "OOM kill", "OOM kills")) }
        return parts.isEmpty ? "no reclaim: free memory stayed above the low watermarks" : parts.joined(separator: "; ")
    }

    // MARK: Reports

    /// The zones as a table: free, min, low, high, managed in pages, free also in MiB.
    static func zoneTable(_ zones: [ZoneSnapshot], to out: Output) {
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
        out.line("(pages of 4 KiB; min/low/high as /proc/zoneinfo prints them)")
    }

    /// `status`: the machine, its settings, the populated zones, kswapd, swap and memory, and the tasks.
    static func status(_ s: EngineStatus, to out: Output) {
        out.line(String(format: "%@ t = %.3f s", s.engine.rawValue, s.time) + clockName(s.clock) + " · \(s.machine)")
        func value(_ v: Int64?) -> String { v.map(String.init) ?? "?" }
        out.items([
            "min_free_kbytes \(value(s.settings.minFreeKbytes))",
            "watermark_scale_factor \(value(s.settings.watermarkScaleFactor))",
            "watermark_boost_factor \(value(s.settings.watermarkBoostFactor))",
            "swappiness \(value(s.settings.swappiness))",
        ])
        zoneTable(s.zones.filter { $0.managed.count > 0 }, to: out)
        for k in s.kswapd {
            if let state = k.state {
                let failures = k.failures ?? 0
                out.line(
                    "kswapd\(k.node): \(state.rawValue)"
                        + (failures > 0 ? ", " + count(Int64(failures), "pass", "passes") + " without progress" : "")
                        + (k.nodeUnreclaimable ? " — node_unreclaimable 1 (kswapd gave up)" : ""))
            } else if k.nodeUnreclaimable {
                out.line(
                    "kswapd\(k.node): node_unreclaimable 1 — kswapd gave up; it wakes again only after reclaim makes "
                        + "progress")
            }
        }
        var swap = ["swap: \(size(s.swapUsed)) used of \(size(s.swapTotal))"]
        if let m = s.memory {
            swap += ["page cache \(size(m.file)) (dirty \(size(m.dirty)))", "anon \(size(m.anon))"]
        }
        if let tracing = s.tracing { swap.append("tracing \(tracing ? "on" : "off")") }
        out.items(swap)
        taskTable(s.tasks.filter { $0.state != .released }, to: out)
    }

    /// The tasks holding memory: name, pid, resident, swapped, state.
    static func taskTable(_ tasks: [TaskStatus], to out: Output) {
        guard !tasks.isEmpty else { return }
        out.line(
            DisplayWidth.pad("task", to: 16) + DisplayWidth.pad("pid", to: 7, right: true)
                + DisplayWidth.pad("resident", to: 12, right: true) + DisplayWidth.pad("swapped", to: 12, right: true)
                + "  state")
        for t in tasks {
            out.line(
                DisplayWidth.pad(t.name, to: 16) + DisplayWidth.pad(String(t.pid), to: 7, right: true)
                    + DisplayWidth.pad(size(t.resident), to: 12, right: true)
                    + DisplayWidth.pad(size(t.swapped), to: 12, right: true) + "  \(t.state.rawValue)")
        }
    }

    /// `vmstat`: each counter now and its change since the mark, in columns that fit 80 cells (the longest counter
    /// name is 29 characters, an Int64 20 digits with its sign); the mark is named on its own line above.
    static func counters(_ r: CounterReport, to out: Output) {
        let since =
            r.clock == .simulated
            ? String(format: "Δ since mark '%@' (t=%.3f s)", r.markLabel, r.markTime)
            : String(format: "Δ since mark '%@' (%.1f s ago)", r.markLabel, r.time - r.markTime)
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
    static func events(_ log: EventLog, last: Int, all: Bool, milestonesOnly: Bool, to out: Output) {
        var events = log.events
        if milestonesOnly {
            events = events.filter {
                $0.name != TracepointName.writeFolio.rawValue && $0.name != TracepointName.lruShrinkInactive.rawValue
            }
        }
        if log.recording == .never && events.isEmpty {
            out.line("# no trace events: tracing is off (as root: trace on)")
            return
        }
        let shown = all ? events[...] : events.suffix(last)
        if shown.count < events.count {
            out.line("# last \(shown.count) of \(events.count) events (--all for every one)")
        }
        for e in shown { out.line(e.traceLine) }
        if events.isEmpty {
            out.line(
                log.recording == .always
                    ? "# no events yet (kswapd has not been woken)"
                    : "# no events yet (kswapd has not been woken since tracing started)")
        }
        for (name, count) in log.suppressed.sorted(by: { $0.key < $1.key }) {
            out.line("# \(count) more \(name) events were counted but not recorded (trace limit)")
        }
        if log.dropped > 0 { out.line("# \(log.dropped) older events were dropped to bound memory") }
    }
}
