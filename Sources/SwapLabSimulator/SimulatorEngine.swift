import SwapLabModel

/// The simulator as an `Engine` with a simulated clock: it holds the simulated machine (the course machine is made
/// on first use, with a notice), runs its clock while a command waits, and answers in values.
public final class SimulatorEngine: SimulatedClock {
    public let kind = EngineKind.sim
    public let clock = EngineClock.simulated
    public var notify: (EngineNotice) -> Void = { _ in }
    public var interrupted: () -> Bool = { false }
    /// Called with every machine made (`machine`, `reset`, the course machine), e.g. to register its timeline.
    public var onMachine: (Simulator) -> Void = { _ in }
    /// The simulated machine, once there is one.
    public private(set) var simulator: Simulator?

    public init() {}

    /// Makes `sim` the machine (a test's, or one built elsewhere).
    public func install(_ sim: Simulator) {
        simulator = sim
        onMachine(sim)
    }

    /// The machine, making the course machine (4 GiB RAM, 2 GiB swap) and saying so when there is none.
    public func machine() throws(EngineError) -> Simulator {
        if let simulator { return simulator }
        let sim = try Self.build(.course())
        install(sim)
        notify(.madeCourseMachine(summary: sim.config.summary))
        return sim
    }

    static func build(_ config: MachineConfig) throws(EngineError) -> Simulator {
        do { return try Simulator(config: config) } catch { throw EngineError(error) }
    }

    // MARK: Engine

    public func timeline() throws(EngineError) -> Timeline { try machine().timeline() }

    public func status() throws(EngineError) -> EngineStatus {
        let sim = try machine()
        let c = sim.config
        let busy = Set(sim.activities.map(\.owner))
        return EngineStatus(
            engine: .sim, clock: .simulated, time: sim.now, machine: c.summary,
            settings: VMSettings(
                minFreeKbytes: c.minFreeKbytes, watermarkScaleFactor: c.watermarkScaleFactor,
                watermarkBoostFactor: c.watermarkBoostFactor, swappiness: c.swappiness),
            zones: sim.zoneSnapshots(),
            kswapd: sim.nodes.map {
                KswapdStatus(
                    node: $0.id, state: KswapdState($0.kswapd.phase), failures: $0.kswapd.failures,
                    nodeUnreclaimable: $0.kswapd.failures >= SimConstants.maxReclaimRetries)
            },
            swapTotal: c.swap, swapUsed: sim.swapUsed,
            memory: MemoryUse(
                file: Pages(sim.nodes.reduce(0) { $0 + $1.lists.filePages }),
                dirty: Pages(sim.nodes.reduce(0) { $0 + $1.dirty }),
                anon: Pages(sim.nodes.reduce(0) { $0 + $1.lists.anonPages }),
                unevictable: Pages(sim.unevictablePages), hugetlb: Pages(sim.hugePages * Simulator.hugePageSize)),
            tasks: sim.tasks.enumerated().map { i, t in
                let state: TaskState =
                    t.killed ? .killed : !t.alive ? .released : busy.contains(Int32(i)) ? .running : .idle
                return TaskStatus(
                    name: t.name, pid: t.pid, resident: Pages(t.residentTotal), swapped: Pages(t.swapped), state: state,
                    locked: Pages(t.lockedPages))
            },
            tracing: nil, counters: sim.vmstat)
    }

    public func counters() throws(EngineError) -> CounterReport {
        let sim = try machine()
        let now = sim.vmstat
        let base = sim.lastMark
        let gauges = VMGauge.allCases.map { CounterRow(name: $0.rawValue, value: now[$0.rawValue] ?? 0, delta: nil) }
        let counters = VMCounter.allCases.map { c in
            CounterRow(name: c.name, value: now[c.name] ?? 0, delta: (now[c.name] ?? 0) - (base.counters[c.name] ?? 0))
        }
        return CounterReport(
            engine: .sim, clock: .simulated, time: sim.now, markLabel: base.label, markTime: base.time,
            rows: gauges + counters, values: now)
    }

    public func eventLog() throws(EngineError) -> EventLog {
        let sim = try machine()
        return EventLog(events: sim.timeline().events, recording: .always, suppressed: sim.suppressedBulkEvents)
    }

    /// Nil until there is a machine: `watermarks` then shows this machine instead.
    public func zoneReading() -> ZoneReading? {
        simulator.map { ZoneReading(engine: .sim, zones: $0.zoneSnapshots(), memFree: nil) }
    }

