import Foundation
import SwapLabModel

/// Why the lab stopped, worded for the learner: what is wrong; what to do.
public enum LabError: LearnerError, SaidInKorean, Sendable {
    case needsRoot
    case preflight(String)
    case failed(String)
    case interrupted(String)
    case watchdog(String)
    /// A phase of the story fell short after every round the time allowed (docs/lab.md).
    case phase(LabPhase, String)

    public var description: String { sentence }

    public var remedy: String? {
        if case .needsRoot = self { return "run swaplab as root (sudo swaplab)" }
        return nil
    }

    public var problem: String {
        switch self {
        case .needsRoot:
            return "the lab changes sysctls, swap and huge pages, which needs root"
        case .preflight(let s), .failed(let s), .interrupted(let s), .watchdog(let s): return s
        case .phase(let p, let why): return "the lab's \(p.rawValue) phase fell short: \(why)"
        }
    }

    /// The sentence in Korean, where it has been written.
    public var sentenceKo: String? {
        guard case .needsRoot = self else { return nil }
        return "실습은 sysctl, swap, huge page를 바꾸므로 root가 필요합니다; swaplab을 root로 실행하세요 (sudo swaplab)"
    }

    /// The `failed_phase` word of `lab run --json` for this error.
    public var failedPhase: String {
        switch self {
        case .needsRoot, .preflight: return "preflight"
        case .failed: return "setup"
        case .interrupted: return "interrupted"
        case .watchdog: return "watchdog"
        case .phase(let p, _): return p.rawValue
        }
    }
}

/// The live lab (live-lab.md §5), step by step on any machine size: preflight, lazily initialised zones grown once,
/// a swapfile, a private trace instance, `watermark_scale_factor` chosen from the kernel formula, a hugetlb balloon,
/// a rate-limited hog under a 20 ms floor watchdog, the balloon released before the hog reads its pages back, then
/// everything restored and `node_unreclaimable` checked.
///
/// Every change is written to `journal` before it is made (the shell's journal, so quitting the shell and
/// `swaplab restore` undo it too), and `restore()` undoes exactly this runner's changes, newest first, on every
/// exit path (errors, `interrupted()` — Ctrl-C and SIGTERM set it — and the normal end).
public final class LabRunner: @unchecked Sendable {
    public let options: LabOptions
    public let journal: RestoreJournal
    public let root: SystemRoot
    /// Samples (100 ms), trace events and the lab's markers on `CLOCK_MONOTONIC`.
    public let liveTimeline: LiveTimeline
    private let say: (String) -> Void
    private let interrupted: () -> Bool

    /// This runner's journaled changes, oldest first (undone newest first).
    private var changes: [JournaledChange] = []
    private var trace: TraceInstance?
    private var watchdog: FloorWatchdog?
    /// The hog of each round, oldest first.
    private var hogs: [MemoryHog] = []
    /// Every hog's pid (kept after the hogs end, to read the story).
    private var hogPIDs: Set<Int> = []
    /// A hog stopped with SIGSTOP while free memory is near the floor.
    private var pausedHog: Int32?
    /// The balloon's journaled changes, oldest first (each one a top-up from the original value).
    private var balloonChanges: [JournaledChange] = []
    private var hugepagesOriginal: Int64 = 0
    private var hugePageSize: Int64 = 2 << 20
    /// `pswpout`, `pswpin` and `pgsteal_file` when the first hog started.
    private var vmstatAtHog: Vmstat?
    /// When the first hog started (the story is read from then on).
    private var storyStart: Double?
    private var minFreeOriginal: String?
    private var startTime = 0.0
    /// True between `prepare()` and `restore()`.
    public private(set) var isPrepared = false
    public private(set) var floor: Int64 = 0
    public private(set) var wakePoint: WakePoint?
    public private(set) var result = LabResult()

    static let mib: Int64 = 1 << 20
    static let gib: Int64 = 1 << 30
    var hugepagesPath: String { root.resolve("/proc/sys/vm/nr_hugepages") }

    public init(
        options: LabOptions = LabOptions(), journal: RestoreJournal, root: SystemRoot = SystemRoot(),
        progress: @escaping (String) -> Void, interrupted: @escaping () -> Bool = { false }
    ) {
        self.options = options
        self.journal = journal
        self.root = root
        self.liveTimeline = LiveTimeline(root: root)
        self.say = progress
        self.interrupted = interrupted
    }

    // MARK: The whole lab

    /// Runs the whole lab and restores everything, whatever happens. Throws only when the lab could not do what it
    /// set out to; the result (with `restored`) is in `result` either way.
    @discardableResult
    public func run() throws(LabError) -> LabResult {
        startTime = Syscall.monotonicSeconds()
        result = LabResult()
        result.direct = options.direct
        var failure: LabError?
        do {
            try prepareSteps()
            try hogSteps()
        } catch {
            failure = error
        }
        let restoreStart = Syscall.monotonicSeconds()
        let outcomes = restore()
        result.restoreSeconds = Syscall.monotonicSeconds() - restoreStart
        result.seconds = Syscall.monotonicSeconds() - startTime
        if failure == nil, !options.direct, let short = story(swapIn: result.pswpin).firstShortfall {
            failure = .phase(short.phase, short.why)
        }
        if failure == nil, !result.restored {
            failure = .failed("the lab could not put everything back (see above); run `restore`")
            result.failedPhase = "restore"
        }
        if let failure {
            for o in outcomes where o.result == .left { say("  left: \(o.description)") }
            result.verdict = "failed"
            if result.failedPhase == "none" { result.failedPhase = failure.failedPhase }
            result.reason = failure.description
            summarize()
            throw failure
        }
        result.verdict = "ok"
        summarize()
        return result
    }

