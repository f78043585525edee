import Foundation
import SwapLabModel

/// Constants of mm/vmscan.c and the simulator's cost model (per-page times in seconds).
enum SimConstants {
    /// `DEF_PRIORITY`.
    static let defPriority = 12
    /// `SWAP_CLUSTER_MAX`.
    static let swapClusterMax: Int64 = 32
    /// `MAX_RECLAIM_RETRIES`.
    static let maxReclaimRetries = 16
    /// `schedule_timeout(HZ/10)` in `kswapd_try_to_sleep()`.
    static let napSeconds = 0.1
    /// Samples while something happens.
    static let sampleInterval = 0.1
    /// From `wake_up_interruptible()` to `kswapd_wake`. `swaplab-bench fit` measures the `mm_vmscan_wakeup_kswapd`
    /// -> `mm_vmscan_kswapd_wake` gap at 40 µs (D6b) to 1.9 ms (D1b), median of the runs' medians 100 µs: not applied
    /// yet; with it and the fitted `dropCost` the course's tuning/swappiness-200 and -0 steps fail.
    static let wakeLatency = 0.000_05
    /// Scanning (isolating and checking) one page.
    static let scanCost = 0.000_000_1
    /// Dropping one clean page-cache page (~1.5 GiB/s, `live-lab.md` §5: 139k pages in 0.4 s). `swaplab-bench fit`
    /// measures each run's fastest 100 ms of `pgsteal_file` without swap-out at 0.81 µs (D1b) to 1.73 µs (D2a) a page,
    /// median 0.98 µs: not applied yet (see `wakeLatency`).
    static let dropCost = 0.000_002_5
    /// Writing one anonymous page to swap (~280 MiB/s, `live-lab.md` §8). `swaplab-bench fit` measures 169 MiB/s
    /// (D2a, direct reclaim) to 238 MiB/s (D1b, kswapd alone), median 203: not applied; with it as well, lesson 3's
    /// kswapd/push-below-low step fails too (its 200 MiB/s hog outruns kswapd: one wake-sleep cycle, not three).
    static let swapOutCost = 0.000_014
    /// Moving one page between lists.
    static let rotateCost = 0.000_000_1
    /// Fixed writeback latency of dirty page cache met by reclaim.
    static let writebackLatency = 0.1
    /// A task writing random bytes to fresh anonymous pages (~1.5 GiB/s, `live-lab.md` §8).
    static let defaultAllocRate = Double(1_536 << 20) / 4096
    /// Reading a file into the page cache.
    static let cacheRate = Double(2 << 30) / 4096
    /// Swap-in on re-read (~340 MiB/s, `live-lab.md` §8; the fixture runs' median is 320 MiB/s, 280 D2a … 360 D1b,
    /// within 10 %, so it stays).
    static let swapInRate = Double(340 << 20) / 4096
    /// Trace events that scale with pages (`mm_vmscan_write_folio`, `mm_vmscan_lru_shrink_inactive`) recorded at most
    /// this many times per machine; beyond it they are counted in `suppressedBulkEvents`.
    static let bulkEventLimit = 20_000
    /// Milestone events (wakes, sleeps, direct reclaim, OOM kills) recorded at most; later ones are counted.
    static let milestoneEventLimit = 50_000
    /// Direct reclaim begin/end events recorded between each merged call's first and last (`splitIntoCalls`).
    static let directCallEventLimit = 20_000
    /// Samples kept at most: beyond it the older three quarters are thinned to every other sample (counted), so a
    /// day of simulated time still charts from start to end in bounded memory.
    static let sampleLimit = 20_000
    /// `GFP_HIGHUSER_MOVABLE`'s highest zone: `ZONE_MOVABLE` (3 on x86-64).
    static let userHighestIndex = 3
}

/// The kernel's `enum zone_type` index on x86-64 (no HighMem): DMA 0, DMA32 1, Normal 2, Movable 3, Device 4.
func kernelZoneIndex(_ z: ZoneType) -> Int { z.index }

/// A deterministic, page-population model of Linux reclaim on a virtual clock.
///
/// Follows `reference/kernel.md` §1–§2 and §5: per-zone watermarks and protection from `WatermarkFormula`, the
/// allocator's fast path at low and slow path at min (`__alloc_pages_slowpath()`), kswapd per node
/// (`kswapd()`, `balance_pgdat()`, `kswapd_try_to_sleep()`), direct reclaim (`try_to_free_pages()`), the classic
/// two-list LRU with second chance (`shrink_lruvec()`, `folio_check_references()`), swappiness balance
/// (`get_scan_count()`), and the OOM killer (`oom_badness()`). Pages are held as cohorts, so cost grows with
/// allocations and events, not with memory size. It never reads wall time; `seed` drives the only randomness.
public final class Simulator {
    /// One zone's state.
    struct Zone {
        var node: Int
        var type: ZoneType
        var kernelIndex: Int
        var managed: Int64
        var free: Int64
        var marks: Watermarks
        /// `lowmem_reserve[]`, one entry per kernel zone index 0…4 (DMA, DMA32, Normal, Movable, Device).
        var protection: [Int64]
        var startPFN: Int64
        /// Base pages of freed huge pages cached on the per-CPU lists (`pcp->lists` of order 9, which hold
        /// `pageblock_order` pages since Linux 5.13): taken, yet not free (`NR_FREE_PAGES` leaves them out), and
        /// only an order-9 allocation takes them back.
        var pcpHuge: Int64 = 0

