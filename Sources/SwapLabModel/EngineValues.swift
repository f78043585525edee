/// kswapd's state on one node, as balance_pgdat() and kswapd_try_to_sleep() in mm/vmscan.c move it.
public enum KswapdState: String, Sendable, Hashable, Codable {
    /// Asleep in kswapd_try_to_sleep() until wakeup_kswapd().
    case sleeping
    /// Reclaiming in balance_pgdat().
    case running
    /// The 100 ms nap (HZ/10) after the node was balanced, before sleeping for good.
    case napping
}

/// kswapd of one node.
public struct KswapdStatus: Sendable, Hashable {
    public var node: Int
    /// Nil when the engine cannot see it (the live engine without tracing).
    public var state: KswapdState?
    /// `kswapd_failures`: runs in a row that reclaimed nothing; nil when the engine cannot see it.
    public var failures: Int?
    /// `node_unreclaimable` as /proc/zoneinfo prints it (kswapd_failures >= MAX_RECLAIM_RETRIES).
    public var nodeUnreclaimable: Bool

    public init(node: Int, state: KswapdState?, failures: Int?, nodeUnreclaimable: Bool) {
        (self.node, self.state, self.failures, self.nodeUnreclaimable) = (node, state, failures, nodeUnreclaimable)
    }
}

/// What a task started with `alloc` is doing.
public enum TaskState: String, Sendable, Hashable, Codable {
    /// Still allocating or reading back.
    case running
    /// Holding its memory.
    case idle
    /// Ended by `release`.
    case released
    /// Chosen by the OOM killer.
    case killed

    /// Whether the task still holds memory.
    public var isAlive: Bool { self == .running || self == .idle }
}

/// What a task writes into its pages (the live hog; the simulator does not model contents).
public enum AllocationFill: String, CaseIterable, Sendable, Hashable, Codable {
    /// Random bytes: swap cannot compress them (zswap, zram).
    case random
    /// Zero bytes.
    case zero
}

/// A task holding anonymous memory (the simulator's tasks, the live engine's hogs).
public struct TaskStatus: Sendable, Hashable {
    public var name: String
    public var pid: Int
    public var resident: Pages
    public var swapped: Pages
    public var state: TaskState
    /// The size it was asked to write, where the engine keeps it.
    public var requested: Pages?
    /// What it wrote, where the engine knows.
    public var fill: AllocationFill?
    /// Of `resident`, the pages it holds mlocked (on the unevictable list), where the engine knows.
    public var locked: Pages?

    public init(
        name: String, pid: Int, resident: Pages, swapped: Pages, state: TaskState, requested: Pages? = nil,
        fill: AllocationFill? = nil, locked: Pages? = nil
    ) {
        (self.name, self.pid, self.resident, self.swapped, self.state) = (name, pid, resident, swapped, state)
        (self.requested, self.fill, self.locked) = (requested, fill, locked)
    }
}

/// The vm sysctls the watermarks and reclaim depend on; nil where the engine cannot read one.
public struct VMSettings: Sendable, Hashable {
    public var minFreeKbytes: Int64?
    public var watermarkScaleFactor: Int64?
    public var watermarkBoostFactor: Int64?
    public var swappiness: Int64?

    public init(
        minFreeKbytes: Int64?, watermarkScaleFactor: Int64?, watermarkBoostFactor: Int64?, swappiness: Int64?
    ) {
        self.minFreeKbytes = minFreeKbytes
        self.watermarkScaleFactor = watermarkScaleFactor
        self.watermarkBoostFactor = watermarkBoostFactor
        self.swappiness = swappiness
    }
}

/// A vm sysctl the simulated machine takes while it runs (`sysctl vm.watermark_scale_factor 1000`), with the range
/// `proc_dointvec_minmax` accepts in 6.18 (its `extra1`/`extra2`).
public enum VMSysctlName: String, CaseIterable, Sendable, Hashable {
    case minFreeKbytes = "vm.min_free_kbytes"
    case watermarkScaleFactor = "vm.watermark_scale_factor"
    case watermarkBoostFactor = "vm.watermark_boost_factor"
    case swappiness = "vm.swappiness"
    /// The persistent hugetlb pool of the default huge page size (2 MiB on x86-64), in huge pages
    /// (`hugetlb_sysctl_handler()` → `set_max_huge_pages()` in mm/hugetlb.c).
    case nrHugepages = "vm.nr_hugepages"