    /// `lab prepare`: swapfile, tracing, watermark_scale_factor and balloon, with the watchdog on; the learner then
    /// allocates. Undone by `restore()`. On failure, what was done is undone before the error is thrown.
    public func prepare() throws(LabError) {
        startTime = Syscall.monotonicSeconds()
        result = LabResult()
        result.direct = options.direct
        do {
            try prepareSteps()
        } catch {
            restore()
            throw error
        }
        isPrepared = true
        say(
            "prepared: the wake point is \(mib(wakePoint?.wakePoint.bytes ?? 0)) MiB, "
                + "\(mib(wakePoint?.distance.bytes ?? 0)) MiB away; allocate more than that (alloc SIZE) and kswapd wakes. "
                + "`lab restore` undoes everything")
    }

    /// The timeline so far (samples, trace events, markers).
    public func timeline() -> Timeline {
        let s = try? VMSysctls.read(root: root)
        let release = (try? KernelRelease.read(root: root))?.release ?? "?"
        return liveTimeline.snapshot(
            machine: MachineDescription(
                engine: "live", summary: "Linux \(release), lab" + (options.direct ? " (direct reclaim)" : ""),
                minFreeKbytes: s?.minFreeKbytes,
                watermarkScaleFactor: result.watermarkScaleFactor > 0
                    ? result.watermarkScaleFactor : s?.watermarkScaleFactor,
                swappiness: s?.swappiness))
    }

    // MARK: Steps

    private func check() throws(LabError) {
        if interrupted() { throw .interrupted("interrupted; the lab stopped and is putting everything back") }
        if let t = watchdog?.tripped {
            throw .watchdog(
                "free memory fell to \(mib(t.free.bytes)) MiB, below the floor of \(mib(floor)) MiB: the watchdog killed "
                    + "the hog and released the balloon; try a smaller --hog or a lower --rate")
        }
    }

    private func mark(_ label: String) { liveTimeline.mark("lab: " + label) }
    func mib(_ bytes: Int64) -> Int64 { bytes / LabRunner.mib }

    private func readZones() throws(LabError) -> Zoneinfo {
        do { return try ZoneinfoParser.read(root: root) } catch { throw .failed("\(error)") }
    }

    /// Σ free of the eligible zones, re-read every 0.5 s until two reads are within 16 MiB (at most `seconds`):
    /// on VMs that report free pages to the host, freed memory comes back 1–10 s late in one step (live-lab.md §7.3).
    private func settledWakePoint(seconds: Double) throws(LabError) -> WakePoint {
        var last = WakePoint.userAllocation(try readZones().snapshots)
        let deadline = Syscall.monotonicSeconds() + seconds
        while Syscall.monotonicSeconds() < deadline {
            try check()
            Syscall.sleep(seconds: 0.5)
            let now = WakePoint.userAllocation(try readZones().snapshots)
            if abs(now.free.bytes - last.free.bytes) < 16 * LabRunner.mib { return now }
            last = now
        }
        return last
    }

    private func sysctl(_ name: String, _ value: String) throws(LabError) {
        let p = Sysctl.path(name, root: root.path)
        do {
            let old = try Sysctl.write(name, value, journal: journal, root: root.path)
            if old != value { changes.append(.sysctl(path: p, old: old, new: value)) }
        } catch {
            throw .failed("cannot set vm.\(name) to \(value): \(error)")
        }
    }

    /// `lab prepare`'s steps (live-lab.md §5): preflight and the watchdog, a swapfile, tracing, the watermarks, the
    /// balloon; `check()` between each.
    private func prepareSteps() throws(LabError) {
        let machine = try preflight()
        let zones = try startWatching(machine)
        try check()
        try addSwap()
        try check()
        try startTracing()
        try check()
        try setWatermarks(machine, zones: zones)
        try check()
        try fillBalloon()
    }

    /// What preflight read from the machine for the later steps.
    private struct Machine {
        var minFreeKbytes: Int64
        var watermarkScaleFactor: Int64
        var memTotalBytes: Int64
        var hugePageSize: Int64
        /// The tracefs mount point, or nil when the lab will mount it.
        var tracefs: String?
    }

    /// 1. Preflight: root, tracefs, swap that is not only zram, and the sysctls and /proc/meminfo values the lab
    /// needs; remembers the huge page settings to put back.
    private func preflight() throws(LabError) -> Machine {
        guard Syscall.isRoot else { throw .needsRoot }
        let survey = MachineSurvey.read(root: root)
        guard survey.tracefsMountPoint != nil || survey.tracefsMountable else {
            throw .preflight("this kernel has no tracefs (CONFIG_TRACING); the lab needs the vmscan trace events")
        }
        let swaps = (try? Swaps.read(root: root)) ?? []
        if !swaps.isEmpty && swaps.allSatisfy(\.isZram) {
            throw .preflight(
                "the only swap is zram (\(swaps.map(\.path).joined(separator: ", "))): random bytes do not compress, so "
                    + "zram gains nothing and costs RAM; swapoff it for the lab, or add disk swap")
        }
        if survey.zswapEnabled == true {
            say("note: zswap is on; the hog's random bytes do not compress, so zswap rejects them and they go to disk")
        }
        let sysctls: VMSysctls
        let meminfo: Meminfo
        do {
            sysctls = try VMSysctls.read(root: root)
            meminfo = try Meminfo.read(root: root)
        } catch { throw .failed("\(error)") }
        guard let minFree = sysctls.minFreeKbytes, let wsf = sysctls.watermarkScaleFactor,
            let total = meminfo.memTotal?.bytes
        else {
            throw .preflight(
                "this kernel lacks vm.watermark_scale_factor (4.6+) or min_free_kbytes; the lab needs both")
        }
        hugepagesOriginal = sysctls.nrHugepages ?? 0
        minFreeOriginal = String(minFree)
        let hugeSize = (meminfo.hugePageSizeKiB ?? 2048) * 1024
        hugePageSize = hugeSize
        return Machine(
            minFreeKbytes: minFree, watermarkScaleFactor: wsf, memTotalBytes: total, hugePageSize: hugeSize,
            tracefs: survey.tracefsMountPoint)
    }

