import ArgumentParser
import Foundation
import SwapLabModel
import SwapLabSimulator
import SwapLabKernel
import SwapLabAnalysis
import SwapLabExplain
import SwapLabCourse

/// Text shared by the sim commands: zone tables and "what happened" summaries.
enum SimReport {
    /// Counters and event counts at one moment, to report what a command caused.
    struct Snapshot {
        var counters: [String: Int64]
        var eventCount: Int
        var time: Double

        init(_ sim: Simulator) {
            counters = sim.vmstat
            eventCount = sim.timeline().events.count
            time = sim.now
        }
    }

    /// One line on what happened since `before`: kswapd wakes, reclaim, swap, direct reclaim, OOM kills.
    static func whatHappened(since before: Snapshot, sim: Simulator, to out: Output) {
        let now = sim.vmstat
        func d(_ k: String) -> Int64 { (now[k] ?? 0) - (before.counters[k] ?? 0) }
        let newEvents = sim.timeline().events.dropFirst(before.eventCount)
        let wakeups = newEvents.filter { $0.name == "mm_vmscan_wakeup_kswapd" }.count
        let sleeps = newEvents.filter { $0.name == "mm_vmscan_kswapd_sleep" }.count
        var parts: [String] = []
        if wakeups > 0 || d("pageoutrun") > 0 {
            parts.append("kswapd woken \(wakeups)×, \(d("pageoutrun")) run(s), \(sleeps) sleep(s)")
        }
        let dropped = d("pgsteal_file")
        if dropped > 0 { parts.append("page cache dropped \(SimArguments.size(dropped))") }
        if d("pswpout") > 0 { parts.append("swapped out \(SimArguments.size(d("pswpout")))") }
        if d("pswpin") > 0 { parts.append("swapped in \(SimArguments.size(d("pswpin")))") }
        let stalls = d("allocstall_movable") + d("allocstall_normal") + d("allocstall_dma32") + d("allocstall_dma")
        if stalls > 0 { parts.append("\(stalls) direct reclaim(s)") }
        if d("oom_kill") > 0 { parts.append("\(d("oom_kill")) OOM kill(s)") }
        out.paragraph(
            parts.isEmpty ? "no reclaim: free memory stayed above the low watermarks" : parts.joined(separator: "; "))
    }

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
                DisplayWidth.pad("\(z.node) \(z.zone.rawValue)", to: 10) + cells.joined() + "   "
                    + SimArguments.size(z.free))
        }
        out.line("(pages of 4 KiB; min/low/high as /proc/zoneinfo prints them)")
    }

    /// `hog`, then `hog2`, `hog3`, … whichever is not in use.
    static func freeName(base: String, taken: [SimulatorStatus.TaskStatus]) -> String {
        let live = Set(taken.filter { $0.state == "idle" || $0.state == "running" }.map(\.name))
        if !live.contains(base) { return base }
        var i = 2
        while live.contains("\(base)\(i)") { i += 1 }
        return "\(base)\(i)"
    }
}

/// `status [--json]`: the machine now: zones, kswapd, swap, tasks.
struct StatusCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the machine now: zones and watermarks, kswapd, swap and tasks.")

    @Flag(help: "Print JSON with stable keys.") var json = false

    func run(in session: Session) throws {
        if session.engine == .live { return try LiveReports.status(json: json, in: session) }
        let sim = try session.simulatorForCommand()
        let s = sim.status()
        let out = session.output
        if json {
            out.line(s.json.text)
            return
        }
        out.line(String(format: "sim t = %.3f s · %@", s.time, s.machine))
        out.line(
            "min_free_kbytes \(s.minFreeKbytes) · watermark_scale_factor \(s.watermarkScaleFactor) · "
                + "watermark_boost_factor \(s.watermarkBoostFactor) · swappiness \(s.swappiness)")
        SimReport.zoneTable(s.zones, to: out)
        for k in s.kswapd {
            out.line(
                "kswapd\(k.node): \(k.state)" + (k.failures > 0 ? ", \(k.failures) run(s) without progress" : "")
                    + (k.nodeUnreclaimable ? " — node_unreclaimable 1 (kswapd gave up)" : ""))
        }
        out.line(
            "swap: \(SimArguments.size(s.swapUsedPages)) used of \(SimArguments.size(s.swapTotalPages)) · "
                + "page cache \(SimArguments.size(s.filePages)) (dirty \(SimArguments.size(s.dirtyPages))) · "
                + "anon \(SimArguments.size(s.anonPages))")
        let shown = s.tasks.filter { $0.state != "released" }
        if !shown.isEmpty {
            out.line(
                DisplayWidth.pad("task", to: 16) + DisplayWidth.pad("pid", to: 7, right: true)
                    + DisplayWidth.pad("resident", to: 12, right: true)
                    + DisplayWidth.pad("swapped", to: 12, right: true)
                    + "  state")
            for t in shown {
                out.line(
                    DisplayWidth.pad(t.name, to: 16) + DisplayWidth.pad(String(t.pid), to: 7, right: true)
                        + DisplayWidth.pad(SimArguments.size(t.residentPages), to: 12, right: true)
                        + DisplayWidth.pad(SimArguments.size(t.swappedPages), to: 12, right: true) + "  \(t.state)")
            }
        }
    }
}