        var min: Int64 { marks.min.count }
        var low: Int64 { marks.low.count }
        var high: Int64 { marks.high.count }
        /// Pages that may be taken while `free > mark + lowmem_reserve[highest]` holds page by page.
        func capacity(above mark: Int64, highest: Int) -> Int64 {
            Swift.max(0, free - (mark + protection[highest]))
        }
    }

    /// kswapd of one node (`pgdat->kswapd_*`).
    struct Kswapd {
        enum Phase: String, Codable, Sendable { case sleeping, running, napping }
        var phase: Phase = .sleeping
        /// Time of its next action (infinity while sleeping).
        var next = Double.infinity
        var priority = SimConstants.defPriority
        var runReclaimed: Int64 = 0
        /// `kswapd_failures`.
        var failures = 0
        /// A new `balance_pgdat()` run must begin (emit `kswapd_wake`, count `pageoutrun`).
        var startPending = false
        /// The priority loop ran out; finish the run at the next action.
        var endPending = false
        var highestIndex = SimConstants.userHighestIndex
    }

    /// One node (`pg_data_t`) with its lruvec.
    struct Node {
        var id: Int
        var zoneIDs: [Int]
        var lists = LRUVec()
        /// `lruvec->anon_cost`, `lruvec->file_cost` (`lru_note_cost()`).
        var anonCost: Int64 = 0
        var fileCost: Int64 = 0
        var dirty: Int64 = 0
        var kswapd = Kswapd()
        /// `LRU_UNEVICTABLE`: mlocked pages (and a capture's unevictable ones), never scanned, never swapped.
        var unevictable = LRUList()
        /// The hugetlb free list (`h->hugepage_freelists[nid]`), head first: how many huge pages came from which zone.
        var hugePool: [HugeRun] = []
        /// The eviction clock and the refault snapshot (mm/workingset.c).
        var workingset = WorkingsetState()
    }

    /// A process owning anonymous memory (`alloc NAME`), or `system` (the programs already running).
    struct Task {
        var name: String
        var pid: Int
        var resident: [Int64]
        var swapped: Int64 = 0
        /// Pages ever mapped (total-vm).
        var mapped: Int64 = 0
        var oomScoreAdj: Int = 0
        /// Started with `alloc --mlock`: its pages go on the unevictable list (`mlock_folio()`).
        var locked = false
        /// Of its resident pages, those on the unevictable list.
        var lockedPages: Int64 = 0
        /// Shadows of its swapped-out pages, oldest first (what `workingset_refault()` reads on swap-in).
        var shadows: [Shadow] = []
        /// Its pages are marked `MADV_COLD` as they are written (the lab's hogs): they go on the LRU without the
        /// PTE young bit, so reclaim takes them at their first scan.
        var cold = false
        var alive = true
        var killed = false
        var residentTotal: Int64 { resident.reduce(0, +) }
    }

    /// A file read with `cache --file NAME` (mm/filemap.c). Its pages are interchangeable (the simulator keeps no
    /// offsets): those in the page cache are cohorts owned by `Cohort.fileOwner(index)`, those evicted left shadows
    /// that the next read refaults (`workingset_refault()`).
    struct SimFile {
        var name: String
        var pages: Int64
        var resident: Int64 = 0
        /// Shadows of its evicted pages, oldest first.
        var shadows: [Shadow] = []
    }

    /// Something a task is doing over time: writing fresh anonymous pages, reading a file into the cache, or
    /// reading swapped pages back.
    struct Activity {
        enum Kind { case anon, file(dirty: Bool), swapIn }
        var kind: Kind
        /// Task index for anon and swap-in; `Cohort.pageCache` for file reads, `Cohort.fileOwner(i)` for a named file's.
        var owner: Int32
        var comm: String
        var pid: Int
        var remaining: Int64
        var rate: Double
        var carry: Double = 0
        var next: Double
        /// Stopped by an OOM kill or a failed allocation.
        var failed: String?
    }

    /// The machine with its vm sysctls as they are now (`sysctl` changes them while it runs).
    public private(set) var config: MachineConfig
    /// The machine as it was built, sysctls included: what `reset` builds again.
    public let bootConfig: MachineConfig
    /// Virtual seconds since the machine was built.
    public internal(set) var now: Double = 0
    var zones: [Zone] = []
    var nodes: [Node] = []
    /// Zone indices in allocation order for a task on node 0 (`zonelist` in node order).
    var zonelist: [Int] = []
    /// Free 2 MiB blocks (order 9 and up, counted in huge pages) of each zone, when a capture's buddyinfo said; nil
    /// when every free page is taken to lie in whole blocks.
    var freeHugeBlocks: [Int64]?
    var tasks: [Task] = []
    var activities: [Activity] = []
    /// Files read with `cache --file NAME`, in the order they were first read.
    var files: [SimFile] = []
    var counters = CounterSet()
    var swapFree: Int64
    var rng: SplitMix64
    var nextPID = 1000
    /// The longest allocation step while kswapd is awake: a quarter of the widest low→high gap at the default rate.
    var quantum: Double = 0.02