    /// `vm.swappiness`, `swappiness`, `vm/swappiness` or `/proc/sys/vm/swappiness`: as sysctl(8) and the file name.
    public init?(name: String) {
        var key = name
        for prefix in ["/proc/sys/", "vm.", "vm/"] where key.hasPrefix(prefix) { key.removeFirst(prefix.count) }
        guard let found = Self.allCases.first(where: { $0.rawValue == "vm." + key }) else { return nil }
        self = found
    }

    /// The values the kernel accepts; anything else is `EINVAL` ("Invalid argument").
    public var range: ClosedRange<Int64> {
        switch self {
        case .minFreeKbytes, .watermarkBoostFactor: return 0...Int64(Int32.max)
        case .watermarkScaleFactor: return 1...3000
        case .swappiness: return 0...200
        // `proc_doulongvec_minmax`: any unsigned long; the simulator holds at most `Limits.maxPages` (4 PiB).
        case .nrHugepages: return 0...(Limits.maxPages / 512)
        }
    }

    /// Whether writing it recomputes the watermarks (`min_free_kbytes_sysctl_handler()` and
    /// `watermark_scale_factor_sysctl_handler()` call `setup_per_zone_wmarks()`).
    public var setsWatermarks: Bool { self == .minFreeKbytes || self == .watermarkScaleFactor }
}

/// A vm sysctl written on the simulated machine: its value before and after, and the zones with the marks the
/// write set (`__setup_per_zone_wmarks()`; protection is left as it was, as the kernel leaves it).
public struct SysctlChange: Sendable, Hashable {
    public var name: VMSysctlName
    public var old: Int64
    public var new: Int64
    /// Simulated seconds at the write: the next step allocates and reclaims against the new values.
    public var time: Double
    /// Every zone after the write.
    public var zones: [ZoneSnapshot]
    /// Pages of freed huge pages waiting on the per-CPU lists after the write: taken, yet not counted free.
    public var perCPU: Pages

    public init(
        name: VMSysctlName, old: Int64, new: Int64, time: Double, zones: [ZoneSnapshot], perCPU: Pages = .zero
    ) {
        self.perCPU = perCPU
        self.name = name
        self.old = old
        self.new = new
        self.time = time
        self.zones = zones
    }
}

/// The page cache and anonymous memory (/proc/vmstat nr_file_pages, nr_dirty, nr_anon_pages).
public struct MemoryUse: Sendable, Hashable {
    public var file: Pages
    public var dirty: Pages
    public var anon: Pages
    /// Pages on the unevictable list (`nr_unevictable`: mlocked pages), nil where the engine does not say.
    public var unevictable: Pages?
    /// Pages held by the persistent hugetlb pool (`HugePages_Total` × 512), nil where the engine does not say.
    public var hugetlb: Pages?

    public init(file: Pages, dirty: Pages, anon: Pages, unevictable: Pages? = nil, hugetlb: Pages? = nil) {
        (self.file, self.dirty, self.anon) = (file, dirty, anon)
        (self.unevictable, self.hugetlb) = (unevictable, hugetlb)
    }
}

/// The machine now, the same facts on both engines: `status` renders it.
public struct EngineStatus: Sendable, Hashable {
    public var engine: EngineKind
    public var clock: EngineClock
    /// Seconds on `clock`.
    public var time: Double
    /// The machine in a few words (`4 GiB RAM, 2 GiB swap, 1 node`, `Linux 6.18.0`).
    public var machine: String
    public var settings: VMSettings
    /// Every zone, populated or not, as /proc/zoneinfo shows it.
    public var zones: [ZoneSnapshot]
    public var kswapd: [KswapdStatus]
    public var swapTotal: Pages
    public var swapUsed: Pages
    public var memory: MemoryUse?
    public var tasks: [TaskStatus]
    /// Whether the private trace instance is on; nil where tracing is not a thing (the simulator records always).
    public var tracing: Bool?
    /// /proc/vmstat counters by name.
    public var counters: [String: Int64]