    /// The floor and its 20 ms watchdog, the 100 ms sampler, and lazily initialised zones grown once (live-lab.md
    /// §4). Returns the zones as they are then.
    private func startWatching(_ machine: Machine) throws(LabError) -> Zoneinfo {
        var zones = try readZones()
        floor =
            options.floor
            ?? LabPlan.defaultFloor(
                minWatermarks: LabPlan.managedMin(zones.snapshots), memTotalBytes: machine.memTotalBytes)
        result.floorMib = mib(floor)
        let watchdog = FloorWatchdog(floor: Pages(bytes: floor), root: root)
        self.watchdog = watchdog
        watchdog.start()
        liveTimeline.startSampling()
        mark("start")
        let wp0 = WakePoint.userAllocation(zones.snapshots)
        say(
            "preflight: root, tracefs \(machine.tracefs ?? "(will be mounted)"), floor \(mib(floor)) MiB; "
                + "free \(mib(wp0.free.bytes)) MiB, kswapd wakes at \(mib(wp0.wakePoint.bytes)) MiB "
                + "(\(mib(wp0.distance.bytes)) MiB away with wsf \(machine.watermarkScaleFactor))")
        if zones.zones.contains(where: { $0.snapshot.present - $0.snapshot.managed >= FreeMemoryCheck.threshold }) {
            try growLazyZones(hugePageSize: machine.hugePageSize)
            zones = try readZones()
        }
        return zones
    }

    /// 2. Swap: a swapfile of ≥ 1.5× the expected hog when there is not that much free disk swap already.
    private func addSwap() throws(LabError) {
        let expectedHog = options.hog ?? LabRunner.hogBudget
        let want = LabPlan.swapfileSize(hog: expectedHog)
        let freeSwap = ((try? Swaps.read(root: root)) ?? []).filter { !$0.isZram }
            .reduce(Int64(0)) { $0 + ($1.size - $1.used).bytes }
        if freeSwap >= expectedHog * 3 / 2 {
            say("swap: \(mib(freeSwap)) MiB of swap free already; no swapfile needed")
            return
        }
        let t0 = Syscall.monotonicSeconds()
        do {
            let path = try Swapfile.create(bytes: want, journal: journal)
            result.swapfileMib = mib(want)
            changes.append(.swapFile(path: path))
            changes.append(.swapOn(path: path))
            say("swap: \(path), \(mib(want)) MiB, mode 0600, on in \(ms(Syscall.monotonicSeconds() - t0)) ms")
        } catch {
            throw .failed("cannot make a swapfile: \(error)")
        }
        mark("swap on")
    }

    /// 3. Tracing in a private instance, parsed into the timeline.
    private func startTracing() throws(LabError) {
        let timeline = liveTimeline
        do {
            trace = try TraceInstance(
                events: TraceInstance.defaultEvents, journal: journal,
                onLines: { lines in timeline.append(traceLines: lines) })
        } catch {
            throw .failed("\(error)" + (error.description.contains("File exists") ? "; run `trace off` first" : ""))
        }
        say("trace: vmscan and oom events in \(trace?.path ?? "?") (trace_clock mono, 16 MiB per CPU)")
        mark("trace on")
    }

    /// 4. Watermarks: for the direct variant `min_free_kbytes` raised and `watermark_scale_factor` 10, else the
    /// scale factor that puts the wake point where asked (`--wake-at`, default the floor + 1 GiB).
    private func setWatermarks(_ machine: Machine, zones: Zoneinfo) throws(LabError) {
        let (minFree, wsf) = (machine.minFreeKbytes, machine.watermarkScaleFactor)
        if options.direct {
            try raiseMinFree(current: minFree, zones: zones)
            if wsf != 10 { try sysctl("watermark_scale_factor", "10") }
            // /proc/zoneinfo is read again after the change, as in the other variant: a read that fails stops here.
            _ = try readZones()
            result.watermarkScaleFactor = 10
        } else {
            try raiseScaleFactor(from: wsf, minFreeKbytes: minFree, zones: zones)
        }
        result.minFreeKbytes = (try? VMSysctls.read(root: root))?.minFreeKbytes ?? minFree
        mark("watermarks set")
    }

    /// The `watermark_scale_factor` `LabPlan` chooses for the wake point asked for (the kernel formula,
    /// `__setup_per_zone_wmarks()` in mm/page_alloc.c), set and checked against /proc/zoneinfo.
    private func raiseScaleFactor(from wsf: Int64, minFreeKbytes minFree: Int64, zones: Zoneinfo) throws(LabError) {
        let release = try? KernelRelease.read(root: root)
        let maxWSF = LabPlan.maxScaleFactor(kernelAtLeast515: release?.isAtLeast(5, 15) ?? false)
        let target = options.wakeAt ?? floor + LabRunner.gib
        let choice = LabPlan.chooseScaleFactor(
            zones: zones.snapshots, minFreeKbytes: minFree, current: wsf, target: target, maxScaleFactor: maxWSF)
        if !choice.reachesTarget {
            if choice.wakePoint.bytes < floor + 256 * LabRunner.mib {
                throw .preflight(
                    "even watermark_scale_factor \(maxWSF) puts the wake point at \(mib(choice.wakePoint.bytes)) MiB, "
                        + "too close to the floor of \(mib(floor)) MiB on this machine; give a lower --floor")
            }
            say(
                "note: the largest watermark_scale_factor (\(maxWSF)) gives a wake point of "
                    + "\(mib(choice.wakePoint.bytes)) MiB, below the \(mib(target)) MiB asked for")
        }
        try sysctl("watermark_scale_factor", String(choice.scaleFactor))
        let measured = WakePoint.userAllocation(try readZones().snapshots)
        result.watermarkScaleFactor = choice.scaleFactor
        say(
            "watermarks: watermark_scale_factor \(wsf) → \(choice.scaleFactor): kswapd wakes at "
                + "\(mib(measured.wakePoint.bytes)) MiB free (computed \(mib(choice.wakePoint.bytes)) MiB; "
                + "floor \(mib(floor)) MiB + \(mib(measured.wakePoint.bytes - floor)) MiB)")
        if abs(measured.wakePoint.bytes - choice.wakePoint.bytes) > 64 * LabRunner.mib {
            say(
                "note: /proc/zoneinfo says \(mib(measured.wakePoint.bytes)) MiB, not the computed "
                    + "\(mib(choice.wakePoint.bytes)) MiB (a watermark boost, or memory moved meanwhile)")
        }
    }