    public func memoryPressure() -> MemoryPressure { .notModelled }

    public func allocate(_ request: AllocationRequest) throws(EngineError) -> AllocationOutcome {
        let sim = try machine()
        let name = request.name ?? Self.freeName(base: "hog", taken: sim.tasks.filter(\.alive).map(\.name))
        guard !name.isEmpty, !name.contains(" ") else {
            throw .invalid("--name needs a word without spaces, e.g. --name hog")
        }
        let pid: Int
        do {
            pid = try sim.startAllocation(name: name, size: request.size, rate: request.rate, mlock: request.mlock)
        } catch {
            throw EngineError(error)
        }
        let used = sim.runUntilIdle(interrupted: interrupted)
        let task = sim.tasks.last { $0.pid == pid }
        let written = Pages((task?.residentTotal ?? 0) + (task?.swapped ?? 0))
        let ending: TaskEnding = task?.killed == true ? .killed : sim.isBusy(pid: pid) ? .stopped : .finished
        return AllocationOutcome(
            name: name, pid: pid, requested: request.size, written: written, seconds: used, clock: .simulated,
            ending: ending)
    }

    public func touch(name: String) throws(EngineError) -> TouchOutcome {
        let sim = try machine()
        let swapped: Pages
        do { swapped = try sim.startTouch(name: name) } catch { throw EngineError(error) }
        let used = sim.runUntilIdle(interrupted: interrupted)
        let task = sim.tasks.last { $0.name == name && !(!$0.alive && !$0.killed) }
        let left = task.flatMap { sim.remaining(pid: $0.pid) }
        return TouchOutcome(
            name: name, pages: Pages((task?.residentTotal ?? 0)), fromSwap: swapped, left: left, seconds: used,
            clock: .simulated, badPages: nil)
    }

    public func release(name: String) throws(EngineError) -> ReleaseOutcome {
        let sim = try machine()
        let freed = sim.tasks.filter { $0.alive && !$0.killed }
            .filter { name == "all" ? $0.name != "system" : $0.name == name }
        if name == "all" {
            sim.releaseAll()
        } else {
            do { try sim.release(name: name) } catch { throw EngineError(error) }
        }
        return ReleaseOutcome(
            asked: name,
            tasks: freed.map {
                ReleasedTask(name: $0.name, pid: $0.pid, resident: Pages($0.residentTotal), swapped: Pages($0.swapped))
            })
    }

    public func mark(_ label: String) throws(EngineError) -> MarkOutcome {
        let sim = try machine()
        sim.mark(label)
        return MarkOutcome(label: label, time: sim.now, clock: .simulated)
    }

    /// While watching, the simulated clock runs as fast as the frames (without a machine nothing runs).
    public func watchInterval(_ seconds: Double) { simulator?.run(seconds: seconds) }

    // MARK: SimulatedClock

    public func makeMachine(_ request: MachineRequest) throws(EngineError) -> MachineOutcome {
        let layout: [[ZoneSpec]]
        var ramBytes: Int64? = nil
        do {
            switch request.zones {
            case .ram(let bytes):
                ramBytes = bytes
                layout = try MachineConfig.defaultZones(ramBytes: bytes, nodes: request.nodes)
            case .managed(let text):
                let spec = try MachineConfig.zones(parsing: text)
                guard (1...64).contains(request.nodes) else {
                    throw EngineError.invalid("--nodes takes 1-64, not \(request.nodes)")
                }
                layout = Array(repeating: spec, count: request.nodes)
            case .captured(let snapshots):
                layout = try MachineConfig.zones(from: snapshots)
            case .state(let capture):
                var config = try MachineConfig.captured(
                    capture, minFreeKbytes: request.minFreeKbytes,
                    watermarkScaleFactor: request.watermarkScaleFactorGiven ? request.watermarkScaleFactor : nil,
                    watermarkBoostFactor: request.watermarkBoostFactor, swappiness: request.swappiness,
                    swap: request.swap, seed: request.seed)
                config.hugepages = request.hugepages
                return try install(config)
            }
        } catch let error as SimulatorError {
            throw EngineError(error)
        } catch let error as EngineError {
            throw error
        } catch {
            throw .failed("\(error)")
        }
        let config = MachineConfig(
            nodes: layout, minFreeKbytes: request.minFreeKbytes, thp: request.thp,
            watermarkScaleFactor: request.watermarkScaleFactor, watermarkBoostFactor: request.watermarkBoostFactor,
            swappiness: request.swappiness, swap: request.swap, used: request.used, cleanCache: request.cache,
            dirtyCache: request.dirty, seed: request.seed, ramBytes: ramBytes)
        var withPool = config
        withPool.hugepages = request.hugepages
        return try install(withPool)
    }