    public init(
        engine: EngineKind, clock: EngineClock, time: Double, machine: String, settings: VMSettings,
        zones: [ZoneSnapshot], kswapd: [KswapdStatus], swapTotal: Pages, swapUsed: Pages, memory: MemoryUse?,
        tasks: [TaskStatus], tracing: Bool?, counters: [String: Int64]
    ) {
        (self.engine, self.clock, self.time, self.machine, self.settings) = (engine, clock, time, machine, settings)
        (self.zones, self.kswapd, self.swapTotal, self.swapUsed) = (zones, kswapd, swapTotal, swapUsed)
        (self.memory, self.tasks, self.tracing, self.counters) = (memory, tasks, tracing, counters)
    }
}

/// One row of `vmstat`: a counter now and its change since the mark (nil for a gauge such as nr_free_pages).
public struct CounterRow: Sendable, Hashable {
    public var name: String
    public var value: Int64
    public var delta: Int64?

    public init(name: String, value: Int64, delta: Int64?) {
        (self.name, self.value, self.delta) = (name, value, delta)
    }
}

/// /proc/vmstat counters now and since the last mark: `vmstat` renders it.
public struct CounterReport: Sendable, Hashable {
    public var engine: EngineKind
    public var clock: EngineClock
    public var time: Double
    public var markLabel: String
    public var markTime: Double
    /// The rows `vmstat` shows, in its order.
    public var rows: [CounterRow]
    /// Every counter read, by name (more than `rows` on the simulator).
    public var values: [String: Int64]

    public init(
        engine: EngineKind, clock: EngineClock, time: Double, markLabel: String, markTime: Double,
        rows: [CounterRow], values: [String: Int64]
    ) {
        (self.engine, self.clock, self.time, self.markLabel, self.markTime) = (engine, clock, time, markLabel, markTime)
        (self.rows, self.values) = (rows, values)
    }

    /// The change of every row that has one, by name.
    public var deltas: [String: Int64] {
        var d: [String: Int64] = [:]
        for row in rows { if let delta = row.delta { d[row.name] = delta } }
        return d
    }
}

/// Whether the engine's trace has been recording.
public enum TraceRecording: Sendable, Hashable {
    /// Every event is recorded from the start (the simulator).
    case always
    /// Tracing was never turned on in this session.
    case never
    /// Tracing was turned on (and may be off again).
    case started
}

/// The trace events an engine recorded: `events` renders them as trace_pipe prints them.
public struct EventLog: Sendable, Hashable {
    public var events: [TraceEvent]
    public var recording: TraceRecording
    /// Events counted but not recorded, by name (the simulator's limit on page-scaled events).
    public var suppressed: [String: Int]
    /// Older events dropped to bound memory.
    public var dropped: Int

    public init(events: [TraceEvent], recording: TraceRecording, suppressed: [String: Int] = [:], dropped: Int = 0) {
        (self.events, self.recording, self.suppressed, self.dropped) = (events, recording, suppressed, dropped)
    }
}

/// The zones `watermarks` shows, and MemFree where the engine has it.
public struct ZoneReading: Sendable, Hashable {
    public var engine: EngineKind
    public var zones: [ZoneSnapshot]
    public var memFree: Pages?

    public init(engine: EngineKind, zones: [ZoneSnapshot], memFree: Pages?) {
        (self.engine, self.zones, self.memFree) = (engine, zones, memFree)
    }
}

/// Memory pressure stall information (/proc/pressure/memory, psi_show() in kernel/sched/psi.c).
public enum MemoryPressure: Sendable, Hashable {
    /// The engine does not model it (the simulator).
    case notModelled
    /// The kernel has no PSI file at `path`.
    case unavailable(path: String)
    /// The avg10 percentages of `some` and, when the kernel prints it, `full`.
    case averages(some: Double, full: Double?)
}

/// What `alloc` asks for.
public struct AllocationRequest: Sendable, Hashable {
    public var size: Pages
    /// The task's name; nil lets the engine choose one.
    public var name: String?
    /// Pages a second; nil for as fast as the engine writes.
    public var rate: Double?
    public var fill: AllocationFill
    /// Go ahead even if free memory would fall below the floor (live).
    public var force: Bool
    /// The floor free memory must stay above (live); nil for the engine's default.
    public var floor: Pages?
    /// `mlock()` the pages as they are written: they go on the unevictable list, never scanned or swapped (sim).
    public var mlock: Bool