/// `vmstat [--json]`: the /proc/vmstat counters and their deltas since the last `mark`.
struct VmstatCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "vmstat", abstract: "Show /proc/vmstat counters and their change since the last mark.")

    @Flag(help: "Print JSON with stable keys.") var json = false

    func run(in session: Session) throws {
        if session.engine == .live { return try LiveReports.vmstat(json: json, in: session) }
        let sim = try session.simulatorForCommand()
        let now = sim.vmstat
        let base = sim.lastMark
        var deltas: [String: Int64] = [:]
        for c in VMCounter.allCases { deltas[c.name] = (now[c.name] ?? 0) - (base.counters[c.name] ?? 0) }
        let out = session.output
        if json {
            out.line(
                VmstatJSON.document(
                    engine: "sim", time: sim.now, mark: base.label, markTime: base.time, counters: now, deltas: deltas
                ).text)
            return
        }
        out.line(
            DisplayWidth.pad("counter", to: 32) + DisplayWidth.pad("now", to: 14, right: true)
                + DisplayWidth.pad(
                    String(format: "Δ since mark '%@' (t=%.3f s)", base.label, base.time), to: 40, right: true))
        for g in VMGauge.allCases {
            out.line(
                DisplayWidth.pad(g.rawValue, to: 32)
                    + DisplayWidth.pad(String(now[g.rawValue] ?? 0), to: 14, right: true))
        }
        for c in VMCounter.allCases {
            let delta = deltas[c.name] ?? 0
            out.line(
                DisplayWidth.pad(c.name, to: 32) + DisplayWidth.pad(String(now[c.name] ?? 0), to: 14, right: true)
                    + DisplayWidth.pad(delta == 0 ? "·" : "+\(delta)", to: 40, right: true))
        }
    }
}

/// `events [--last N]`: the simulated trace, as trace_pipe prints it.
struct EventsCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Print the trace in trace_pipe format: the simulated one, or this kernel's while tracing.")

    @Option(help: "Only the last N events (default 40).") var last: Int = 40
    @Flag(help: "Every event.") var all = false
    @Flag(name: .customLong("milestones"), help: "Leave out write_folio and lru_shrink_inactive lines.")
    var milestonesOnly = false

    func run(in session: Session) throws {
        guard last >= 0 else { throw ShellError.usage("--last takes a count of 0 or more, not \(last)") }
        if session.engine == .live {
            return try LiveReports.events(last: last, all: all, milestonesOnly: milestonesOnly, in: session)
        }
        let sim = try session.simulatorForCommand()
        var events = sim.timeline().events
        if milestonesOnly {
            events = events.filter { $0.name != "mm_vmscan_write_folio" && $0.name != "mm_vmscan_lru_shrink_inactive" }
        }
        let shown = all ? events[...] : events.suffix(last)
        if shown.count < events.count {
            session.output.line("# last \(shown.count) of \(events.count) events (--all for every one)")
        }
        for e in shown { session.output.line(e.traceLine) }
        if events.isEmpty { session.output.line("# no events yet (kswapd has not been woken)") }
        for (name, count) in sim.suppressedBulkEvents.sorted(by: { $0.key < $1.key }) {
            session.output.line("# \(count) more \(name) events were counted but not recorded (trace limit)")
        }
    }
}

/// `mark [LABEL]`: a marker on the timeline; `vmstat` deltas count from here.
struct MarkCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark", abstract: "Put a marker on the timeline; vmstat shows changes since the last one.")

    @Argument(help: "A label (default: mark1, mark2, …).") var label: String?

    func run(in session: Session) throws {
        if session.engine == .live {
            let engine = session.liveEngine()
            let count = engine.timeline().markers.filter { $0.label.hasPrefix("mark") }.count
            let text = label ?? "mark\(count + 1)"
            try engine.markBaseline(text, root: session.systemRoot)
            session.output.line(
                String(format: "mark '%@' at t = %.3f s (CLOCK_MONOTONIC)", text, Syscall.monotonicSeconds()))
            return
        }
        let sim = try session.simulatorForCommand()
        let text = label ?? "mark\(sim.timeline().markers.filter { $0.label.hasPrefix("mark") }.count + 1)"
        sim.mark(text)
        session.output.line(String(format: "mark '%@' at t = %.3f s", text, sim.now))
    }
}
