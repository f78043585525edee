import Foundation
import SwapLabModel

/// This machine's kernel as an `Engine`: /proc read below a root, hogs (child processes with oom_score_adj 1000)
/// that allocate, read back and end, markers on `CLOCK_MONOTONIC`, the private trace instance, swapfiles, and the
/// restore journal that undoes every change. It answers in values; the shell words them.
public final class LiveEngine: ThisMachine {
    public let kind = EngineKind.live
    public let clock = EngineClock.monotonic
    public var notify: (EngineNotice) -> Void = { _ in }
    public var interrupted: () -> Bool = { false }
    /// Every change this session made, undone on exit.
    public let journal: RestoreJournal
    /// The private tracefs instance while `trace on` (kept after `trace off` for `trace show`).
    public private(set) var trace: TraceInstance?
    /// Hogs in the order they were started.
    public private(set) var runningHogs: [MemoryHog] = []
    /// What this machine did while the live engine was on: zones and counters every 100 ms, the parsed trace
    /// events of `trace on`, and swaplab's own markers, all on `CLOCK_MONOTONIC`.
    public let recorder: LiveTimeline
    /// /proc/vmstat at the last `mark` (or when the engine started): `vmstat` shows deltas since then.
    public private(set) var baseline: (label: String, time: Double, counters: Vmstat)?
    /// The root of /proc and /sys (normally `/`).
    public let root: SystemRoot
    private var hogCounter = 0
    /// The last machine description `timeline()` made, and when (monotonic seconds).
    private var describedMachine: (at: Double, machine: MachineDescription)?

    public init(stateDirectory: URL, root: String = "/") {
        self.root = SystemRoot(root)
        journal = RestoreJournal(directory: stateDirectory)
        recorder = LiveTimeline(root: SystemRoot(root))
        recorder.sampleNow()
        if let v = try? Vmstat.read(root: self.root) { baseline = ("start", Syscall.monotonicSeconds(), v) }
    }

    deinit { recorder.stopSampling() }

    /// Samples every 100 ms while something is going on (tracing, or a hog alive), and not while idle: a sample
    /// reads /proc/zoneinfo and /proc/vmstat, which costs CPU for nothing when nothing changes.
    func updateSampling() {
        if (trace?.isRunning ?? false) || !runningHogs.isEmpty {
            recorder.startSampling()
        } else {
            recorder.stopSampling()
        }
    }

    /// Places a marker at the current `CLOCK_MONOTONIC` time, with a sample taken at that moment.
    func place(_ label: String) {
        recorder.sampleNow()
        recorder.mark(label)
    }

    // MARK: Engine: reading

    public func timeline() -> Timeline {
        recorder.snapshot(machine: machineDescription())
    }

    /// The machine as a timeline names it: the kernel release and the vm sysctls, read again at most once a second
    /// (`watch` asks for the timeline ten times a second; the sysctls change only when someone writes them).
    private func machineDescription() -> MachineDescription {
        let now = Syscall.monotonicSeconds()
        if let cached = describedMachine, now - cached.at < 1 { return cached.machine }
        let sysctls = try? VMSysctls.read(root: root)
        let machine = MachineDescription(
            engine: "live", summary: kernelName(), minFreeKbytes: sysctls?.minFreeKbytes,
            watermarkScaleFactor: sysctls?.watermarkScaleFactor, swappiness: sysctls?.swappiness)
        describedMachine = (now, machine)
        return machine
    }

    /// `Linux 6.18.0` from /proc/sys/kernel/{ostype,osrelease}.
    private func kernelName() -> String {
        (try? KernelRelease.read(root: root)).map { "\($0.ostype) \($0.release)" } ?? "Linux"
    }

    public func status() throws(EngineError) -> EngineStatus {
        let zoneinfo: Zoneinfo
        do { zoneinfo = try ZoneinfoParser.read(root: root) } catch { throw .failed(error.description) }
        let sysctls = try? VMSysctls.read(root: root)
        let swaps = (try? Swaps.read(root: root)) ?? []
        let vmstat = (try? Vmstat.read(root: root))?.counters ?? [:]
        let unreclaimable = Set(zoneinfo.nodes.filter { $0.unreclaimable == true }.map(\.id))
        let nodes = Set(zoneinfo.snapshots.map(\.node)).union(unreclaimable).sorted()
        let memory = vmstat["nr_file_pages"].map {
            MemoryUse(
                file: Pages($0), dirty: Pages(vmstat["nr_dirty"] ?? 0), anon: Pages(vmstat["nr_anon_pages"] ?? 0),
                unevictable: vmstat["nr_unevictable"].map { Pages($0) },
                // vm.nr_hugepages counts pages of the default huge page size, 2 MiB (512 pages) on x86-64.
                hugetlb: sysctls?.nrHugepages.map { Pages($0.saturatingMultiply(512)) })
        }
        return EngineStatus(
            engine: .live, clock: .monotonic, time: Syscall.monotonicSeconds(), machine: kernelName(),
            settings: VMSettings(
                minFreeKbytes: sysctls?.minFreeKbytes, watermarkScaleFactor: sysctls?.watermarkScaleFactor,
                watermarkBoostFactor: sysctls?.watermarkBoostFactor, swappiness: sysctls?.swappiness),
            zones: zoneinfo.snapshots,
            kswapd: nodes.map {
                KswapdStatus(node: $0, state: nil, failures: nil, nodeUnreclaimable: unreclaimable.contains($0))
            },
            swapTotal: swaps.reduce(Pages.zero) { $0 + $1.size }, swapUsed: swaps.reduce(Pages.zero) { $0 + $1.used },
            memory: memory, tasks: runningHogs.map(Self.task), tracing: trace?.isRunning ?? false, counters: vmstat)
    }

