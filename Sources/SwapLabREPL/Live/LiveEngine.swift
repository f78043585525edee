import Foundation
import SwapLabModel
import SwapLabSimulator
import SwapLabKernel
import SwapLabAnalysis
import SwapLabExplain
import SwapLabCourse

/// The live engine's state in a session: the restore journal, the tracefs instance, the hogs, and the command
/// bodies that act on this machine (`alloc`, `touch`, `release`, `allocs`, `trace …`, `swap …`). Each method prints
/// through `session.output` and throws a `ShellError` worded for the learner.
public final class LiveEngine {
    /// Every change this session made, undone on exit.
    public let journal: RestoreJournal
    /// The private tracefs instance while `trace on`.
    public private(set) var trace: TraceInstance?
    /// Hogs in the order they were started.
    public private(set) var hogs: [MemoryHog] = []
    /// What this machine did while the live engine was on: zones and counters every 100 ms, the parsed trace
    /// events of `trace on`, and swaplab's own markers, all on `CLOCK_MONOTONIC`.
    public let recorder: LiveTimeline
    /// /proc/vmstat at the last `mark` (or when the engine started): `vmstat` shows deltas since then.
    public private(set) var baseline: (label: String, time: Double, counters: Vmstat)?
    private var hogCounter = 0
    /// The last machine description `timeline()` made, and when (monotonic seconds).
    private var describedMachine: (at: Double, machine: MachineDescription)?

    public init(stateDirectory: URL, root: String = "/") {
        journal = RestoreJournal(directory: stateDirectory)
        recorder = LiveTimeline(root: SystemRoot(root))
        recorder.sampleNow()
        if let v = try? Vmstat.read(root: SystemRoot(root)) { baseline = ("start", Syscall.monotonicSeconds(), v) }
    }

    deinit { recorder.stopSampling() }

    /// Samples every 100 ms while something is going on (tracing, or a hog alive), and not while idle: a sample
    /// reads /proc/zoneinfo and /proc/vmstat, which costs CPU for nothing when nothing changes.
    func updateSampling() {
        if (trace?.isRunning ?? false) || !hogs.isEmpty {
            recorder.startSampling()
        } else {
            recorder.stopSampling()
        }
    }

    /// Places a marker at the current `CLOCK_MONOTONIC` time, with a sample taken at that moment.
    public func mark(_ label: String) {
        recorder.sampleNow()
        recorder.mark(label)
    }

    /// Marks the timeline and makes it the baseline of `vmstat` deltas.
    public func markBaseline(_ label: String, root: String) throws {
        let v: Vmstat
        do { v = try Vmstat.read(root: SystemRoot(root)) } catch { throw ShellError.failed(error.description) }
        mark(label)
        baseline = (label, Syscall.monotonicSeconds(), v)
    }

    /// The live timeline so far: samples, parsed trace events and markers.
    public func timeline() -> Timeline {
        recorder.snapshot(machine: machineDescription())
    }