    var samples: [Sample] = []
    var events: [TraceEvent] = []
    var markers: [Marker] = []
    var stagedSamples: [Sample] = []
    var stagedEvents: [TraceEvent] = []
    var bulkEvents = 0
    /// Direct reclaim begin/end events between a merged call's first begin and last end (`splitIntoCalls`).
    var directCallEvents = 0
    /// Page-scaled events not recorded because of `SimConstants.bulkEventLimit`, and milestone events beyond
    /// `SimConstants.milestoneEventLimit`, by event name.
    public internal(set) var suppressedBulkEvents: [String: Int] = [:]
    /// Samples thinned out of the timeline to keep it within `SimConstants.sampleLimit`.
    public private(set) var thinnedSamples = 0
    var milestoneLimitNoted = false
    /// How many staged samples make a long `advance` flush them (see `advance(until:)`).
    var stagedFlushMark = 4096
    var thinningNoted = false
    var nextSampleIndex = 1
    /// When the most recently finished activity's last step ended.
    var lastActivityEnd = 0.0
    /// Each task's last `mm_vmscan_direct_reclaim_end` stamp: its next begin is never stamped before it, even when
    /// the two times were summed in a different order and differ in the last bit.
    var directReclaimEnds: [Int: Double] = [:]
    var markCounters: (label: String, time: Double, counters: CounterSet)
    var scratch: [Cohort] = []
    /// The swap device, shared by every writer and reader (see `SwapDevice`).
    var device = SwapDevice()
    /// Indices in `stagedSamples` of samples stamped ahead of the clock: a transfer queued after them that has started
    /// by their time is credited to them (`creditAhead`).
    var aheadSamples: [Int] = []

    /// Builds the machine: zones, watermarks and protection as the kernel sets them at boot, then the memory in use
    /// at start (`system` anon, page cache) placed above the high watermarks, so kswapd starts asleep.
    public init(config: MachineConfig) throws(SimulatorError) {
        try config.validate()
        self.config = config
        bootConfig = config
        swapFree = config.swap.count
        rng = SplitMix64(seed: config.seed)
        markCounters = ("start", 0, CounterSet())
        let all = config.allZones
        let marks: [Watermarks]
        do {
            marks = try WatermarkFormula.perZone(
                managed: all.map { ($0.spec.type, $0.spec.managed) }, minFreeKbytes: config.minFreeKbytes,
                scaleFactor: config.watermarkScaleFactor)
        } catch {
            throw .invalid(error.description)
        }
        var pfn: Int64 = 1
        for (n, specs) in config.nodes.enumerated() {
            let kernelZones: [(ZoneType, Pages)] = [ZoneType.dma, .dma32, .normal, .movable, .device].map { t in
                (t, specs.first { $0.type == t }?.managed ?? .zero)
            }
            let reserve = WatermarkFormula.lowmemReserve(managed: kernelZones)
            var ids: [Int] = []
            for spec in specs {
                let i = all.firstIndex { $0.node == n && $0.spec.type == spec.type }!
                let k = kernelZoneIndex(spec.type)
                if spec.type == .dma32 { pfn = Swift.max(pfn, 0x1000) }
                if spec.type == .normal && n == 0 && specs.contains(where: { $0.type == .dma32 }) {
                    pfn = Swift.max(pfn, 0x100000)
                }
                ids.append(zones.count)
                zones.append(
                    Zone(
                        node: n, type: spec.type, kernelIndex: k, managed: spec.managed.count,
                        free: spec.managed.count, marks: marks[i], protection: reserve[k], startPFN: pfn))
                pfn += spec.managed.count + spec.managed.count / 64
            }
            nodes.append(Node(id: n, zoneIDs: ids))
        }
        let builtZones = zones
        var list: [Int] = []
        for node in nodes {
            list += node.zoneIDs.filter {
                builtZones[$0].managed > 0 && builtZones[$0].kernelIndex <= SimConstants.userHighestIndex
            }.sorted { builtZones[$0].kernelIndex > builtZones[$1].kernelIndex }
        }
        zonelist = list
        guard !zonelist.isEmpty else {
            throw .noMemory("no zone can serve user allocations; give Normal or DMA32 pages")
        }
        if let capture = config.capture { applyCapturedZones(capture) }
        setQuantum()
        if let capture = config.capture {
            placeCapturedMemory(capture)
        } else {
            try placeInitialMemory()
        }
        if config.hugepages > 0 { resizeHugePool(to: config.hugepages) }
        recordSample(at: 0)
        flushStaged()
    }