    /// 5. Balloon: huge pages that bring free memory down to `balloonRoom` above the wake point; then the wake point
    /// as the learner's allocations will meet it.
    private func fillBalloon() throws(LabError) {
        let before = try settledWakePoint(seconds: 3)
        let pages = LabPlan.balloonPages(
            free: before.free.bytes, wakePoint: before.wakePoint.bytes, room: balloonRoom,
            hugePageSize: hugePageSize)
        if pages > 0 {
            try inflateBalloon(by: pages)
            Syscall.sleep(seconds: 0.5)
        } else {
            say("balloon: not needed (free is already within \(mib(balloonRoom)) MiB of the wake point)")
        }
        try check()
        wakePoint = WakePoint.userAllocation(try readZones().snapshots)
        result.wakePointMib = mib(wakePoint?.wakePoint.bytes ?? 0)
    }

    /// Free memory left above the wake point by the balloon: 512 MiB, 256 MiB in the direct variant.
    private var balloonRoom: Int64 { options.direct ? 256 * LabRunner.mib : 512 * LabRunner.mib }

    /// Adds `pages` huge pages to the balloon (journaled first, from the original value to the new one, so any one
    /// entry restores it) and returns how many the kernel granted. The watchdog releases it below the floor.
    @discardableResult
    private func inflateBalloon(by pages: Int64) throws(LabError) -> Int64 {
        let held = balloonHeld()
        let target = hugepagesOriginal + held + pages
        let change = JournaledChange.hugepages(path: hugepagesPath, old: hugepagesOriginal, new: target)
        watchdog?.watch(balloonPath: hugepagesPath, original: String(hugepagesOriginal))
        let t0 = Syscall.monotonicSeconds()
        do {
            try journal.record(change) { () throws -> Void in try Syscall.writeText(hugepagesPath, String(target)) }
        } catch {
            throw .failed("cannot set vm.nr_hugepages to \(target): \(error)")
        }
        changes.append(change)
        balloonChanges.append(change)
        let now = balloonHeld()
        result.balloonPages = max(result.balloonPages, now)
        result.balloonMib = mib(result.balloonPages * hugePageSize)
        say(
            "balloon: \(held > 0 ? "+" : "")\(now - held) of \(pages) huge pages (\(mib((now - held) * hugePageSize)) MiB"
                + (held > 0 ? ", \(mib(now * hugePageSize)) MiB in all" : "") + ") in "
                + "\(ms(Syscall.monotonicSeconds() - t0)) ms" + (now - held < pages ? "; the kernel granted fewer" : "")
        )
        mark("balloon \(now) huge pages")
        return now - held
    }

    /// Huge pages the balloon holds now (`HugePages_Total` above the original value).
    private func balloonHeld() -> Int64 {
        max(0, ((try? Meminfo.read(root: root))?.hugePagesTotal ?? hugepagesOriginal) - hugepagesOriginal)
    }

    /// Gives the balloon's memory back (every top-up, newest first).
    private func releaseBalloon() -> [UndoOutcome] {
        var outcomes: [UndoOutcome] = []
        for c in balloonChanges.reversed() { if let o = journal.undo(c) { outcomes.append(o) } }
        balloonChanges = []
        watchdog?.watch(balloonPath: nil, original: "")
        return outcomes
    }

    /// The direct-reclaim variant's `min_free_kbytes`: raised in steps while free is ≥ 4× the new value, to the floor
    /// + 384 MiB so that free held at min stays above the floor (live-lab.md §3, run D2a).
    private func raiseMinFree(current: Int64, zones: Zoneinfo) throws(LabError) {
        let targetKB = (floor + 384 * LabRunner.mib) / 1024
        let free = WakePoint.userAllocation(zones.snapshots).free.bytes
        let steps = LabPlan.minFreeSteps(current: current, target: targetKB, freeBytes: free)
        guard let last = steps.last, last >= targetKB else {
            throw .preflight(
                "the direct variant needs min_free_kbytes \(targetKB) (floor + 384 MiB) and 4× that free; free is "
                    + "\(mib(free)) MiB; give a lower --floor")
        }
        watchdog?.watch(minFreePath: Sysctl.path("min_free_kbytes", root: root.path), original: String(current))
        for s in steps {
            try check()
            try sysctl("min_free_kbytes", String(s))
            say("min_free_kbytes → \(s)")
            Syscall.sleep(seconds: 0.2)
        }
    }