    public init(
        size: Pages, name: String? = nil, rate: Double? = nil, fill: AllocationFill = .random, force: Bool = false,
        floor: Pages? = nil, mlock: Bool = false
    ) {
        (self.size, self.name, self.rate, self.fill, self.force, self.floor) = (size, name, rate, fill, force, floor)
        self.mlock = mlock
    }
}

/// How a task's work ended.
public enum TaskEnding: Sendable, Hashable {
    /// It did all it was asked.
    case finished
    /// Ctrl-C or the time limit stopped the wait; the task goes on when time passes.
    case stopped
    /// The OOM killer chose it.
    case killed
}

/// What `alloc` did.
public struct AllocationOutcome: Sendable, Hashable {
    public var name: String
    public var pid: Int
    public var requested: Pages
    /// Pages written (resident or swapped) when the wait ended.
    public var written: Pages
    /// Seconds on the engine's clock.
    public var seconds: Double
    public var clock: EngineClock
    public var ending: TaskEnding
    /// What the pages hold, where the engine writes real bytes.
    public var fill: AllocationFill?
    /// The task's oom_score_adj as read back from /proc, where the engine sets it.
    public var oomScoreAdj: Int?

    public init(
        name: String, pid: Int, requested: Pages, written: Pages, seconds: Double, clock: EngineClock,
        ending: TaskEnding, fill: AllocationFill? = nil, oomScoreAdj: Int? = nil
    ) {
        (self.name, self.pid, self.requested, self.written, self.seconds) = (name, pid, requested, written, seconds)
        (self.clock, self.ending, self.fill, self.oomScoreAdj) = (clock, ending, fill, oomScoreAdj)
    }
}

/// What `touch` did.
public struct TouchOutcome: Sendable, Hashable {
    public var name: String
    /// Pages read back.
    public var pages: Pages
    /// Pages that had to come back from swap.
    public var fromSwap: Pages
    /// Of those, the pages not back yet when the wait was stopped; nil when it finished.
    public var left: Pages?
    public var seconds: Double
    public var clock: EngineClock
    /// Pages whose contents differed from what was written; nil where the engine does not check contents.
    public var badPages: Int64?

    public init(
        name: String, pages: Pages, fromSwap: Pages, left: Pages?, seconds: Double, clock: EngineClock,
        badPages: Int64?
    ) {
        (self.name, self.pages, self.fromSwap, self.left, self.seconds) = (name, pages, fromSwap, left, seconds)
        (self.clock, self.badPages) = (clock, badPages)
    }
}

/// One task `release` ended.
public struct ReleasedTask: Sendable, Hashable {
    public var name: String
    public var pid: Int
    public var resident: Pages
    public var swapped: Pages
    /// How the process ended when that was not the usual SIGTERM (live), e.g. `killed by signal 9 (SIGKILL)`.
    public var unusualExit: String?

    public init(name: String, pid: Int, resident: Pages, swapped: Pages, unusualExit: String? = nil) {
        (self.name, self.pid, self.resident, self.swapped, self.unusualExit) = (
            name, pid, resident, swapped, unusualExit
        )
    }
}

/// What `release` did.
public struct ReleaseOutcome: Sendable, Hashable {
    /// The name asked for, or `all`.
    public var asked: String
    public var tasks: [ReleasedTask]

    public init(asked: String, tasks: [ReleasedTask]) { (self.asked, self.tasks) = (asked, tasks) }
}

/// Where `mark` put its marker.
public struct MarkOutcome: Sendable, Hashable {
    public var label: String
    public var time: Double
    public var clock: EngineClock

    public init(label: String, time: Double, clock: EngineClock) {
        (self.label, self.time, self.clock) = (label, time, clock)
    }
}

/// The machine `machine` asks the simulator for.
public struct MachineRequest: Sendable, Hashable {
    /// Where the zones come from.
    public enum Zones: Sendable, Hashable {
        /// A real x86-64 box with this much RAM, split evenly over the nodes.
        case ram(bytes: Int64)
        /// Managed pages per zone on every node, as `DMA=3840,DMA32=772915,Normal=5394266`.
        case managed(String)
        /// The zones of a captured /proc/zoneinfo.
        case captured([ZoneSnapshot])
        /// A captured machine's state: each zone's free pages, marks, protection and LRU pages, and dirty pages.
        case state(MachineCapture)
    }