    /// Builds the machine `config` describes and makes it the machine.
    private func install(_ config: MachineConfig) throws(EngineError) -> MachineOutcome {
        let sim = try Self.build(config)
        install(sim)
        return Self.outcome(sim)
    }

    public func reset() throws(EngineError) -> MachineOutcome {
        let sim = try Self.build(simulator?.bootConfig ?? .course())
        install(sim)
        return Self.outcome(sim)
    }

    public func run(seconds: Double) throws(EngineError) -> RunOutcome {
        let sim = try machine()
        let start = sim.now
        sim.run(seconds: seconds, interrupted: interrupted)
        return RunOutcome(start: start, now: sim.now, interrupted: interrupted())
    }

    public func fillCache(_ size: Pages, dirty: Bool) throws(EngineError) -> CacheOutcome {
        let sim = try machine()
        let pid: Int
        do { pid = try sim.startCacheFill(size: size, dirty: dirty) } catch { throw EngineError(error) }
        let used = sim.runUntilIdle(interrupted: interrupted)
        return CacheOutcome(size: size, dirty: dirty, left: sim.remaining(pid: pid), seconds: used)
    }

    public func readFile(name: String, size: Pages?) throws(EngineError) -> FileReadOutcome {
        let sim = try machine()
        let before = sim.vmstat
        let read: Simulator.FileRead
        do { read = try sim.startFileRead(name: name, size: size) } catch { throw EngineError(error) }
        let used = sim.runUntilIdle(interrupted: interrupted)
        let after = sim.vmstat
        func moved(_ k: String) -> Pages { Pages((after[k] ?? 0) - (before[k] ?? 0)) }
        return FileReadOutcome(
            name: name, size: read.size, cached: read.cached, activated: read.activated, fromDisk: read.missing,
            refaulted: moved("workingset_refault_file"), refaultsActivated: moved("workingset_activate_file"),
            left: sim.remaining(pid: read.pid), seconds: used)
    }

    public func sysctl(name: VMSysctlName) throws(EngineError) -> Int64 { try machine().sysctl(name) }

    public func setSysctl(name: VMSysctlName, value: Int64) throws(EngineError) -> SysctlChange {
        let sim = try machine()
        let old: Int64
        do { old = try sim.setSysctl(name, value: value) } catch { throw EngineError(error) }
        // The value as /proc/sys/vm reads it back: a pool that could not grow all the way reads what it holds.
        return SysctlChange(
            name: name, old: old, new: sim.sysctl(name), time: sim.now, zones: sim.zoneSnapshots(),
            perCPU: Pages(sim.perCPUHugePages))
    }

    // MARK: Helpers

    static func outcome(_ sim: Simulator) -> MachineOutcome {
        MachineOutcome(
            summary: sim.config.summary, minFreeKbytes: sim.config.minFreeKbytes,
            watermarkScaleFactor: sim.config.watermarkScaleFactor, swappiness: sim.config.swappiness,
            zones: sim.zoneSnapshots(), hugepages: sim.hugePages, hugepagesAsked: sim.config.hugepages)
    }

    /// `hog`, then `hog2`, `hog3`, … whichever is not in use.
    static func freeName(base: String, taken: [String]) -> String {
        let live = Set(taken)
        if !live.contains(base) { return base }
        var i = 2
        while live.contains("\(base)\(i)") { i += 1 }
        return "\(base)\(i)"
    }
}

extension KswapdState {
    /// The state of the simulator's kswapd phase.
    init(_ phase: Simulator.Kswapd.Phase) {
        switch phase {
        case .sleeping: self = .sleeping
        case .running: self = .running
        case .napping: self = .napping
        }
    }
}

extension EngineError {
    /// The simulator's error, worded as it words it, in English and Korean.
    init(_ error: SimulatorError) { self = .said(en: error.description, ko: error.sentenceKo ?? error.description) }
}