    public func counters() throws(EngineError) -> CounterReport {
        let now: Vmstat
        do { now = try Vmstat.read(root: root) } catch { throw .failed(error.description) }
        let base = baseline ?? ("start", Syscall.monotonicSeconds(), now)
        var rows: [CounterRow] = []
        var values: [String: Int64] = [:]
        for name in LiveTimeline.sampledCounters {
            guard let v = now[name] else { continue }
            values[name] = v
            rows.append(CounterRow(name: name, value: v, delta: v - (base.counters[name] ?? v)))
        }
        return CounterReport(
            engine: .live, clock: .monotonic, time: Syscall.monotonicSeconds(), markLabel: base.label,
            markTime: base.time, rows: rows, values: values)
    }

    public func eventLog() -> EventLog {
        let events = recorder.snapshot(machine: MachineDescription(engine: "live", summary: "")).events
        return EventLog(events: events, recording: trace == nil ? .never : .started, dropped: recorder.droppedEvents)
    }

    public func zoneReading() throws(EngineError) -> ZoneReading? { try Self.readZones(root: root) }

    /// The zones of /proc/zoneinfo and MemFree of /proc/meminfo below `root` (a captured /proc in tests).
    public static func readZones(root: SystemRoot) throws(EngineError) -> ZoneReading {
        do {
            let zoneinfo = try ZoneinfoParser.read(root: root)
            let memFree = (try? Meminfo.read(root: root))?.memFree
            return ZoneReading(engine: .live, zones: zoneinfo.snapshots, memFree: memFree)
        } catch {
            throw .unavailable(error.description)
        }
    }

    public func memoryPressure() -> MemoryPressure {
        guard let p = (try? Pressure.read(root: root))?.pressure else {
            return .unavailable(path: root.resolve("/proc/pressure/memory"))
        }
        return .averages(some: p.some.avg10, full: p.full?.avg10)
    }

    /// While watching, sample every 100 ms (and give the first sample time to arrive).
    public func beginWatching() {
        recorder.startSampling()
        Thread.sleep(forTimeInterval: 0.12)
    }

    /// Back to sampling only while something is going on.
    public func endWatching() { updateSampling() }

    // MARK: Engine: hogs and markers

    /// Starts a hog and waits until every page holds its bytes. The guard refuses sizes that would push
    /// MemAvailable below the floor unless `force`. An OOM kill of the hog is an error the shell survives.
    public func allocate(_ request: AllocationRequest) throws(EngineError) -> AllocationOutcome {
        reapEnded()
        let name = try newName(request.name)
        let bytes = request.size.bytes
        let check: AllocationGuard
        do {
            check = try AllocationGuard.measure(root: root, floorOverride: request.floor?.bytes)
        } catch {
            throw .failed("cannot read /proc to check free memory: \(error)")
        }
        if let refusal = check.refusal(for: bytes) {
            if !request.force { throw .failed(refusal) }
            notify(.warning("--force: " + refusal))
        }
        let fill = HogFill(rawValue: request.fill.rawValue) ?? .random
        let hog: MemoryHog
        do {
            hog = try MemoryHog(name: name, bytes: bytes, fill: fill, rate: (request.rate ?? 0) * Double(Pages.size))
        } catch {
            throw .failed("\(error)")
        }
        runningHogs.append(hog)
        updateSampling()
        place("alloc \(name) \(Quantity.format(bytes: bytes))")
        do {
            let seconds = try hog.allocate(
                progress: { [notify] done in
                    notify(.progress(task: name, done: Pages(bytes: done), total: request.size))
                },
                stop: interrupted)
            place("\(name) ready")
            return AllocationOutcome(
                name: name, pid: Int(hog.pid), requested: request.size, written: request.size, seconds: seconds,
                clock: .monotonic, ending: .finished, fill: request.fill,
                oomScoreAdj: ProcessStatus.oomScoreAdjust(pid: hog.pid, root: root))
        } catch {
            runningHogs.removeAll { $0 === hog }
            if case .died = error {
                place("\(name) died")
                throw .failed("\(error). The shell is fine; the hog's memory is free again.")
            }
            throw .failed("\(error)")
        }
    }

