import Foundation

/// What `lab run` may be told (every size in bytes).
public struct LabOptions: Sendable, Equatable {
    /// `--wake-at SIZE`: the wake point to aim for (default: floor + 1 GiB).
    public var wakeAt: Int64?
    /// `--hog SIZE`: the hog's size (default: measured distance to the wake point + 0.5–1 GiB).
    public var hog: Int64?
    /// `--rate R/s` in bytes per second (default 200 MiB/s; the direct variant is unthrottled).
    public var rate: Double?
    /// `--floor SIZE` (default: the larger of min + 256 MiB and 5 % of RAM).
    public var floor: Int64?
    /// `--direct`: the direct-reclaim variant.
    public var direct = false
    /// The binary that runs the hog (tests; default `MemoryHog.defaultExecutable()`).
    public var hogExecutable: String?

    public init(
        wakeAt: Int64? = nil, hog: Int64? = nil, rate: Double? = nil, floor: Int64? = nil, direct: Bool = false,
        hogExecutable: String? = nil
    ) {
        self.wakeAt = wakeAt
        self.hog = hog
        self.rate = rate
        self.floor = floor
        self.direct = direct
        self.hogExecutable = hogExecutable
    }

    /// The default hog rate, 200 MiB/s (live-lab.md §5 step 6: 150–200 MiB/s so kswapd keeps up).
    public static let defaultRate: Double = 200 * 1_048_576
}

/// Why the lab stopped, worded for the learner: what is wrong; what to do.
public enum LabError: Error, CustomStringConvertible, Sendable {
    case needsRoot
    case preflight(String)
    case failed(String)
    case interrupted(String)
    case watchdog(String)

    public var description: String {
        switch self {
        case .needsRoot:
            return "the lab changes sysctls, swap and huge pages, which needs root; run swaplab as root (sudo swaplab)"
        case .preflight(let s), .failed(let s), .interrupted(let s), .watchdog(let s): return s
        }
    }
}

/// What a lab run observed (`lab run --json` prints it with these keys).
public struct LabResult: Sendable, Codable, Equatable {
    public var kswapd_wake = 0
    public var kswapd_sleep = 0
    public var wakeup_kswapd = 0
    public var direct_reclaim = 0
    public var pswpout: Int64 = 0
    public var pswpin: Int64 = 0
    /// The lowest free memory (Σ zone free pages) seen by the 20 ms watchdog, MiB.
    public var min_free_mib: Int64 = 0
    public var floor_mib: Int64 = 0
    public var wake_point_mib: Int64 = 0
    public var watermark_scale_factor: Int64 = 0
    public var min_free_kbytes: Int64 = 0
    public var balloon_pages: Int64 = 0
    public var hog_mib: Int64 = 0
    public var bad_pages: Int64 = 0
    public var zone_growth_seconds: Double?
    public var seconds: Double = 0
    public var watchdog_tripped = false
    public var node_unreclaimable = false
    public var restored = false
    public var direct = false

    public init() {}
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
    private var hog: MemoryHog?
    private var balloonChange: JournaledChange?
    private var hugepagesOriginal: Int64 = 0
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
        let outcomes = restore()
        result.seconds = Syscall.monotonicSeconds() - startTime
        if let failure {
            for o in outcomes where o.result == .left { say("  left: \(o.description)") }
            throw failure
        }
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
                watermarkScaleFactor: result.watermark_scale_factor > 0
                    ? result.watermark_scale_factor : s?.watermarkScaleFactor,
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