    /// Grows lazily initialised zones once (live-lab.md §4): a hugetlb balloon in 1 GiB steps until `managed`
    /// stops growing, then released. Each step leaves free at least 1 GiB above the floor.
    private func growLazyZones(hugePageSize: Int64) throws(LabError) {
        let t0 = Syscall.monotonicSeconds()
        var zones = try readZones()
        let managed0 = zones.zones.reduce(Int64(0)) { $0 + $1.snapshot.managed.count }
        let present = zones.zones.reduce(Int64(0)) { $0 + $1.snapshot.present.count }
        say(
            "zones: Normal is initialised lazily (present \(mib(Pages(present).bytes)) MiB, managed "
                + "\(mib(Pages(managed0).bytes)) MiB); growing it once with a balloon in 1 GiB steps")
        let perStep = LabRunner.gib / hugePageSize
        let maxSteps = Pages(present).bytes / LabRunner.gib + 8
        let change = JournaledChange.hugepages(
            path: hugepagesPath, old: hugepagesOriginal, new: hugepagesOriginal + maxSteps * perStep)
        do {
            try journal.record(change) { () throws -> Void in }
        } catch { throw .failed("cannot write the restore journal: \(error)") }
        watchdog?.watch(balloonPath: hugepagesPath, original: String(hugepagesOriginal))
        var target = hugepagesOriginal
        var lastManaged = managed0
        var grewOnce = false
        var stillSteps = 0
        var failure: LabError?
        for _ in 0..<maxSteps {
            do { try check() } catch { failure = error; break }
            let free = WakePoint.userAllocation(zones.snapshots).free.bytes
            if free - LabRunner.gib < floor + LabRunner.gib { break }
            target += perStep
            if (try? Syscall.writeText(hugepagesPath, String(target))) == nil { break }
            guard let z = try? readZones() else { break }
            zones = z
            let managed = zones.zones.reduce(Int64(0)) { $0 + $1.snapshot.managed.count }
            let got = (try? Meminfo.read(root: root))?.hugePagesTotal ?? target
            if managed > lastManaged {
                grewOnce = true
                stillSteps = 0
            } else {
                stillSteps += 1
            }
            lastManaged = managed
            let lazyLeft = zones.zones.contains {
                $0.snapshot.present - $0.snapshot.managed >= FreeMemoryCheck.threshold
            }
            if got < target { break }
            if grewOnce && stillSteps >= 1 { break }
            if !lazyLeft && stillSteps >= 1 { break }
        }
        let outcome = journal.undo(change)
        if outcome?.result == .left { say("  \(outcome?.description ?? "")") }
        if let failure { throw failure }
        let managed = (try readZones()).zones.reduce(Int64(0)) { $0 + $1.snapshot.managed.count }
        let seconds = Syscall.monotonicSeconds() - t0
        result.zoneGrowthSeconds = (seconds * 10).rounded() / 10
        say(
            "zones: managed grew by \(mib(Pages(managed - managed0).bytes)) MiB in \(String(format: "%.1f", seconds)) s "
                + "(until reboot); balloon released")
        mark("zones grown")
    }

    /// The most the hogs of all rounds may hold together: 4 GiB (the swapfile is sized for it).
    static let hogBudget: Int64 = 4 << 30
    /// The swap-out the rounds aim for, twice what the swap-out phase needs: swap-in can read back only what left
    /// memory, and a page written late in a cycle may still be in the swap cache.
    static let swapOutAim: Int64 = 2 * LabStory.minimumSwapBytes
    /// The lab aims to end within this many seconds: no round starts that would end later, with the swap-in and
    /// the restore after it.
    static let timeLimit = 27.0
    /// How long a round waits for kswapd to go back to sleep; if it has not by the last round's end, releasing the
    /// balloon before the swap-in gives the zones their free memory back and kswapd sleeps then.
    static let sleepWait = 3.0
    /// Rounds at most.
    static let maxRounds = 4

    /// What the hogs have in swap now (Σ `VmSwap`): what their swap-in can read back. Other programs' idle pages
    /// are older on the LRU and may go to swap first; they count in `pswpout` but not here.
    private func hogSwapBytes() -> Int64 { hogs.reduce(Int64(0)) { $0 + ($1.memory?.swap?.bytes ?? 0) } }

    /// The story from the first hog on: the trace's milestones and the vmstat deltas.
    func story(swapIn: Int64? = nil) -> LabStory {
        guard let since = storyStart else { return LabStory() }
        let vm = try? Vmstat.read(root: root)
        let out = vm.flatMap { v in vmstatAtHog.map { (v["pswpout"] ?? 0) - ($0["pswpout"] ?? 0) } } ?? 0
        return LabStory(
            events: liveTimeline.milestones(), hogPIDs: hogPIDs, since: since,
            swapOutPages: swapIn == nil ? out : result.pswpout, swapInPages: swapIn ?? result.pswpin)
    }

    /// True when kswapd is not running a `balance_pgdat()` pass: its last traced milestone is a sleep, or it has
    /// none (a wake-up is traced only while kswapd waits on its queue: `wakeup_kswapd()` in mm/vmscan.c).
    private func kswapdAsleep() -> Bool {
        let last = liveTimeline.milestones().last {
            $0.name == TracepointName.kswapdWake.rawValue || $0.name == TracepointName.kswapdSleep.rawValue
        }
        return last == nil || last?.name == TracepointName.kswapdSleep.rawValue
    }

    /// Waits (at most `seconds`) until kswapd sleeps; true if it does.
    @discardableResult
    private func waitForKswapdSleep(seconds: Double) throws(LabError) -> Bool {
        let end = Syscall.monotonicSeconds() + seconds
        while !kswapdAsleep() {
            try check()
            if Syscall.monotonicSeconds() >= end { return false }
            Syscall.sleep(seconds: 0.1)
        }
        return true
    }

    /// The hog's rounds (docs/lab.md "Rounds"), each planned from free memory then and kept within `timeLimit`,
    /// until the story is told or no round fits; then the swap-in.
    private func hogSteps() throws(LabError) {
        guard let watchdog else { return }
        let rate = startStory(watchdog)
        var hogLeft = options.hog ?? LabRunner.hogBudget
        var round = 0
        // Bytes per second the hog writes unthrottled: measured after round 1 (a busy 2-core machine does ~400 MiB/s).
        var fastSpeed = 400.0 * Double(LabRunner.mib)
        while true {
            round += 1
            let plan = try planRound(round, hogLeft: hogLeft)
            if round > 1 && !roundFits(plan, rate: rate, fastSpeed: fastSpeed) {
                say("rounds: no time or room for round \(round) (the lab keeps within \(Int(LabRunner.timeLimit)) s)")
                break
            }
            result.rounds = round
            let hog = try hogRound(round, size: plan.size, fast: plan.fast, rate: rate, wakePoint: plan.wakePoint)
            if plan.fast > 256 * LabRunner.mib, let f = hog.fillSeconds, f > 0 {
                let slow = rate > 0 ? Double(plan.size - plan.fast) / rate : 0
                if f > slow { fastSpeed = max(100 * Double(LabRunner.mib), Double(plan.fast) / (f - slow)) }
            }
            hogLeft -= plan.size
            let st = try roundStory(round)
            if !anotherRound(after: st, round: round, hogLeft: hogLeft) { break }
        }
        progressLine(total: nil, done: nil)
        try check()
        try swapIn(watchdog)
    }