    /// Has hog `name` read every page back and verify it (swapping in whatever was swapped out).
    public func touch(name: String) throws(EngineError) -> TouchOutcome {
        let hog = try find(name)
        let swapped = hog.memory?.swap ?? .zero
        let r: MemoryHog.TouchResult
        do {
            r = try hog.touch(stop: interrupted)
        } catch {
            runningHogs.removeAll { $0 === hog }
            throw .failed("\(error)")
        }
        place("touch \(hog.name)")
        return TouchOutcome(
            name: hog.name, pages: Pages(r.pages), fromSwap: swapped, left: nil, seconds: r.seconds,
            clock: .monotonic, badPages: r.badPages)
    }

    /// Ends hog `name`, or every hog for `all` (SIGTERM, then SIGKILL, reaped).
    public func release(name: String) throws(EngineError) -> ReleaseOutcome {
        let targets = name == "all" ? runningHogs : [try find(name)]
        var released: [ReleasedTask] = []
        for hog in targets {
            let memory = hog.memory
            let ended = hog.end()
            runningHogs.removeAll { $0 === hog }
            updateSampling()
            place("release \(hog.name)")
            released.append(
                ReleasedTask(
                    name: hog.name, pid: Int(hog.pid), resident: memory?.rss ?? .zero, swapped: memory?.swap ?? .zero,
                    unusualExit: ended.flatMap { $0 == .signaled(SIGTERM) ? nil : $0.description }))
        }
        return ReleaseOutcome(asked: name, tasks: released)
    }

    /// Marks the timeline and makes it the baseline of `vmstat` deltas.
    public func mark(_ label: String) throws(EngineError) -> MarkOutcome {
        let v: Vmstat
        do { v = try Vmstat.read(root: root) } catch { throw .failed(error.description) }
        place(label)
        let now = Syscall.monotonicSeconds()
        baseline = (label, now, v)
        return MarkOutcome(label: label, time: now, clock: .monotonic)
    }

    public func hogs() -> [TaskStatus] {
        reapEnded()
        return runningHogs.compactMap { h in h.memory.map { _ in Self.task(h) } }
    }

    /// A hog as a task: RSS and swap from /proc/PID/status.
    static func task(_ hog: MemoryHog) -> TaskStatus {
        let m = hog.memory
        return TaskStatus(
            name: hog.name, pid: Int(hog.pid), resident: m?.rss ?? .zero, swapped: m?.swap ?? .zero, state: .idle,
            requested: Pages(bytes: hog.bytesRequested), fill: AllocationFill(rawValue: hog.fill.rawValue))
    }

    /// Drops hogs that have ended, saying how (an OOM kill shows as SIGKILL with an oom_kill delta).
    private func reapEnded() {
        for hog in runningHogs where !hog.isRunning {
            let now = (try? Vmstat.read(root: root))?["oom_kill"]
            let delta = now.flatMap { n in hog.oomKillsAtStart.map { n - $0 } } ?? 0
            var text = "\(hog.name) (pid \(hog.pid)) has ended: \(hog.exit.map(String.init(describing:)) ?? "unknown")"
            if delta > 0 { text += "; oom_kill rose by \(delta) since it started: the OOM killer chose it" }
            notify(.note(text))
            place("\(hog.name) ended")
        }
        runningHogs.removeAll { $0.exit != nil }
        updateSampling()
    }

    private func find(_ name: String) throws(EngineError) -> MemoryHog {
        guard let h = runningHogs.first(where: { $0.name == name }) else {
            let names = runningHogs.map(\.name)
            throw .invalid(
                names.isEmpty
                    ? "there is no hog called \(name); start one with: alloc SIZE"
                    : "there is no hog called \(name); the hogs are: \(names.joined(separator: ", "))")
        }
        return h
    }

    private func newName(_ requested: String?) throws(EngineError) -> String {
        if let requested {
            guard !requested.isEmpty, requested != "all", !runningHogs.contains(where: { $0.name == requested })
            else {
                throw .invalid("the name '\(requested)' is taken or reserved; choose another with --name")
            }
            return requested
        }
        repeat { hogCounter += 1 } while runningHogs.contains { $0.name == "hog\(hogCounter)" }
        return "hog\(hogCounter)"
    }

    // MARK: ThisMachine

    // MARK: The lab

    /// The lab prepared by `prepareLab`, until `restoreLab`.
    private var preparedLab: LabRunner?

    public var labPrepared: Bool { preparedLab != nil }

    /// What the prepared lab has recorded so far (it traces and samples on its own), or nil.
    public var preparedLabTimeline: Timeline? { preparedLab?.timeline() }