    private func prepareSteps() throws(LabError) {
        // 1. Preflight.
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
        var zones = try readZones()
        floor =
            options.floor
            ?? LabPlan.defaultFloor(minWatermarks: LabPlan.managedMin(zones.snapshots), memTotalBytes: total)
        result.floor_mib = mib(floor)
        let watchdog = FloorWatchdog(floor: Pages(bytes: floor), root: root)
        self.watchdog = watchdog
        watchdog.start()
        liveTimeline.startSampling()
        mark("start")
        let wp0 = WakePoint.userAllocation(zones.snapshots)
        say(
            "preflight: root, tracefs \(survey.tracefsMountPoint ?? "(will be mounted)"), floor \(mib(floor)) MiB; "
                + "free \(mib(wp0.free.bytes)) MiB, kswapd wakes at \(mib(wp0.wakePoint.bytes)) MiB "
                + "(\(mib(wp0.distance.bytes)) MiB away with wsf \(wsf))")

        // Lazily initialised zones (live-lab.md §4): grow them once.
        if zones.zones.contains(where: { $0.snapshot.present - $0.snapshot.managed >= FreeMemoryCheck.threshold }) {
            try growLazyZones(hugePageSize: hugeSize)
            zones = try readZones()
        }
        try check()

        // 2. Swap: a swapfile of ≥ 1.5× the expected hog when there is not that much free disk swap already.
        let expectedHog = options.hog ?? (LabRunner.gib * 3 / 2)
        let want = LabPlan.swapfileSize(hog: expectedHog)
        let freeSwap = ((try? Swaps.read(root: root)) ?? []).filter { !$0.isZram }
            .reduce(Int64(0)) { $0 + ($1.size - $1.used).bytes }
        if freeSwap >= expectedHog * 3 / 2 {
            say("swap: \(mib(freeSwap)) MiB of swap free already; no swapfile needed")
        } else {
            let t0 = Syscall.monotonicSeconds()
            do {
                let path = try Swapfile.create(bytes: want, journal: journal)
                changes.append(.swapFile(path: path))
                changes.append(.swapOn(path: path))
                say("swap: \(path), \(mib(want)) MiB, mode 0600, on in \(ms(Syscall.monotonicSeconds() - t0)) ms")
            } catch {
                throw .failed("cannot make a swapfile: \(error)")
            }
            mark("swap on")
        }
        try check()

        // 3. Tracing in a private instance, parsed into the timeline.
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
        try check()

        // 4. Watermarks.
        if options.direct {
            try raiseMinFree(current: minFree, zones: zones)
            if wsf != 10 { try sysctl("watermark_scale_factor", "10") }
            zones = try readZones()
            result.watermark_scale_factor = 10
        } else {
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
            zones = try readZones()
            let measured = WakePoint.userAllocation(zones.snapshots)
            result.watermark_scale_factor = choice.scaleFactor
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
        result.min_free_kbytes = (try? VMSysctls.read(root: root))?.minFreeKbytes ?? minFree
        mark("watermarks set")
        try check()

        // 5. Balloon.
        let before = try settledWakePoint(seconds: 12)
        let room = options.direct ? 256 * LabRunner.mib : 512 * LabRunner.mib
        let pages = LabPlan.balloonPages(
            free: before.free.bytes, wakePoint: before.wakePoint.bytes, room: room, hugePageSize: hugeSize)
        if pages > 0 {
            let target = hugepagesOriginal + pages
            let change = JournaledChange.hugepages(path: hugepagesPath, old: hugepagesOriginal, new: target)
            watchdog.watch(balloonPath: hugepagesPath, original: String(hugepagesOriginal))
            let t0 = Syscall.monotonicSeconds()
            do {
                try journal.record(change) { () throws -> Void in try Syscall.writeText(hugepagesPath, String(target)) }
            } catch {
                throw .failed("cannot set vm.nr_hugepages to \(target): \(error)")
            }
            changes.append(change)
            balloonChange = change
            let got = ((try? Meminfo.read(root: root))?.hugePagesTotal ?? hugepagesOriginal) - hugepagesOriginal
            result.balloon_pages = got
            say(
                "balloon: \(got) of \(pages) huge pages (\(mib(got * hugeSize)) MiB) in "
                    + "\(ms(Syscall.monotonicSeconds() - t0)) ms" + (got < pages ? "; the kernel granted fewer" : ""))
            mark("balloon \(got) huge pages")
            Syscall.sleep(seconds: 1)
        } else {
            say("balloon: not needed (free is already within \(mib(room)) MiB of the wake point)")
        }
        try check()
        wakePoint = WakePoint.userAllocation(try readZones().snapshots)
        result.wake_point_mib = mib(wakePoint?.wakePoint.bytes ?? 0)
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
        result.zone_growth_seconds = (seconds * 10).rounded() / 10
        say(
            "zones: managed grew by \(mib(Pages(managed - managed0).bytes)) MiB in \(String(format: "%.1f", seconds)) s "
                + "(until reboot); balloon released")
        mark("zones grown")
    }

    private func hogSteps() throws(LabError) {
        guard let watchdog else { return }
        // 6. Hog, sized from the measured distance.
        let wp = try settledWakePoint(seconds: 4)
        let size =
            options.hog ?? LabPlan.hogSize(distance: wp.distance.bytes, wakePoint: wp.wakePoint.bytes, floor: floor)
        let rate = options.direct ? 0 : (options.rate ?? LabOptions.defaultRate)
        result.hog_mib = mib(size)
        let freeSwap = ((try? Swaps.read(root: root)) ?? []).reduce(Int64(0)) { $0 + ($1.size - $1.used).bytes }
        if freeSwap < size / 2 {
            say("note: only \(mib(freeSwap)) MiB of swap is free for a \(mib(size)) MiB hog")
        }
        let vm0 = try? Vmstat.read(root: root)
        watchdog.resetLowest()
        say(
            "hog: \(mib(size)) MiB of random bytes"
                + (rate > 0 ? " at \(mib(Int64(rate))) MiB/s" : ", as fast as it can")
                + "; kswapd should wake \(mib(wp.distance.bytes)) MiB in (free \(mib(wp.free.bytes)) MiB, wake point "
                + "\(mib(wp.wakePoint.bytes)) MiB)")
        let hog: MemoryHog
        do {
            hog = try MemoryHog(name: "lab", bytes: size, fill: .random, rate: rate, executable: options.hogExecutable)
        } catch {
            throw .failed("\(error)")
        }
        self.hog = hog
        watchdog.watch(hog: hog.pid)
        mark("hog \(mib(size)) MiB")
        var nextProgress = Syscall.monotonicSeconds() + 1
        var doneBytes: Int64 = 0
        let limit = Syscall.monotonicSeconds() + (rate > 0 ? Double(size) / rate * 3 + 30 : 120)
        let progressLine = { [self] () -> Void in
            let w = WakePoint.userAllocation((try? ZoneinfoParser.read(root: root).snapshots) ?? [])
            let c = eventCounts()
            say(
                "  hog \(mib(doneBytes)) of \(mib(size)) MiB · free \(mib(w.free.bytes)) MiB (wake \(mib(w.wakePoint.bytes))) "
                    + "· kswapd woke \(c.wakeup) time(s), \(c.wake) pass(es), slept \(c.sleep)")
        }
        do {
            try hog.allocate(
                progress: { doneBytes = $0 },
                stop: { [self] in
                    let now = Syscall.monotonicSeconds()
                    if now >= nextProgress {
                        nextProgress = now + 1
                        progressLine()
                    }
                    return interrupted() || watchdog.tripped != nil || now > limit
                })
        } catch {
            watchdog.watch(hog: nil)
            try check()
            throw .failed("the hog stopped: \(error)")
        }
        doneBytes = size
        mark("hog ready")
        say(
            "hog: holds \(mib(size)) MiB (pid \(hog.pid), written in \(String(format: "%.1f", hog.fillSeconds ?? 0)) s)"
        )
        // Let kswapd finish its cycle: wait until its last event is a sleep (at most 20 s).
        let waitEnd = Syscall.monotonicSeconds() + 20
        while Syscall.monotonicSeconds() < waitEnd {
            try check()
            let ev = liveTimeline.snapshot(machine: MachineDescription(engine: "live", summary: "")).events
            let lastKswapd = ev.last { $0.name == "mm_vmscan_kswapd_wake" || $0.name == "mm_vmscan_kswapd_sleep" }
            if lastKswapd == nil && Syscall.monotonicSeconds() > waitEnd - 17 { break }
            if let l = lastKswapd, l.name == "mm_vmscan_kswapd_sleep" { break }
            Syscall.sleep(seconds: 0.25)
        }
        progressLine()
        try check()

        // 8. Swap-in: release the balloon first, then read every page back.
        if let b = balloonChange {
            let o = journal.undo(b)
            balloonChange = nil
            watchdog.watch(balloonPath: nil, original: "")
            say("balloon: released (\(o?.detail ?? "done")) before reading back, so swap-in does not thrash")
            mark("balloon released")
        }
        let swapped = hog.memory?.swap?.bytes ?? 0
        mark("touch")
        let touched: MemoryHog.TouchResult
        do {
            touched = try hog.touch(stop: { [self] in interrupted() || watchdog.tripped != nil })
        } catch {
            try check()
            throw .failed("reading the pages back failed: \(error)")
        }
        result.bad_pages = touched.badPages
        say(
            "swap-in: read \(touched.pages) pages back in \(String(format: "%.2f", touched.seconds)) s "
                + "(\(mib(swapped)) MiB were in swap); "
                + (touched.badPages == 0 ? "every page verified" : "\(touched.badPages) pages DIFFER"))
        mark("touched")
        let vm1 = try? Vmstat.read(root: root)
        if let vm0, let vm1 {
            let d = vm0.delta(to: vm1)
            result.pswpout = d["pswpout"] ?? 0
            result.pswpin = d["pswpin"] ?? 0
        }
        watchdog.watch(hog: nil)
        hog.end()
        self.hog = nil
        mark("hog released")
        if touched.badPages > 0 {
            throw .failed("\(touched.badPages) of \(touched.pages) pages did not read back as written")
        }
    }

    private func ms(_ s: Double) -> Int { Int((s * 1000).rounded()) }

    /// Trace event counts so far: wakeup_kswapd, kswapd_wake passes, kswapd_sleep, direct reclaim begins.
    func eventCounts() -> (wakeup: Int, wake: Int, sleep: Int, direct: Int) {
        let ev = liveTimeline.snapshot(machine: MachineDescription(engine: "live", summary: "")).events
        var c = (wakeup: 0, wake: 0, sleep: 0, direct: 0)
        for e in ev {
            switch e.name {
            case "mm_vmscan_wakeup_kswapd": c.wakeup += 1
            case "mm_vmscan_kswapd_wake": c.wake += 1
            case "mm_vmscan_kswapd_sleep": c.sleep += 1
            case "mm_vmscan_direct_reclaim_begin": c.direct += 1
            default: continue
            }
        }
        return c
    }

    private func summarize() {
        let r = result
        say(
            "summary: kswapd was woken \(r.wakeup_kswapd) time(s), ran \(r.kswapd_wake) balance pass(es), slept "
                + "\(r.kswapd_sleep) time(s); direct reclaim \(r.direct_reclaim); pswpout \(r.pswpout), pswpin \(r.pswpin); "
                + "lowest free \(r.min_free_mib) MiB (floor \(r.floor_mib) MiB); \(String(format: "%.1f", r.seconds)) s; "
                + (r.restored ? "everything restored" : "NOT everything was restored (see above)"))
    }

    // MARK: Restore

    /// Undoes everything this runner did, newest first: the hog, the balloon, tracing (events off, instance removed,
    /// tracefs unmounted if mounted for it), sysctls, swap; then checks `node_unreclaimable` and clears it (§7.1).
    /// Safe to call more than once. Returns the outcomes of the journaled changes.
    @discardableResult
    public func restore() -> [UndoOutcome] {
        var outcomes: [UndoOutcome] = []
        if let hog {
            watchdog?.watch(hog: nil)
            hog.end()
            self.hog = nil
            mark("hog released")
        }
        if let b = balloonChange, let o = journal.undo(b) {
            outcomes.append(o)
            balloonChange = nil
        }
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
        if let lowest { result.min_free_mib = mib(lowest.bytes) }
        if tripped != nil { result.watchdog_tripped = true }
        let c = eventCounts()
        result.wakeup_kswapd = c.wakeup
        result.kswapd_wake = c.wake
        result.kswapd_sleep = c.sleep
        result.direct_reclaim = c.direct
        // §7.1: a node left "hopeless" gets no kswapd wake-ups; a reclaim pass with progress clears it.
        let hopeless = ((try? ZoneinfoParser.read(root: root))?.nodes ?? []).filter { $0.unreclaimable == true }
        if !hopeless.isEmpty {
            say(
                "node_unreclaimable is set on node \(hopeless.map { String($0.id) }.joined(separator: ",")); clearing it "
                    + "with a small reclaim in a private memory cgroup")
            let cleared = NodeReclaimNudge.clear(journal: journal, root: root, say: say)
            result.node_unreclaimable = !cleared
        } else {
            result.node_unreclaimable = false
        }
        let allBack = outcomes.allSatisfy { $0.result != .left }
        result.restored = allBack && !result.node_unreclaimable
        isPrepared = false
        mark("restored")
        return outcomes
    }
}