    /// The story starts with the first hog: the hog's rate (0 in the direct variant: unthrottled), the watchdog's
    /// lowest free memory reset, the clock and the /proc/vmstat counters the deltas are taken from. Returns the rate.
    private func startStory(_ watchdog: FloorWatchdog) -> Double {
        let rate = options.direct ? 0 : (options.rate ?? LabOptions.defaultRate)
        result.hogRateMibPerS = mib(Int64(rate))
        watchdog.resetLowest()
        storyStart = Syscall.monotonicSeconds()
        result.setupSeconds = (storyStart ?? startTime) - startTime
        vmstatAtHog = try? Vmstat.read(root: root)
        return rate
    }

    /// One round as planned: the wake point it starts from, the hog's size and its unthrottled first part, and the
    /// extra beyond the wake point it aims for.
    private struct RoundPlan {
        var wakePoint: WakePoint
        var extra: Int64
        var size: Int64
        var fast: Int64
    }

    /// Plans round `round` once kswapd sleeps and free memory has settled, topping the balloon up first when it is
    /// far from the wake point (not with `--hog` or `--direct`).
    private func planRound(_ round: Int, hogLeft: Int64) throws(LabError) -> RoundPlan {
        // kswapd must be waiting on its queue for the hog's wake-up to be traced (a balloon top-up near the
        // watermarks can wake it with order 9).
        try waitForKswapdSleep(seconds: 3)
        var wp = try settledWakePoint(seconds: round == 1 ? 2 : 1)
        let extra =
            round == 1
            ? LabPlan.hogExtra(wakePoint: wp.wakePoint.bytes, floor: floor) : LabRunner.gib / 2
        // Before the first hog free memory is whole 2 MiB blocks, so a top-up is safe close to the wake point;
        // after reclaim only far from it (see `LabPlan.round`).
        let topUp =
            round == 1 ? (balloonRoom + 256 * LabRunner.mib, balloonRoom) : (2 * LabRunner.gib, LabRunner.gib)
        var plan = LabPlan.round(
            free: wp.free.bytes, wakePoint: wp.wakePoint.bytes, extra: extra, hugePageSize: hugePageSize,
            hogLeft: hogLeft, topUpAbove: topUp.0, room: topUp.1)
        if options.hog == nil && plan.balloonPages > 0 && !options.direct {
            try inflateBalloon(by: plan.balloonPages)
            try waitForKswapdSleep(seconds: 2)
            wp = try settledWakePoint(seconds: 1)
            plan = LabPlan.round(
                free: wp.free.bytes, wakePoint: wp.wakePoint.bytes, extra: extra, hugePageSize: hugePageSize,
                hogLeft: hogLeft, topUpAbove: .max)
        }
        let size = options.hog.map { round == 1 ? $0 : 0 } ?? plan.hogBytes
        let fast = options.hog == nil ? plan.fastBytes : 0
        return RoundPlan(wakePoint: wp, extra: extra, size: size, fast: fast)
    }

    /// Whether a round after the first fits: the round, kswapd's sleep after it, reading back what is in swap by then
    /// (~200 MiB/s) and the restore must all end within `timeLimit`.
    private func roundFits(_ plan: RoundPlan, rate: Double, fastSpeed: Double) -> Bool {
        let inSwap = Double(hogSwapBytes() + plan.extra)
        let expected =
            Double(plan.fast) / fastSpeed + (rate > 0 ? Double(plan.size - plan.fast) / rate : 1) + LabRunner.sleepWait
            + inSwap / (200 * Double(LabRunner.mib)) + 2
        return plan.size > 0 && Syscall.monotonicSeconds() + expected <= startTime + LabRunner.timeLimit
    }

    /// The story after round `round`, once kswapd (woken by the hog and still at work) has had what time allows to
    /// swap more out or to sleep; says what the round did.
    private func roundStory(_ round: Int) throws(LabError) -> LabStory {
        var st = story()
        if st.shortfall(.wake) == nil && !kswapdAsleep()
            && hogSwapBytes() < LabRunner.swapOutAim
        {
            let end = min(Syscall.monotonicSeconds() + 5, startTime + LabRunner.timeLimit - 10)
            while Syscall.monotonicSeconds() < end && !kswapdAsleep()
                && hogSwapBytes() < LabRunner.swapOutAim
            {
                try check()
                Syscall.sleep(seconds: 0.1)
            }
            st = story()
        }
        let fell = LabPhase.allCases.dropLast().compactMap { p in st.shortfall(p).map { "\(p.rawValue): \($0)" } }
        say(
            "round \(round): \(mib(hogSwapBytes())) MiB of the hogs in swap; the hog woke kswapd \(st.hogWakeups) "
                + "time(s) (\(st.wakeups) in all), \(st.wakesAfterHogWakeup) pass(es) and \(st.sleepsAfterHogWakeup) "
                + "sleep(s) after; swapped out \(mib(Pages(st.swapOutPages).bytes)) MiB"
                + (fell.isEmpty ? "" : "; short: " + fell.joined(separator: "; ")))
        return st
    }

    /// Whether to run another round after `st`: not with `--direct` or `--hog`, not once kswapd was woken by the hog
    /// and enough of the hogs is in swap, and not beyond `maxRounds` or the hog budget. Says why when it does.
    private func anotherRound(after st: LabStory, round: Int, hogLeft: Int64) -> Bool {
        if options.direct || options.hog != nil { return false }
        if st.shortfall(.wake) == nil && hogSwapBytes() >= LabRunner.swapOutAim { return false }
        // kswapd still awake after the hog woke it: more rounds would not be traced as the hog's; it sleeps
        // once the balloon is released, at the latest.
        if st.shortfall(.wake) == nil && hogSwapBytes() >= LabStory.minimumSwapBytes && !kswapdAsleep() { return false }
        if round >= LabRunner.maxRounds || hogLeft < 256 * LabRunner.mib { return false }
        say(
            "rounds: "
                + (st.roundsDone
                    ? "less than \(mib(LabRunner.swapOutAim)) MiB of the hogs in swap" : "the story is short")
                + "; another round, sized from free memory now")
        return true
    }