    /// Sets the step length from the widest low→high gap, so a step cannot leap past a whole gap.
    private func setQuantum() {
        let maxGap = zones.map { $0.high - $0.low }.max() ?? 0
        quantum = Swift.min(0.02, Swift.max(0.001, Double(maxGap) / 4 / SimConstants.defaultAllocRate))
    }

    /// `sysctl -w NAME=VALUE` on the running machine: a value outside the kernel's range is refused with it;
    /// `vm.min_free_kbytes` and `vm.watermark_scale_factor` recompute every zone's min, low and high as
    /// `__setup_per_zone_wmarks()` does (lowmem_reserve stays: the kernel recomputes it only on
    /// `lowmem_reserve_ratio` writes and hotplug). Marked on the timeline and sampled, so the chart shows the new
    /// marks from now; the next step allocates and reclaims against them. Returns the old value.
    @discardableResult
    public func setSysctl(_ name: VMSysctlName, value: Int64) throws(SimulatorError) -> Int64 {
        guard name.range.contains(value) else {
            throw .outOfRange(setting: name.rawValue, value: value, range: name.range)
        }
        let old = sysctl(name)
        var c = config
        switch name {
        case .minFreeKbytes: c.minFreeKbytesOverride = value
        case .watermarkScaleFactor: c.watermarkScaleFactor = value
        case .watermarkBoostFactor: c.watermarkBoostFactor = value
        case .swappiness: c.swappiness = value
        case .nrHugepages:
            // `set_max_huge_pages()`: the pool grows from the zones or gives huge pages back to them; the marks and
            // protection stay (managed pages do not change).
            resizeHugePool(to: value)
            addMarker("sysctl \(name.rawValue)=\(value)" + (hugePages == value ? "" : " (pool: \(hugePages))"))
            recordSample(at: now)
            flushStaged(through: now)
            return old
        }
        if name.setsWatermarks {
            let marks: [Watermarks]
            do {
                marks = try WatermarkFormula.perZone(
                    managed: c.allZones.map { ($0.spec.type, $0.spec.managed) }, minFreeKbytes: c.minFreeKbytes,
                    scaleFactor: c.watermarkScaleFactor)
            } catch {
                throw .invalid(error.description)
            }
            // `zones` was built in `allZones` order (node by node, zone by zone).
            for i in zones.indices { zones[i].marks = marks[i] }
            config = c
            trimPerCPULists()
            setQuantum()
        } else {
            config = c
        }
        addMarker("sysctl \(name.rawValue)=\(value)")
        recordSample(at: now)
        flushStaged(through: now)
        return old
    }

    /// `swapon` of a new swap area of `pages` while the machine runs (the lab's swapfile). Marked on the timeline.
    public func addSwap(_ pages: Pages) {
        guard pages.count > 0 else { return }
        config.swap = Pages(config.swap.count.saturatingAdd(pages.count))
        swapFree = swapFree.saturatingAdd(pages.count)
        addMarker("swapon \(Quantity.format(bytes: pages.bytes))")
    }

    /// `swapoff` of a swap area of `pages` added with `addSwap`, when that much swap is free (the simulator keeps no
    /// slot map, so it cannot read back only one area's pages). Returns whether it was removed.
    @discardableResult
    public func removeSwap(_ pages: Pages) -> Bool {
        guard pages.count > 0, pages.count <= swapFree, pages.count <= config.swap.count else { return false }
        config.swap = Pages(config.swap.count - pages.count)
        swapFree -= pages.count
        addMarker("swapoff \(Quantity.format(bytes: pages.bytes))")
        return true
    }

    /// The value of a vm sysctl now, as /proc/sys/vm shows it.
    public func sysctl(_ name: VMSysctlName) -> Int64 {
        switch name {
        case .minFreeKbytes: return config.minFreeKbytes
        case .watermarkScaleFactor: return config.watermarkScaleFactor
        case .watermarkBoostFactor: return config.watermarkBoostFactor
        case .swappiness: return config.swappiness
        case .nrHugepages: return hugePages
        }
    }

    /// Places `used` (task `system`, active anon) and the start-up page cache (half active, half inactive; the dirty
    /// part inactive) without reclaim, keeping every zone above high.
    private func placeInitialMemory() throws(SimulatorError) {
        let wanted = config.used.count + config.cleanCache.count + config.dirtyCache.count
        let room = zonelist.reduce(Int64(0)) { $0 + zones[$1].capacity(above: zones[$1].high + 1, highest: 3) }
        guard wanted <= room else { throw .doesNotFit(wanted: Pages(wanted), room: Pages(room)) }
        if config.used.count > 0 {
            tasks.append(Task(name: "system", pid: 500, resident: Array(repeating: 0, count: nodes.count)))
            var perZone = [Int64](repeating: 0, count: zones.count)
            takeInitial(config.used.count, into: &perZone)
            for (z, p) in perZone.enumerated() where p > 0 {
                let n = zones[z].node
                nodes[n].lists[LRUKind.activeAnon].add(
                    Cohort(owner: 0, zone: z, count: p, young: true, referenced: true))
                tasks[0].resident[n] += p
            }
            tasks[0].mapped = config.used.count
        }
        let activeHalf = config.cleanCache.count / 2
        for (amount, kind, dirty) in [
            (activeHalf, LRUKind.activeFile, false), (config.cleanCache.count - activeHalf, .inactiveFile, false),
            (config.dirtyCache.count, .inactiveFile, true),
        ] where amount > 0 {
            var perZone = [Int64](repeating: 0, count: zones.count)
            takeInitial(amount, into: &perZone)
            for (z, p) in perZone.enumerated() where p > 0 {
                let n = zones[z].node
                nodes[n].lists[kind].add(
                    Cohort(owner: Cohort.pageCache, zone: z, count: p, young: false, referenced: true, dirty: dirty))
                if dirty { nodes[n].dirty += p }
            }
        }
    }