    /// The machine as a timeline names it: the kernel release and the vm sysctls, read again at most once a second
    /// (`watch` asks for the timeline ten times a second; the sysctls change only when someone writes them).
    private func machineDescription() -> MachineDescription {
        let now = Syscall.monotonicSeconds()
        if let cached = describedMachine, now - cached.at < 1 { return cached.machine }
        var uts = utsname()
        uname(&uts)
        let release = withUnsafeBytes(of: &uts.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let machine = MachineDescription(
            engine: "live", summary: "Linux \(release)",
            minFreeKbytes: (try? Sysctl.read("min_free_kbytes")).flatMap { Int64($0) },
            watermarkScaleFactor: (try? Sysctl.read("watermark_scale_factor")).flatMap { Int64($0) },
            swappiness: (try? Sysctl.read("swappiness")).flatMap { Int64($0) })
        describedMachine = (now, machine)
        return machine
    }

    // MARK: Hogs

    /// Starts a hog of `bytes` and waits until every page holds its bytes. The guard refuses sizes that would
    /// push MemAvailable below the floor unless `force`. Reports an OOM kill of the hog without failing the shell.
    @discardableResult
    public func alloc(
        bytes: Int64, name: String? = nil, rate: Double = 0, fill: HogFill = .random, force: Bool = false,
        floor: Int64? = nil, in session: Session
    ) throws -> MemoryHog {
        let out = session.output
        reapEnded(in: session)
        let hogName = try newName(name)
        let check: AllocationGuard
        do {
            check = try AllocationGuard.measure(root: SystemRoot(session.systemRoot), floorOverride: floor)
        } catch {
            throw ShellError.failed("cannot read /proc to check free memory: \(error)")
        }
        if let refusal = check.refusal(for: bytes) {
            if !force { throw ShellError.failed(refusal) }
            out.line(out.styled("warning:", .yellow) + " --force: " + refusal)
        }
        let hog: MemoryHog
        do {
            hog = try MemoryHog(name: hogName, bytes: bytes, fill: fill, rate: rate)
        } catch {
            throw ShellError.failed("\(error)")
        }
        hogs.append(hog)
        updateSampling()
        mark("alloc \(hogName) \(Quantity.format(bytes: bytes))")
        do {
            let seconds = try hog.allocate(
                progress: { done in
                    out.line("  \(hogName): \(Quantity.format(bytes: done)) of \(Quantity.format(bytes: bytes))")
                },
                stop: { session.interrupted })
            let speed = seconds > 0 ? " (\(Quantity.format(bytes: Int64(Double(bytes) / seconds)))/s)" : ""
            out.line(
                "\(hogName) (pid \(hog.pid)) holds \(Quantity.format(bytes: bytes)) of \(fill.rawValue) bytes in 4 KiB pages, "
                    + "written in \(String(format: "%.2f", seconds)) s\(speed); oom_score_adj 1000 verified")
            mark("\(hogName) ready")
            return hog
        } catch {
            hogs.removeAll { $0 === hog }
            if case .died = error {
                mark("\(hogName) died")
                throw ShellError.failed("\(error). The shell is fine; the hog's memory is free again.")
            }
            throw ShellError.failed("\(error)")
        }
    }

    /// Has hog `name` read every page back and verify it (swapping in whatever was swapped out).
    @discardableResult
    public func touch(name: String, in session: Session) throws -> MemoryHog.TouchResult {
        let hog = try find(name)
        let before = hog.memory
        let r: MemoryHog.TouchResult
        do {
            r = try hog.touch(stop: { session.interrupted })
        } catch {
            hogs.removeAll { $0 === hog }
            throw ShellError.failed("\(error)")
        }
        do {
            let verdict =
                r.badPages == 0 ? "all verified" : session.output.styled("\(r.badPages) pages differ!", .red)
            var swapped = ""
            if let s = before?.swap, s.count > 0 {
                swapped = "; \(Quantity.format(bytes: s.bytes)) came back from swap"
            }
            session.output.line(
                "\(hog.name): read \(r.pages) pages back in \(String(format: "%.2f", r.seconds)) s, \(verdict)\(swapped)"
            )
            mark("touch \(hog.name)")
            if r.badPages > 0 {
                throw ShellError.failed("\(hog.name): \(r.badPages) of \(r.pages) pages did not verify")
            }
            return r
        }
    }

    /// Ends hog `name`, or every hog for `all` (SIGTERM, then SIGKILL, reaped).
    public func release(name: String, in session: Session) throws {
        let targets = name == "all" ? hogs : [try find(name)]
        if targets.isEmpty {
            session.output.line("no hogs to release")
            return
        }
        for hog in targets {
            let ended = hog.end()
            hogs.removeAll { $0 === hog }
            updateSampling()
            mark("release \(hog.name)")
            session.output.line(
                "released \(hog.name) (pid \(hog.pid), \(Quantity.format(bytes: hog.bytesRequested)))"
                    + (ended.map { $0 == .signaled(SIGTERM) ? "" : ": \($0)" } ?? ""))
        }
    }

    /// Lists the hogs with RSS and swap from /proc/PID/status; reports hogs that ended (e.g. OOM-killed).
    public func allocs(json: Bool = false, in session: Session) throws {
        let out = session.output
        reapEnded(in: session)
        struct Row: Codable {
            var name: String
            var pid: Int32
            var size: Int64
            var rss: Int64
            var swap: Int64
            var fill: String
        }
        let rows = hogs.compactMap { h -> Row? in
            guard let m = h.memory else { return nil }
            return Row(
                name: h.name, pid: h.pid, size: h.bytesRequested, rss: m.rss?.bytes ?? 0, swap: m.swap?.bytes ?? 0,
                fill: h.fill.rawValue)
        }
        if json {
            out.line(LiveJSON.allocs(hogs).text)
            return
        }
        if rows.isEmpty {
            out.line("no hogs (start one with: alloc SIZE)")
            return
        }
        let f = Quantity.format(bytes:)
        out.line(
            out.styled(
                pad("NAME", 10) + pad("PID", 9) + pad("SIZE", 12) + pad("RSS", 12) + pad("SWAP", 12) + "FILL", .bold))
        for r in rows {
            out.line(
                pad(r.name, 10) + pad(String(r.pid), 9) + pad(f(r.size), 12) + pad(f(r.rss), 12) + pad(f(r.swap), 12)
                    + r.fill)
        }
    }

    /// Drops hogs that have ended, saying how (an OOM kill shows as SIGKILL with an oom_kill delta).
    private func reapEnded(in session: Session) {
        for hog in hogs where !hog.isRunning {
            let now = (try? Vmstat.read(root: SystemRoot(session.systemRoot)))?["oom_kill"]
            let delta = now.flatMap { n in hog.oomKillsAtStart.map { n - $0 } } ?? 0
            var text = "\(hog.name) (pid \(hog.pid)) has ended: \(hog.exit.map(String.init(describing:)) ?? "unknown")"
            if delta > 0 { text += "; oom_kill rose by \(delta) since it started: the OOM killer chose it" }
            session.output.line(session.output.styled("note:", .yellow) + " " + text)
            mark("\(hog.name) ended")
        }
        hogs.removeAll { $0.exit != nil }
        updateSampling()
    }

    private func find(_ name: String) throws -> MemoryHog {
        guard let h = hogs.first(where: { $0.name == name }) else {
            let names = hogs.map(\.name)
            throw ShellError.usage(
                names.isEmpty
                    ? "there is no hog called \(name); start one with: alloc SIZE"
                    : "there is no hog called \(name); the hogs are: \(names.joined(separator: ", "))")
        }
        return h
    }

    private func newName(_ requested: String?) throws -> String {
        if let requested {
            guard !requested.isEmpty, requested != "all", !hogs.contains(where: { $0.name == requested }) else {
                throw ShellError.usage("the name '\(requested)' is taken or reserved; choose another with --name")
            }
            return requested
        }
        repeat { hogCounter += 1 } while hogs.contains { $0.name == "hog\(hogCounter)" }
        return "hog\(hogCounter)"
    }

    // MARK: Cleanup

    /// Ends every hog, stops tracing and undoes every journaled change. Returns one line per thing done.
    @discardableResult
    public func cleanup() -> [String] {
        var lines: [String] = []
        for hog in hogs {
            hog.end()
            lines.append("released \(hog.name) (pid \(hog.pid))")
        }
        hogs = []
        if let t = trace {
            for o in t.stop() { lines.append(o.description) }
            trace = nil
        }
        for o in journal.undoAll() { lines.append(o.description) }
        return lines
    }

    // MARK: Tracing

    /// Starts tracing `events` in a private instance.
    public func traceOn(events: [String], in session: Session) throws {
        if let trace, trace.isRunning {
            throw ShellError.usage(
                "tracing is already on (\(trace.enabled.joined(separator: ", "))); `trace off` first")
        }
        do {
            let recorder = self.recorder
            let t = try TraceInstance(events: events, journal: journal, onLines: { recorder.append(traceLines: $0) })
            trace = t
            updateSampling()
            mark("trace on")
            session.output.line(
                "tracing \(t.enabled.map { $0.replacingOccurrences(of: "/enable", with: "").replacingOccurrences(of: "events/", with: "") }.joined(separator: ", ")) "
                    + "in \(t.path) (trace_clock=mono, 16 MiB per CPU); the global buffer is untouched")
        } catch {
            throw ShellError.unavailable(error.description)
        }
    }

    /// Stops tracing and removes the instance (the lines read stay for `trace show`).
    public func traceOff(in session: Session) throws {
        guard let t = trace, t.isRunning else {
            session.output.line("tracing is off")
            return
        }
        let outcomes = t.stop()
        updateSampling()
        mark("trace off")
        let c = t.counts
        session.output.line("tracing off: \(c.lines) lines read; instance removed")
        for o in outcomes where o.result == .left { session.output.line("  " + o.description) }
    }

    /// The last `last` raw lines.
    public func traceShow(last: Int, raw: Bool, in session: Session) throws {
        guard let t = trace else { throw ShellError.usage("nothing traced yet; start with: trace on") }
        let lines = t.lastLines(last)
        if lines.isEmpty { session.output.line("no trace lines yet (events appear when reclaim happens)") }
        for l in lines { session.output.line(l) }
    }

    /// Lines read and events lost.
    public func traceStats(in session: Session) throws {
        guard let t = trace else { throw ShellError.usage("nothing traced yet; start with: trace on") }
        let c = t.counts
        let out = session.output
        out.line("instance:    \(t.path)\(t.isRunning ? "" : " (removed)")")
        out.line("lines read:  \(c.lines) (\(Quantity.format(bytes: c.bytes)))")
        if t.isRunning {
            let s = t.bufferStats()
            out.line(
                "lost events: \(s.lost) (overrun \(s.overrun), commit overrun \(s.commitOverrun), dropped \(s.dropped))"
            )
            out.line("unread:      \(s.entries)")
        }
    }

    // MARK: Swap

    /// The swap devices and their use, from /proc/swaps.
    public func swapShow(json: Bool, in session: Session) throws {
        let devices: [SwapArea]
        do { devices = try Swaps.read(root: SystemRoot(session.systemRoot)) } catch {
            throw ShellError.failed(error.description)
        }
        let out = session.output
        if json {
            out.line(LiveJSON.swap(devices).text)
            return
        }
        if devices.isEmpty {
            out.line("no swap is on: anonymous pages cannot be reclaimed (try: swap on 1G)")
            return
        }
        let ours = Set(
            journal.pending.compactMap { c -> String? in if case .swapOn(let p) = c { return p } else { return nil } })
        let f = Quantity.format(bytes:)
        out.line(out.styled(pad("DEVICE", 40) + pad("TYPE", 11) + pad("SIZE", 12) + pad("USED", 12) + "PRIO", .bold))
        for d in devices {
            out.line(
                pad(d.path, 40) + pad(d.type, 11) + pad(f(d.size.bytes), 12) + pad(f(d.used.bytes), 12)
                    + String(d.priority) + (ours.contains(d.path) ? "  (swaplab's)" : ""))
        }
    }

    /// Creates a swapfile of `bytes` and swaps on to it.
    public func swapOn(bytes: Int64, in session: Session) throws {
        do {
            let path = try Swapfile.create(bytes: bytes, journal: journal)
            mark("swap on \(Quantity.format(bytes: bytes))")
            session.output.line("swap on: \(path) (\(Quantity.format(bytes: bytes)), mode 0600); `swap off` removes it")
        } catch let e as SwapfileError {
            throw ShellError.unavailable(e.description)
        } catch {
            throw ShellError.failed("\(error)")
        }
    }

    /// Swaps off and removes what swaplab created, and nothing else.
    public func swapOff(in session: Session) throws {
        let outcomes = Swapfile.removeAll(journal: journal)
        if outcomes.isEmpty {
            session.output.line("swaplab has turned on no swap in this session; other swap devices are left alone")
            return
        }
        mark("swap off")
        for o in outcomes { session.output.line(o.description) }
    }

    private func pad(_ s: String, _ n: Int) -> String { DisplayWidth.pad(s, to: n - 1) + " " }
}

extension Session {
    /// The live engine, created on first use; its timeline is registered as the live provider.
    public func liveEngine() -> LiveEngine {
        if let live { return live }
        let engine = LiveEngine(stateDirectory: stateDirectory)
        live = engine
        timelineProviders[.live] = { [unowned self, unowned engine] in
            // The lab traces and samples on its own while it runs or is prepared; its timeline joins this one.
            let lab = self.lab.map { $0.timeline() } ?? self.labTimeline
            return engine.timeline().merging(lab)
        }
        return engine
    }

    /// Undoes everything the live engine did (hogs, tracing, sysctls, swap, mounts). Called on every exit path
    /// of the shell: quit, Ctrl-D, SIGTERM/SIGHUP (via `LiveCleanup`) and errors.
    public func cleanup() {
        // A lab left prepared (`lab prepare` without `lab restore`) is undone first: its trace pipe must be
        // closed before the journal removes the trace instance.
        if let lab {
            for outcome in lab.restore() { output.line("restore: " + outcome.description) }
            self.lab = nil
        }
        guard let live else { return }
        for line in live.cleanup() { output.line("restore: " + line) }
    }
}