    /// 8. Swap-in: the balloon released first (so swap-in does not thrash), then every hog reads its pages back and
    /// verifies them; the vmstat deltas of the story; the hogs end.
    private func swapIn(_ watchdog: FloorWatchdog) throws(LabError) {
        let touchStart = Syscall.monotonicSeconds()
        result.hogSeconds = touchStart - (storyStart ?? touchStart)
        if !balloonChanges.isEmpty {
            let o = releaseBalloon()
            say(
                "balloon: released (\(o.last?.detail ?? "done")) before reading back, so swap-in does not thrash")
            mark("balloon released")
        }
        let swapped = hogs.reduce(Int64(0)) { $0 + ($1.memory?.swap?.bytes ?? 0) }
        let vmBeforeTouch = try? Vmstat.read(root: root)
        mark("touch")
        var pages: Int64 = 0
        var bad: Int64 = 0
        var seconds = 0.0
        for hog in hogs {
            let touched: MemoryHog.TouchResult
            do {
                touched = try hog.touch(stop: { [self] in interrupted() || watchdog.tripped != nil })
            } catch {
                try check()
                throw .failed("reading the pages back failed: \(error)")
            }
            pages += touched.pages
            bad += touched.badPages
            seconds += touched.seconds
        }
        result.badPages = bad
        result.swapInSeconds = Syscall.monotonicSeconds() - touchStart
        say(
            "swap-in: read \(pages) pages back in \(String(format: "%.2f", seconds)) s "
                + "(\(mib(swapped)) MiB were in swap); " + (bad == 0 ? "every page verified" : "\(bad) pages DIFFER"))
        mark("touched")
        let vm1 = try? Vmstat.read(root: root)
        if let vm0 = vmstatAtHog, let vm1 {
            let d = vm0.delta(to: vm1)
            result.pswpin = vmBeforeTouch.map { $0.delta(to: vm1)["pswpin"] ?? 0 } ?? (d["pswpin"] ?? 0)
            result.pswpout = vmBeforeTouch.map { vm0.delta(to: $0)["pswpout"] ?? 0 } ?? (d["pswpout"] ?? 0)
            result.pgstealFile = d["pgsteal_file"] ?? 0
        }
        endHogs()
        if bad > 0 { throw .failed("\(bad) of \(pages) pages did not read back as written") }
    }

    /// One hog round: a new hog of `size` bytes (the first `fast` bytes unthrottled), under the watchdog and a
    /// governor that stops it (SIGSTOP) while free memory is within 256 MiB of the floor; then kswapd is given until
    /// the rounds' deadline to go back to sleep.
    @discardableResult
    private func hogRound(
        _ round: Int, size: Int64, fast: Int64, rate: Double, wakePoint wp: WakePoint
    ) throws(LabError) -> MemoryHog {
        guard let watchdog else { throw .failed("the watchdog is not running") }
        say(
            "hog \(round): \(mib(size)) MiB of random bytes"
                + (rate > 0
                    ? " (\(mib(fast)) MiB at full speed, then \(mib(Int64(rate))) MiB/s)" : ", as fast as it can")
                + "; kswapd should wake \(mib(wp.distance.bytes)) MiB in (free \(mib(wp.free.bytes)) MiB, wake point "
                + "\(mib(wp.wakePoint.bytes)) MiB)")
        let hog: MemoryHog
        do {
            hog = try MemoryHog(
                name: "lab\(round)", bytes: size, fill: .random, rate: rate, fastBytes: fast,
                executable: options.hogExecutable)
        } catch {
            throw .failed("\(error)")
        }
        hogs.append(hog)
        hogPIDs.insert(Int(hog.pid))
        result.hogMib += mib(size)
        watchdog.watch(hog: hog.pid)
        mark("hog \(mib(size)) MiB")
        var nextProgress = Syscall.monotonicSeconds() + 1
        var doneBytes: Int64 = 0
        let limit = Syscall.monotonicSeconds() + (rate > 0 ? Double(size) / rate * 3 + 30 : 120)
        let governorLow = Pages(bytes: floor + 256 * LabRunner.mib)
        let governorHigh = Pages(bytes: floor + 512 * LabRunner.mib)
        do {
            try hog.allocate(
                progress: { doneBytes = $0 },
                stop: { [self] in
                    let now = Syscall.monotonicSeconds()
                    if let free = watchdog.readFree() {
                        if pausedHog == nil && free < governorLow {
                            try? Syscall.sendSignal(SIGSTOP, to: hog.pid)
                            pausedHog = hog.pid
                            say("  free \(mib(free.bytes)) MiB is near the floor: the hog waits for kswapd")
                        } else if pausedHog != nil && free > governorHigh {
                            resumeHog()
                        }
                    }
                    if now >= nextProgress {
                        nextProgress = now + 1
                        progressLine(total: size, done: doneBytes)
                    }
                    return interrupted() || watchdog.tripped != nil || now > limit
                })
        } catch {
            resumeHog()
            watchdog.watch(hog: nil)
            try check()
            throw .failed("the hog stopped: \(error)")
        }
        resumeHog()
        mark("hog ready")
        say(
            "hog \(round): holds \(mib(size)) MiB (pid \(hog.pid), written in \(String(format: "%.1f", hog.fillSeconds ?? 0)) s)"
        )
        // Let kswapd finish its cycle before the next round or the swap-in, unless the hog woke it and enough is in
        // swap already: what kswapd swaps out beyond that only lengthens the swap-in.
        let end = Syscall.monotonicSeconds() + LabRunner.sleepWait
        while Syscall.monotonicSeconds() < end && !kswapdAsleep() {
            if story().shortfall(.wake) == nil && hogSwapBytes() >= LabRunner.swapOutAim { break }
            try check()
            Syscall.sleep(seconds: 0.1)
        }
        return hog
    }