    /// Takes `pages` from the zonelist in order, keeping every zone above high.
    private func takeInitial(_ pages: Int64, into perZone: inout [Int64]) {
        var need = pages
        for z in zonelist where need > 0 {
            let take = Swift.min(need, zones[z].capacity(above: zones[z].high + 1, highest: 3))
            zones[z].free -= take
            perZone[z] += take
            need -= take
        }
    }

    // MARK: - Public actions

    /// Starts `alloc SIZE --name NAME`: a new task writing `size` of anonymous memory at `rate` pages a second,
    /// mlocked (`mlock`: on the unevictable list) or marked `MADV_COLD` as written (`cold`). Returns the task's pid.
    @discardableResult
    public func startAllocation(
        name: String, size: Pages, rate: Double? = nil, mlock: Bool = false, cold: Bool = false
    ) throws(SimulatorError) -> Int {
        guard size.count > 0 else { throw .invalid("the size must be at least one page (4096 bytes)") }
        if let rate, !(rate > 0) { throw .invalid("the rate must be above zero, e.g. --rate 200M/s") }
        guard !tasks.contains(where: { $0.alive && $0.name == name }) else { throw .taskExists(name: name) }
        let pid = nextPID
        nextPID += 1
        tasks.append(
            Task(name: name, pid: pid, resident: Array(repeating: 0, count: nodes.count), locked: mlock, cold: cold))
        activities.append(
            Activity(
                kind: .anon, owner: Int32(tasks.count - 1), comm: String(name.prefix(15)), pid: pid,
                remaining: size.count, rate: rate ?? SimConstants.defaultAllocRate, next: now))
        addMarker("alloc \(name) \(Quantity.format(bytes: size.bytes))\(mlock ? " mlock" : "")")
        return pid
    }

    /// Starts `cache SIZE [--dirty]`: a reader (`cat`) or writer (`dd`) filling the page cache. Returns its pid.
    @discardableResult
    public func startCacheFill(size: Pages, dirty: Bool) throws(SimulatorError) -> Int {
        guard size.count > 0 else { throw .invalid("the size must be at least one page (4096 bytes)") }
        let pid = nextPID
        nextPID += 1
        activities.append(
            Activity(
                kind: .file(dirty: dirty), owner: Cohort.pageCache, comm: dirty ? "dd" : "cat", pid: pid,
                remaining: size.count, rate: SimConstants.cacheRate, next: now))
        addMarker("cache \(Quantity.format(bytes: size.bytes))\(dirty ? " dirty" : "")")
        return pid
    }

    /// What `cache --file NAME` found when it began: pages already in the page cache (read from there), of those the
    /// ones a second access activated, and the pages it must read from disk (refaults where a shadow is left).
    public struct FileRead: Sendable, Hashable {
        public var pid: Int
        public var size: Pages
        public var cached: Pages
        public var activated: Pages
        public var missing: Pages
    }

    /// Starts `cache [SIZE] --file NAME`: `cat` reads the whole of file NAME, SIZE long (given the first time; a later
    /// read may leave it out or give the same size).
    @discardableResult
    public func startFileRead(name: String, size: Pages?) throws(SimulatorError) -> FileRead {
        let index: Int
        if let i = files.firstIndex(where: { $0.name == name }) {
            if let size, size.count != files[i].pages {
                throw .fileSizeDiffers(name: name, size: Quantity.format(bytes: Pages(files[i].pages).bytes))
            }
            guard !activities.contains(where: { $0.owner == Cohort.fileOwner(i) }) else { throw .fileBusy(name: name) }
            index = i
        } else {
            guard let size else { throw .fileUnread(name: name) }
            guard size.count > 0 else { throw .invalid("the size must be at least one page (4096 bytes)") }
            files.append(SimFile(name: name, pages: size.count))
            index = files.count - 1
        }
        let found = beginFileRead(index)
        let pid = nextPID
        nextPID += 1
        if found.missing > 0 {
            activities.append(
                Activity(
                    kind: .file(dirty: false), owner: Cohort.fileOwner(index), comm: "cat", pid: pid,
                    remaining: found.missing, rate: SimConstants.cacheRate, next: now))
        }
        addMarker("cache --file \(name)")
        return FileRead(
            pid: pid, size: Pages(files[index].pages), cached: Pages(found.cached), activated: Pages(found.activated),
            missing: Pages(found.missing))
    }