    public func runLab(_ options: LabOptions, progress: @escaping @Sendable (String) -> Void) -> LabRun {
        let runner = LabRunner(
            options: options, journal: journal, root: root, progress: progress, interrupted: interrupted)
        var failure: (any LearnerError)?
        do { try runner.run() } catch { failure = error }
        return LabRun(result: runner.result, timeline: runner.timeline(), failure: failure)
    }

    public func prepareLab(
        _ options: LabOptions, progress: @escaping @Sendable (String) -> Void
    )
        throws(EngineError) -> Timeline?
    {
        let runner = LabRunner(
            options: options, journal: journal, root: root, progress: progress, interrupted: interrupted)
        do { try runner.prepare() } catch { throw .failed(error.description) }
        preparedLab = runner
        return runner.timeline()
    }

    public func restoreLab() -> (timeline: Timeline?, restored: Bool)? {
        guard let runner = preparedLab else { return nil }
        runner.restore()
        preparedLab = nil
        return (runner.timeline(), runner.result.restored)
    }

    @discardableResult
    public func cleanup() -> [String] {
        // A lab left prepared (`lab prepare` without `lab restore`) is undone first: its trace pipe must be
        // closed before the journal removes the trace instance.
        var labLines: [String] = []
        if let lab = preparedLab {
            labLines = lab.restore().map(\.description)
            preparedLab = nil
        }
        var lines = labLines
        for hog in runningHogs {
            hog.end()
            lines.append("released \(hog.name) (pid \(hog.pid))")
        }
        runningHogs = []
        if let t = trace {
            for o in t.stop() { lines.append(o.description) }
            trace = nil
        }
        for o in journal.undoAll() { lines.append(o.description) }
        return lines
    }

    public func traceOn(events: [String]) throws(EngineError) -> TraceStart {
        if let trace, trace.isRunning {
            throw .invalid("tracing is already on (\(trace.enabled.joined(separator: ", "))); `trace off` first")
        }
        do {
            let recorder = self.recorder
            let t = try TraceInstance(events: events, journal: journal, onLines: { recorder.append(traceLines: $0) })
            trace = t
            updateSampling()
            place("trace on")
            let names = t.enabled.map {
                $0.replacingOccurrences(of: "/enable", with: "").replacingOccurrences(of: "events/", with: "")
            }
            return TraceStart(events: names, path: t.path)
        } catch {
            if let ko = error.sentenceKo { throw .said(en: error.description, ko: ko) }
            throw .unavailable(error.description)
        }
    }

    public func traceOff() -> TraceStop? {
        guard let t = trace, t.isRunning else { return nil }
        let outcomes = t.stop()
        updateSampling()
        place("trace off")
        return TraceStop(
            linesRead: Int(t.counts.lines), leftBehind: outcomes.filter { $0.result == .left }.map(\.description))
    }

    public func traceLines(last count: Int) throws(EngineError) -> [String] {
        guard let t = trace else { throw .invalid("nothing traced yet; start with: trace on") }
        return t.lastLines(count)
    }

    public func traceStats() throws(EngineError) -> TraceStats {
        guard let t = trace else { throw .invalid("nothing traced yet; start with: trace on") }
        let c = t.counts
        var loss: TraceStats.Loss?
        if t.isRunning {
            let s = t.bufferStats()
            loss = TraceStats.Loss(
                overrun: s.overrun, commitOverrun: s.commitOverrun, dropped: s.dropped, unread: s.entries)
        }
        return TraceStats(path: t.path, running: t.isRunning, lines: Int(c.lines), bytes: c.bytes, loss: loss)
    }

    public func swapDevices() throws(EngineError) -> [SwapDevice] {
        let devices: [SwapArea]
        do { devices = try Swaps.read(root: root) } catch { throw .failed(error.description) }
        let ours = Set(
            journal.pending.compactMap { c -> String? in if case .swapOn(let p) = c { return p } else { return nil } })
        return devices.map {
            SwapDevice(
                path: $0.path, type: $0.type, size: $0.size, used: $0.used, priority: $0.priority,
                isSwaplabs: ours.contains($0.path))
        }
    }

    public func swapOn(size: Pages) throws(EngineError) -> String {
        do {
            let path = try Swapfile.create(bytes: size.bytes, journal: journal)
            place("swap on \(Quantity.format(bytes: size.bytes))")
            return path
        } catch let e as SwapfileError {
            if let ko = e.sentenceKo { throw .said(en: e.description, ko: ko) }
            throw .unavailable(e.description)
        } catch {
            throw .failed("\(error)")
        }
    }

    public func swapOff() -> [String] {
        let outcomes = Swapfile.removeAll(journal: journal)
        if !outcomes.isEmpty { place("swap off") }
        return outcomes.map(\.description)
    }
}