    public var zones: Zones
    public var nodes: Int
    public var minFreeKbytes: Int64?
    public var thp: Bool
    public var watermarkScaleFactor: Int64
    public var watermarkBoostFactor: Int64
    public var swappiness: Int64
    public var swap: Pages
    public var used: Pages?
    public var cache: Pages?
    public var dirty: Pages
    public var seed: UInt64
    /// `vm.nr_hugepages` written once the machine runs: the pool is taken from the zones as mm/hugetlb.c takes it.
    public var hugepages: Int64
    /// `vm.watermark_scale_factor` was given (else a captured machine's is read off its marks).
    public var watermarkScaleFactorGiven: Bool

    public init(
        zones: Zones, nodes: Int, minFreeKbytes: Int64?, thp: Bool, watermarkScaleFactor: Int64,
        watermarkBoostFactor: Int64, swappiness: Int64, swap: Pages, used: Pages?, cache: Pages?, dirty: Pages,
        seed: UInt64, hugepages: Int64 = 0, watermarkScaleFactorGiven: Bool = true
    ) {
        (self.zones, self.nodes, self.minFreeKbytes, self.thp) = (zones, nodes, minFreeKbytes, thp)
        (self.watermarkScaleFactor, self.watermarkBoostFactor, self.swappiness) =
            (watermarkScaleFactor, watermarkBoostFactor, swappiness)
        (self.swap, self.used, self.cache, self.dirty, self.seed) = (swap, used, cache, dirty, seed)
        (self.hugepages, self.watermarkScaleFactorGiven) = (hugepages, watermarkScaleFactorGiven)
    }
}

/// One zone of a captured machine as /proc/zoneinfo prints it: the snapshot (free, marks, managed, protection) and
/// the zone's LRU pages (`nr_zone_inactive_anon`, …, `nr_zone_unevictable`).
public struct ZoneCapture: Sendable, Hashable, Codable {
    public var snapshot: ZoneSnapshot
    public var inactiveAnon: Pages
    public var activeAnon: Pages
    public var inactiveFile: Pages
    public var activeFile: Pages
    public var unevictable: Pages
    /// Free 2 MiB blocks (order 9 and up, in huge pages) when a buddyinfo of the same moment gave them; nil when not
    /// known (then all free memory is taken to lie in whole blocks).
    public var freeHugeBlocks: Int64?

    public init(
        snapshot: ZoneSnapshot, inactiveAnon: Pages, activeAnon: Pages, inactiveFile: Pages, activeFile: Pages,
        unevictable: Pages
    ) {
        (self.snapshot, self.inactiveAnon, self.activeAnon) = (snapshot, inactiveAnon, activeAnon)
        (self.inactiveFile, self.activeFile, self.unevictable) = (inactiveFile, activeFile, unevictable)
    }
}

/// A captured machine to start the simulator from (`machine --zoneinfo FILE [--vmstat FILE]`): every zone, and the
/// dirty page cache (`nr_dirty`, from the vmstat capture or the zoneinfo's node stats).
public struct MachineCapture: Sendable, Hashable, Codable {
    public var zones: [ZoneCapture]
    public var dirty: Pages
    /// CPUs per node, as many as the zoneinfo printed `cpu:` entries for one zone's pagesets; 0 when unknown.
    public var cpus = 0

    public init(zones: [ZoneCapture], dirty: Pages) { (self.zones, self.dirty) = (zones, dirty) }
}

/// The machine the simulator made (or reset).
public struct MachineOutcome: Sendable, Hashable {
    public var summary: String
    public var minFreeKbytes: Int64
    public var watermarkScaleFactor: Int64
    public var swappiness: Int64
    public var zones: [ZoneSnapshot]
    /// Huge pages in the hugetlb pool, and how many `--hugepages` asked for (the pool stops short of what the
    /// allocator's fast path cannot give).
    public var hugepages: Int64
    public var hugepagesAsked: Int64

    public init(
        summary: String, minFreeKbytes: Int64, watermarkScaleFactor: Int64, swappiness: Int64, zones: [ZoneSnapshot],
        hugepages: Int64 = 0, hugepagesAsked: Int64 = 0
    ) {
        (self.summary, self.minFreeKbytes, self.watermarkScaleFactor, self.swappiness, self.zones) =
            (summary, minFreeKbytes, watermarkScaleFactor, swappiness, zones)
        (self.hugepages, self.hugepagesAsked) = (hugepages, hugepagesAsked)
    }
}