    /// `touch NAME`: the task reads every page; resident pages become young, swapped pages are read back
    /// (`do_swap_page()`: `pswpin`, `pgmajfault`, `workingset_refault_anon`). Returns the pages to swap in.
    @discardableResult
    public func startTouch(name: String) throws(SimulatorError) -> Pages {
        let i = try taskIndex(name)
        for n in nodes.indices {
            for lru in [LRUKind.inactiveAnon, .activeAnon] {
                nodes[n].lists[lru].update(owner: Int32(i)) { $0.young = true }
            }
        }
        addMarker("touch \(name)")
        let swapped = tasks[i].swapped
        if swapped > 0 {
            activities.append(
                Activity(
                    kind: .swapIn, owner: Int32(i), comm: String(tasks[i].name.prefix(15)), pid: tasks[i].pid,
                    remaining: swapped, rate: SimConstants.swapInRate, next: now))
        }
        return Pages(swapped)
    }

    /// `release NAME`: the task exits; its resident pages return to their zones and its swap slots are freed.
    public func release(name: String) throws(SimulatorError) {
        let i = try taskIndex(name)
        freeTask(i)
        addMarker("release \(name)")
    }

    /// `release all`: every task started with `alloc` exits (`system` stays).
    public func releaseAll() {
        for i in tasks.indices where tasks[i].alive && tasks[i].name != "system" { freeTask(i) }
        addMarker("release all")
    }

    /// `mark LABEL`: a marker on the timeline, and the base for counter deltas.
    public func mark(_ label: String) {
        addMarker(label)
        markCounters = (label, now, settledCounters(at: horizon))
    }

    /// Lets `seconds` of virtual time pass, or less when `interrupted` returns true (checked between actions).
    public func run(seconds: Double, interrupted: () -> Bool = { false }) {
        advance(until: now + Swift.max(0, seconds), interrupted: interrupted)
    }

    /// Runs until no activity is left (every allocation, cache fill and touch finished or was stopped), at most
    /// `limit` virtual seconds, or until `interrupted` returns true (checked between actions, so Ctrl-C is seen
    /// at once however much one simulated second holds). Returns the virtual time used.
    @discardableResult
    public func runUntilIdle(limit: Double = 3600, interrupted: () -> Bool = { false }) -> Double {
        let start = now
        while !activities.isEmpty, now - start < limit, !interrupted() {
            advance(until: Swift.min(start + limit, now + 1.0), stopWhenIdle: true, interrupted: interrupted)
        }
        return now - start
    }

    /// Whether any allocation, cache fill or touch is still in progress.
    public var isBusy: Bool { !activities.isEmpty }

    /// Whether the allocation, cache fill or touch of `pid` is still in progress.
    public func isBusy(pid: Int) -> Bool { activities.contains { $0.pid == pid } }

    /// The pages the activity of `pid` has still to do, or nil when it is not in progress.
    public func remaining(pid: Int) -> Pages? {
        activities.first { $0.pid == pid }.map { Pages(Swift.max(0, $0.remaining)) }
    }

    // MARK: - Reading the state

    /// The timeline so far: samples, events and markers on the virtual clock.
    public func timeline() -> Timeline {
        let pendingEvents = stableSorted(stagedEvents) { $0.time }
        let pendingSamples = stableSorted(stagedSamples) { $0.time }
        return Timeline(
            machine: machineDescription, samples: samples + pendingSamples, events: events + pendingEvents,
            markers: markers)
    }

    /// What the timeline says about the machine it came from.
    public var machineDescription: MachineDescription {
        MachineDescription(
            engine: "sim", summary: config.summary, minFreeKbytes: config.minFreeKbytes,
            watermarkScaleFactor: config.watermarkScaleFactor, swappiness: config.swappiness, swapPages: config.swap)
    }

    /// Every zone as /proc/zoneinfo would show it now (for `watermarks`).
    public func zoneSnapshots() -> [ZoneSnapshot] {
        zones.map { z in
            ZoneSnapshot(
                node: z.node, zone: z.type, free: Pages(z.free), min: z.marks.min, low: z.marks.low,
                high: z.marks.high, boost: .zero, managed: Pages(z.managed), protection: z.protection)
        }
    }

    /// Counter values now, by /proc/vmstat name (event counters and gauges), with `nr_unevictable` and `nr_mlock`.
    public var vmstat: [String: Int64] {
        var d = currentCounters()
        d["nr_unevictable"] = unevictablePages
        d["nr_mlock"] = tasks.reduce(0) { $0 + $1.lockedPages }
        return d
    }

    /// Pages on the unevictable lists (`nr_unevictable`).
    public var unevictablePages: Int64 { nodes.reduce(0) { $0 + $1.unevictable.total } }