    /// Sends SIGCONT to a hog the governor stopped.
    private func resumeHog() {
        if let pid = pausedHog { try? Syscall.sendSignal(SIGCONT, to: pid) }
        pausedHog = nil
    }

    /// Ends every hog (after SIGCONT, so SIGTERM is seen at once).
    private func endHogs() {
        resumeHog()
        watchdog?.watch(hog: nil)
        if hogs.isEmpty { return }
        for hog in hogs { hog.end() }
        hogs = []
        mark("hog released")
    }

    private func progressLine(total: Int64?, done: Int64?) {
        let w = WakePoint.userAllocation((try? ZoneinfoParser.read(root: root).snapshots) ?? [])
        let c = eventCounts()
        let hog = total.map { "hog \(mib(done ?? 0)) of \(mib($0)) MiB · " } ?? ""
        say(
            "  \(hog)free \(mib(w.free.bytes)) MiB (wake \(mib(w.wakePoint.bytes))) "
                + "· kswapd woken \(c.wakeup) time(s), \(c.wake) pass(es), slept \(c.sleep)")
    }

    private func ms(_ s: Double) -> Int { Int((s * 1000).rounded()) }

    /// Trace event counts so far: wakeup_kswapd, kswapd_wake passes, kswapd_sleep, direct reclaim begins.
    func eventCounts() -> (wakeup: Int, wake: Int, sleep: Int, direct: Int) {
        let ev = liveTimeline.milestones()
        var c = (wakeup: 0, wake: 0, sleep: 0, direct: 0)
        for e in ev {
            switch e.name {
            case TracepointName.wakeupKswapd.rawValue: c.wakeup += 1
            case TracepointName.kswapdWake.rawValue: c.wake += 1
            case TracepointName.kswapdSleep.rawValue: c.sleep += 1
            case TracepointName.directReclaimBegin.rawValue: c.direct += 1
            default: continue
            }
        }
        return c
    }

    private func summarize() {
        let r = result
        // Stopped before the first hog (no root, no tracefs, a setup step refused): nothing was measured, and the
        // error that ends the command says why.
        guard r.rounds > 0 else { return }
        say(
            "summary: \(r.rounds) round(s); kswapd was woken \(r.wakeupKswapd) time(s) (\(r.hogWakeupKswapd) by the hog), "
                + "ran \(r.kswapdWake) balance pass(es), slept \(r.kswapdSleep) time(s); direct reclaim \(r.directReclaim); "
                + "pswpout \(r.pswpout) (\(r.pswpoutMib) MiB), pswpin \(r.pswpin) (\(r.pswpinMib) MiB); "
                + "lowest free \(r.lowestFreeMib) MiB (floor \(r.floorMib) MiB); \(String(format: "%.1f", r.seconds)) s; "
                + (r.restored ? "everything restored" : "NOT everything was restored (see above)"))
        say(
            r.verdict == "ok"
                ? "verdict: ok — kswapd woken by the hog, asleep again, ≥ 64 MiB swapped out and ≥ 64 MiB swapped in"
                : "verdict: failed (\(r.failedPhase)): \(r.reason)")
    }

    // MARK: Restore

    /// Undoes everything this runner did, newest first: the hog, the balloon, tracing (events off, instance removed,
    /// tracefs unmounted if mounted for it), sysctls, swap; then checks `node_unreclaimable` and clears it (§7.1).
    /// Safe to call more than once. Returns the outcomes of the journaled changes.
    @discardableResult
    public func restore() -> [UndoOutcome] {
        var outcomes: [UndoOutcome] = []
        endHogs()
        outcomes += releaseBalloon()
        // Let the last trace lines and a final sample in before tracing stops.
        if trace != nil {
            Syscall.sleep(seconds: 0.3)
            liveTimeline.sampleNow()
        }
        if let t = trace {
            outcomes += t.stop()
            trace = nil
            say("restore: tracing off, instance removed")
        }
        liveTimeline.stopSampling()
        for change in changes.reversed() {
            if let o = journal.undo(change) {
                outcomes.append(o)
                say("restore: \(o.description)")
            }
        }
        changes = []
        let lowest = watchdog?.lowestFree
        let tripped = watchdog?.tripped
        watchdog?.stop()
        watchdog = nil
        if let lowest { result.lowestFreeMib = mib(lowest.bytes) }
        if tripped != nil { result.watchdogTripped = true }
        let c = eventCounts()
        result.wakeupKswapd = c.wakeup
        result.kswapdWake = c.wake
        result.kswapdSleep = c.sleep
        result.directReclaim = c.direct
        result.traceEvents = liveTimeline.parserCounts.parsed
        result.pswpoutMib = Pages(result.pswpout).bytes >> 20
        result.pswpinMib = Pages(result.pswpin).bytes >> 20
        let st = story(swapIn: result.pswpin)
        result.hogWakeupKswapd = st.hogWakeups
        result.phaseWakeOk = st.shortfall(.wake) == nil
        result.phaseSleepOk = st.shortfall(.sleep) == nil
        result.phaseSwapOutOk = st.shortfall(.swapOut) == nil
        result.phaseSwapInOk = st.shortfall(.swapIn) == nil
        // §7.1: a node left "hopeless" gets no kswapd wake-ups; a reclaim pass with progress clears it.
        let hopeless = ((try? ZoneinfoParser.read(root: root))?.nodes ?? []).filter { $0.unreclaimable == true }
        if !hopeless.isEmpty {
            say(
                "node_unreclaimable is set on node \(hopeless.map { String($0.id) }.joined(separator: ",")); clearing it "
                    + "with a small reclaim in a private memory cgroup")
            let cleared = NodeReclaimNudge.clear(journal: journal, root: root, say: say)
            result.nodeUnreclaimable = !cleared
        } else {
            result.nodeUnreclaimable = false
        }
        let allBack = outcomes.allSatisfy { $0.result != .left }
        result.restored = allBack && !result.nodeUnreclaimable
        isPrepared = false
        mark("restored")
        return outcomes
    }
}