/// How far `run` took the simulated clock.
public struct RunOutcome: Sendable, Hashable {
    public var start: Double
    public var now: Double
    public var interrupted: Bool

    public init(start: Double, now: Double, interrupted: Bool) {
        (self.start, self.now, self.interrupted) = (start, now, interrupted)
    }
}

/// What `cache --file NAME` did: the whole file read, part from the page cache, the rest from disk.
public struct FileReadOutcome: Sendable, Hashable {
    public var name: String
    public var size: Pages
    /// Pages found in the page cache, and of those the ones this second access moved to the active list.
    public var cached: Pages
    public var activated: Pages
    /// Pages read from disk; of those, refaults (`workingset_refault_file`) and refaults recent enough to go straight
    /// to the active list (`workingset_activate_file`).
    public var fromDisk: Pages
    public var refaulted: Pages
    public var refaultsActivated: Pages
    /// Pages not yet read from disk when the wait was stopped; nil when it finished.
    public var left: Pages?
    public var seconds: Double

    public init(
        name: String, size: Pages, cached: Pages, activated: Pages, fromDisk: Pages, refaulted: Pages,
        refaultsActivated: Pages, left: Pages?, seconds: Double
    ) {
        (self.name, self.size, self.cached, self.activated) = (name, size, cached, activated)
        (self.fromDisk, self.refaulted, self.refaultsActivated) = (fromDisk, refaulted, refaultsActivated)
        (self.left, self.seconds) = (left, seconds)
    }
}

/// What `cache` did.
public struct CacheOutcome: Sendable, Hashable {
    public var size: Pages
    public var dirty: Bool
    /// Pages not yet read or written when the wait was stopped; nil when it finished.
    public var left: Pages?
    public var seconds: Double

    public init(size: Pages, dirty: Bool, left: Pages?, seconds: Double) {
        (self.size, self.dirty, self.left, self.seconds) = (size, dirty, left, seconds)
    }
}

/// Tracing has started.
public struct TraceStart: Sendable, Hashable {
    /// The events enabled, as `vmscan` or `vmscan/mm_vmscan_kswapd_wake`.
    public var events: [String]
    /// The instance's directory.
    public var path: String

    public init(events: [String], path: String) { (self.events, self.path) = (events, path) }
}

/// Tracing has stopped.
public struct TraceStop: Sendable, Hashable {
    public var linesRead: Int
    /// What could not be put back, one line each.
    public var leftBehind: [String]

    public init(linesRead: Int, leftBehind: [String]) { (self.linesRead, self.leftBehind) = (linesRead, leftBehind) }
}

/// Lines read from the trace and events the ring buffer lost (per_cpu/*/stats).
public struct TraceStats: Sendable, Hashable {
    /// Events the ring buffer lost, while the instance exists.
    public struct Loss: Sendable, Hashable {
        public var overrun: Int64
        public var commitOverrun: Int64
        public var dropped: Int64
        /// Entries not read yet.
        public var unread: Int64
        public var lost: Int64 { overrun + commitOverrun + dropped }

        public init(overrun: Int64, commitOverrun: Int64, dropped: Int64, unread: Int64) {
            (self.overrun, self.commitOverrun, self.dropped, self.unread) = (overrun, commitOverrun, dropped, unread)
        }
    }

    public var path: String
    public var running: Bool
    public var lines: Int
    public var bytes: Int64
    /// Nil once the instance is removed.
    public var loss: Loss?

    public init(path: String, running: Bool, lines: Int, bytes: Int64, loss: Loss?) {
        (self.path, self.running, self.lines, self.bytes, self.loss) = (path, running, lines, bytes, loss)
    }
}

/// One swap device of /proc/swaps.
public struct SwapDevice: Sendable, Hashable {
    public var path: String
    /// `partition` or `file`.
    public var type: String
    public var size: Pages
    public var used: Pages
    public var priority: Int
    /// Whether swaplab turned it on in this session (and will turn it off).
    public var isSwaplabs: Bool

    public init(path: String, type: String, size: Pages, used: Pages, priority: Int, isSwaplabs: Bool) {
        (self.path, self.type, self.size, self.used, self.priority, self.isSwaplabs) =
            (path, type, size, used, priority, isSwaplabs)
    }
}