    /// Counter values at the last `mark` (or at start), its label and time.
    public var lastMark: (label: String, time: Double, counters: [String: Int64]) {
        var d = markCounters.counters.dictionary
        for g in VMGauge.allCases { d[g.rawValue] = nil }
        return (markCounters.label, markCounters.time, d)
    }

    /// The pages task `name` (the newest alive one of that name) has in swap, nil when there is none.
    public func swapped(task name: String) -> Pages? {
        tasks.last { $0.alive && $0.name == name }.map { Pages($0.swapped) }
    }

    /// Whether any node's kswapd is running or napping.
    public var kswapdAwake: Bool { nodes.contains { $0.kswapd.phase != .sleeping } }

    /// Swap space in use.
    public var swapUsed: Pages { Pages(config.swap.count - swapFree) }

    // MARK: - Internals shared by the other files

    func taskIndex(_ name: String) throws(SimulatorError) -> Int {
        guard let i = tasks.lastIndex(where: { $0.alive && $0.name == name }) else {
            throw .noSuchTask(name: name, known: tasks.filter(\.alive).map(\.name))
        }
        return i
    }

    /// Frees everything task `i` holds (exit or OOM kill): resident pages back to the zones they came from
    /// (`page_zone()`), swap slots freed.
    func freeTask(_ i: Int) {
        var perZone = [Int64](repeating: 0, count: zones.count)
        for n in nodes.indices {
            for lru in [LRUKind.inactiveAnon, .activeAnon] {
                _ = nodes[n].lists[lru].removeAll(owner: Int32(i), perZone: &perZone)
            }
            if tasks[i].lockedPages > 0 { _ = nodes[n].unevictable.removeAll(owner: Int32(i), perZone: &perZone) }
            tasks[i].resident[n] = 0
        }
        tasks[i].lockedPages = 0
        for (z, p) in perZone.enumerated() { zones[z].free += p }
        swapFree += tasks[i].swapped
        tasks[i].swapped = 0
        tasks[i].shadows = []
        tasks[i].alive = false
        activities.removeAll { $0.owner == Int32(i) }
    }

    func addMarker(_ label: String) {
        markers.append(Marker(time: now, label: label))
    }

    func currentCounters(at t: Double? = nil) -> [String: Int64] {
        var d = settledCounters(at: t ?? horizon).dictionary
        d[VMGauge.nrFreePages.rawValue] = zones.reduce(0) { $0 + $1.free }
        let sums = LRUKind.allCases.map { k in nodes.reduce(Int64(0)) { $0 + $1.lists[k].total } }
        d[VMGauge.nrInactiveAnon.rawValue] = sums[0]
        d[VMGauge.nrActiveAnon.rawValue] = sums[1]
        d[VMGauge.nrInactiveFile.rawValue] = sums[2]
        d[VMGauge.nrActiveFile.rawValue] = sums[3]
        d[VMGauge.nrDirty.rawValue] = nodes.reduce(0) { $0 + $1.dirty }
        d[VMGauge.nrSwapcached.rawValue] = 0
        return d
    }

    /// The latest time stamped so far: the clock, or the end of an action that took time (its events and samples are
    /// stamped ahead of the clock). The counters a command reports count the swap transfers complete by then, so they
    /// agree with the last sample of the timeline.
    var horizon: Double {
        var h = now
        for x in stagedSamples where x.time > h { h = x.time }
        for x in stagedEvents where x.time > h { h = x.time }
        return h
    }

    /// The counters at `t` with only the swap transfers complete by then: pages still being written (`pswpout`,
    /// `nr_vmscan_write`, `pgsteal_anon`, `pgsteal_kswapd` or `pgsteal_direct`) or read (`pswpin`, `pgmajfault`,
    /// `workingset_refault_anon`) are counted as they complete (see `SwapDevice`).
    func settledCounters(at t: Double) -> CounterSet {
        var c = counters
        device.forget(through: now)
        let pending = device.pending(at: t)
        let written = pending.kswapd + pending.direct
        guard written + pending.read > 0 else { return c }
        for name in [VMCounter.pswpout, .nrVmscanWrite, .pgstealAnon] { c[name] -= written }
        c[.pgstealKswapd] -= pending.kswapd
        c[.pgstealDirect] -= pending.direct
        for name in [VMCounter.pswpin, .pgmajfault, .workingsetRefaultAnon] { c[name] -= pending.read }
        return c
    }

    /// Samples every zone as /proc/zoneinfo would print it, `protection:` included: without it a reader of the
    /// timeline cannot tell which zone balanced the node (`pgdat_balanced()` compares free with high + protection).
    func recordSample(at t: Double) {
        let zs = zones.map {
            ZoneSample(
                node: $0.node, zone: $0.type, free: Pages($0.free), min: $0.marks.min, low: $0.marks.low,
                high: $0.marks.high, managed: Pages($0.managed), protection: $0.protection)
        }
        if t > now {
            aheadSamples.removeAll { stagedSamples[$0].time <= now }
            aheadSamples.append(stagedSamples.count)
        }
        stagedSamples.append(Sample(time: t, zones: zs, counters: currentCounters(at: t)))
    }

    /// Credits the part of `x` done by each sample stamped ahead of the clock, so every sample counts exactly the
    /// transfers complete by its time, whenever it was taken.
    func creditAhead(_ x: SwapDevice.Transfer) {
        for i in aheadSamples where stagedSamples[i].time > x.start {
            let done = x.pages - x.pending(at: stagedSamples[i].time)
            let names: [String]
            switch x.kind {
            case .kswapdWrite: names = ["pswpout", "nr_vmscan_write", "pgsteal_anon", "pgsteal_kswapd"]
            case .directWrite: names = ["pswpout", "nr_vmscan_write", "pgsteal_anon", "pgsteal_direct"]
            case .read: names = ["pswpin", "pgmajfault", "workingset_refault_anon"]
            }
            for name in names { stagedSamples[i].counters[name, default: 0] += done }
        }
    }

    /// Records a milestone event with a sample of the state it was decided on; beyond
    /// `SimConstants.milestoneEventLimit` it is only counted (with its sample), and a marker says so once.
    func emit(
        _ t: Double, comm: String, pid: Int, cpu: Int = 0, _ tracepoint: TracepointName,
        _ payload: @autoclosure () -> String
    ) {
        let name = tracepoint.rawValue
        if events.count + stagedEvents.count - bulkEvents - directCallEvents >= SimConstants.milestoneEventLimit {
            if !milestoneLimitNoted {
                milestoneLimitNoted = true
                markers.append(
                    Marker(
                        time: Swift.max(now, Swift.min(t, now)),
                        label: "timeline limit: further milestone events are counted, not recorded"))
            }
            suppressedBulkEvents[name, default: 0] += 1
            return
        }
        stagedEvents.append(
            TraceEvent(time: t, comm: comm, pid: pid, cpu: cpu, flags: ".....", name: name, payload: payload()))
        recordSample(at: t)
    }

    /// Records a page-scaled event unless the bulk limit is reached (then only counts it).
    func emitBulk(
        _ t: Double, comm: String, pid: Int, cpu: Int, _ tracepoint: TracepointName,
        _ payload: @autoclosure () -> String
    ) {
        let name = tracepoint.rawValue
        if bulkEvents >= SimConstants.bulkEventLimit {
            noteSuppressed(tracepoint, 1, at: t)
            return
        }
        bulkEvents += 1
        stagedEvents.append(
            TraceEvent(time: t, comm: comm, pid: pid, cpu: cpu, flags: ".....", name: name, payload: payload()))
    }

    /// Counts page-scaled events left out by the limit; the first time, says so with a marker.
    func noteSuppressed(_ tracepoint: TracepointName, _ count: Int, at t: Double) {
        if suppressedBulkEvents.isEmpty {
            markers.append(
                Marker(
                    time: Swift.max(now, Swift.min(t, now)),
                    label: "trace limit: further write_folio/lru_shrink_inactive events are counted, not recorded"))
        }
        suppressedBulkEvents[tracepoint.rawValue, default: 0] += count
    }

    /// Moves staged samples and events up to `limit` into the timeline in time order. Actions that take time stamp
    /// their ends ahead of the clock, so later ones stay staged until the clock passes them.
    func flushStaged(through limit: Double = .infinity) {
        if !stagedEvents.isEmpty {
            let sorted = stableSorted(stagedEvents) { $0.time }
            let cut = sorted.firstIndex { $0.time > limit } ?? sorted.count
            events.append(contentsOf: sorted[..<cut])
            stagedEvents = Array(sorted[cut...])
        }
        if !stagedSamples.isEmpty {
            let sorted = stableSorted(stagedSamples) { $0.time }
            let cut = sorted.firstIndex { $0.time > limit } ?? sorted.count
            samples.append(contentsOf: sorted[..<cut])
            stagedSamples = Array(sorted[cut...])
            aheadSamples = stagedSamples.indices.filter { stagedSamples[$0].time > now }
        }
        if samples.count > SimConstants.sampleLimit { thinSamples() }
    }

    /// Keeps the first sample and every other one of the older three quarters (the newest quarter, which lesson
    /// checks and `watch` read, stays whole); counts what was left out, and says so once with a marker.
    func thinSamples() {
        let old = samples.count * 3 / 4
        var kept: [Sample] = [samples[0]]
        kept.reserveCapacity(samples.count)
        for i in 1..<old where i % 2 == 0 { kept.append(samples[i]) }
        thinnedSamples += (old - 1) - (kept.count - 1)
        kept.append(contentsOf: samples[old...])
        samples = kept
        if thinnedSamples > 0 && !thinningNoted {
            thinningNoted = true
            markers.append(Marker(time: now, label: "timeline limit: older samples thinned to keep memory bounded"))
        }
    }

    private func stableSorted<T>(_ items: [T], by key: (T) -> Double) -> [T] {
        items.enumerated().sorted { a, b in
            let ka = key(a.element)
            let kb = key(b.element)
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
    }
}
