import Foundation
import SwapLabKernel
import SwapLabModel
import SwapLabSimulator

/// `lab run` on the simulator: the live lab's experiment (docs/lab.md) on a simulated machine the size of this one,
/// built from this machine's /proc/zoneinfo, sysctls and swap (read only; nothing on this machine changes). First the
/// notes' recipe as written (2 GiB at the default settings), then the lab's: a swapfile, a raised
/// `watermark_scale_factor`, a hugetlb balloon, rate-limited hogs in rounds, the balloon released and the pages read
/// back, the settings restored. Its numbers come from `LabPlan` and its checks from `LabStory`, as on the live engine,
/// and it answers with the same `LabRun`, so `explain`, `chart` and `lab run --json` read it alike.
struct SimulatedLab {
    static let mib: Int64 = 1 << 20
    static let gib: Int64 = 1 << 30
    static let hugePageBytes: Int64 = 2 << 20

    let sim: Simulator
    let options: LabOptions
    let progress: (String) -> Void
    let interrupted: () -> Bool
    var result = LabResult()
    var hogPIDs: Set<Int> = []
    var hogNames: [String] = []
    var storyStart: Double?
    var pswpoutAtStart: Int64 = 0

    /// The machine the lab runs on: this machine's zones as /proc/zoneinfo shows them now (free pages, marks,
    /// protection, LRU pages), its vm sysctls and its swap; or, when the zoneinfo cannot be read, a machine with this
    /// machine's MemTotal (4 GiB when that is unreadable too). The text says which.
    static func machine(root: String) throws -> (config: MachineConfig, source: String) {
        let sysRoot = SystemRoot(root)
        let sysctls = try? VMSysctls.read(root: sysRoot)
        let swap = ((try? Swaps.read(root: sysRoot)) ?? []).reduce(Pages.zero) { $0 + $1.size }
        if let info = try? ZoneinfoParser.read(root: sysRoot) {
            var capture = MachineCapture(info)
            // Huge pages come only from free 2 MiB blocks, as /proc/buddyinfo shows them now.
            if let buddy = try? Buddyinfo.read(root: sysRoot) { capture.addFreeBlocks(buddy) }
            let config = try MachineConfig.captured(
                capture, minFreeKbytes: sysctls?.minFreeKbytes, watermarkScaleFactor: sysctls?.watermarkScaleFactor,
                watermarkBoostFactor: sysctls?.watermarkBoostFactor ?? 15000, swappiness: sysctls?.swappiness ?? 60,
                swap: swap)
            return (config, "this machine's /proc/zoneinfo")
        }
        let ram = (try? Meminfo.read(root: sysRoot))?.memTotal?.bytes ?? 4 << 30
        let config = MachineConfig(
            nodes: try MachineConfig.defaultZones(ramBytes: ram, nodes: 1), swap: swap, ramBytes: ram)
        return (config, "machine --ram \(Quantity.format(bytes: ram)) (/proc/zoneinfo could not be read)")
    }

    init(
        sim: Simulator, options: LabOptions, progress: @escaping (String) -> Void,
        interrupted: @escaping () -> Bool
    ) {
        (self.sim, self.options, self.progress, self.interrupted) = (sim, options, progress, interrupted)
    }

    // MARK: The run

    /// The whole lab on `sim`: the notes' recipe, the set-up, the hog rounds, the swap-in and the restore.
    mutating func run() -> LabRun {
        let start = sim.now
        let wsf = sim.sysctl(.watermarkScaleFactor)
        result.minFreeKbytes = sim.sysctl(.minFreeKbytes)
        notesRecipe()
        let plan = setUp()
        result.setupSeconds = sim.now - start
        let hogStart = sim.now
        if !interrupted() { hogRounds(plan) }
        result.hogSeconds = sim.now - hogStart
        let swapInStart = sim.now
        let pswpinBefore = counter("pswpin")
        let pswpoutAtSwapIn = counter("pswpout")
        if !interrupted() { swapIn() }
        let swappedIn = counter("pswpin") - pswpinBefore
        result.swapInSeconds = sim.now - swapInStart
        let restoreStart = sim.now
        result.restored = restore(wsf: wsf, swapfile: plan.swapfile)
        result.restoreSeconds = sim.now - restoreStart
        result.seconds = sim.now - start
        let story = LabStory(
            events: sim.timeline().events, hogPIDs: hogPIDs, since: storyStart ?? sim.now,
            swapOutPages: pswpoutAtSwapIn - pswpoutAtStart, swapInPages: swappedIn)
        return finish(story, pgstealFileFrom: plan.pgstealFile)
    }

    /// Step 1: the notes' experiment as written, 2 GiB at the default settings; on a machine with much free memory
    /// nothing happens, which is why the lab exists (live-lab.md §1).
    mutating func notesRecipe() {
        let wake = WakePoint.userAllocation(sim.zoneSnapshots())
        progress(
            "1. the notes' recipe as written: alloc 2G (free \(mib(wake.free.bytes)) MiB, kswapd wakes at "
                + "\(mib(wake.wakePoint.bytes)) MiB)")
        let t0 = sim.now
        guard (try? sim.startAllocation(name: "notes", size: Pages(bytes: 2 * Self.gib))) != nil else { return }
        sim.runUntilIdle(limit: 120, interrupted: interrupted)
        let woke = sim.timeline().events.filter {
            $0.time >= t0 && $0.name == TracepointName.wakeupKswapd.rawValue
        }.count
        progress(
            woke == 0
                ? "   nothing happened: free memory never came down to the wake point, so kswapd slept on"
                : "   kswapd was woken \(woke) time(s): this machine has little free memory to spare")
        try? sim.release(name: "notes")
        waitForSleep()
    }

    /// What `setUp` decided.
    struct Plan {
        var swapfile = Pages.zero
        var pgstealFile: Int64 = 0
    }

    /// Steps 2–4: the swapfile, the watermarks and the balloon (live-lab.md §5), sized as the live lab sizes them.
    mutating func setUp() -> Plan {
        var plan = Plan()
        let zones = sim.zoneSnapshots()
        let free = zones.reduce(Int64(0)) { $0 + $1.free.bytes }
        let floor =
            options.floor
            ?? LabPlan.defaultFloor(
                minWatermarks: LabPlan.managedMin(zones), memTotalBytes: sim.config.totalManaged.bytes)
        let choice = LabPlan.chooseScaleFactor(
            zones: zones, minFreeKbytes: sim.sysctl(.minFreeKbytes), current: sim.sysctl(.watermarkScaleFactor),
            target: options.wakeAt ?? floor + Self.gib, maxScaleFactor: 3000)
        let wake = choice.wakePoint.bytes
        let balloon = LabPlan.balloonPages(
            free: free, wakePoint: wake, room: 512 * Self.mib, hugePageSize: Self.hugePageBytes)
        let hog =
            options.hog
            ?? LabPlan.hogSize(distance: free - balloon * Self.hugePageBytes - wake, wakePoint: wake, floor: floor)
        if Pages(bytes: hog * 3 / 2) > Pages(sim.config.swap.count) - sim.swapUsed {
            plan.swapfile = Pages(bytes: LabPlan.swapfileSize(hog: hog))
            sim.addSwap(plan.swapfile)
            progress("2. swapfile: \(mib(plan.swapfile.bytes)) MiB of swap added (1.5 × the hog)")
        } else {
            progress("2. swap: \(mib((Pages(sim.config.swap.count) - sim.swapUsed).bytes)) MiB free already")
        }
        _ = try? sim.setSysctl(.watermarkScaleFactor, value: choice.scaleFactor)
        progress("3. vm.watermark_scale_factor \(choice.scaleFactor): kswapd now wakes at \(mib(wake)) MiB free")
        _ = try? sim.setSysctl(.nrHugepages, value: balloon)
        progress(
            "4. balloon: \(sim.hugePages) huge pages (\(mib(sim.hugePages * Self.hugePageBytes)) MiB) taken "
                + "from the zones, leaving about 512 MiB above the wake point")
        sim.run(seconds: 1, interrupted: interrupted)
        result.floorMib = mib(floor)
        result.wakePointMib = mib(wake)
        result.watermarkScaleFactor = choice.scaleFactor
        result.balloonPages = sim.hugePages
        result.swapfileMib = mib(plan.swapfile.bytes)
        plan.pgstealFile = counter("pgsteal_file")
        return plan
    }

    /// Step 5: hogs in rounds (docs/lab.md "Rounds"), each waiting for kswapd to sleep first, until the hog woke kswapd
    /// and 128 MiB of the hogs are in swap: at most 4 rounds and 4 GiB.
    mutating func hogRounds(_ plan: Plan) {
        let rate = (options.rate ?? LabOptions.defaultRate) / Double(Pages.size)
        var hogLeft = 4 * Self.gib
        for round in 1...4 where !interrupted() && hogLeft > 0 {
            waitForSleep()
            let wake = WakePoint.userAllocation(sim.zoneSnapshots())
            let extra =
                round == 1
                ? LabPlan.hogExtra(wakePoint: wake.wakePoint.bytes, floor: result.floorMib * Self.mib) : 512 * Self.mib
            var r = LabPlan.round(
                free: wake.free.bytes, wakePoint: wake.wakePoint.bytes, extra: extra, hugePageSize: Self.hugePageBytes,
                hogLeft: hogLeft, topUpAbove: round == 1 ? 768 * Self.mib : 2 * Self.gib,
                room: round == 1 ? 512 * Self.mib : Self.gib)
            if round == 1, let hog = options.hog { r.hogBytes = hog }
            if r.balloonPages > 0 { _ = try? sim.setSysctl(.nrHugepages, value: sim.hugePages + r.balloonPages) }
            result.balloonPages = Swift.max(result.balloonPages, sim.hugePages)
            guard r.hogBytes >= Pages.size else { break }
            let name = round == 1 ? "hog" : "hog\(round)"
            if storyStart == nil {
                storyStart = sim.now
                pswpoutAtStart = counter("pswpout")
            }
            // Marked MADV_COLD as written, as the live hog marks every 256 MiB: kswapd takes the hogs' pages first.
            let hog = Pages(bytes: r.hogBytes)
            guard let pid = try? sim.startAllocation(name: name, size: hog, rate: rate, cold: true) else { break }
            progress(
                "5. round \(round): \(name) writes \(mib(r.hogBytes)) MiB at \(mib(Int64(rate) * Pages.size)) MiB/s "
                    + "(\(mib(wake.distance.bytes)) MiB to the wake point)")
            hogPIDs.insert(pid)
            hogNames.append(name)
            hogLeft -= r.hogBytes
            result.hogMib += mib(r.hogBytes)
            result.rounds = round
            sim.runUntilIdle(limit: 600, interrupted: interrupted)
            waitForSleep()
            if roundsDone { break }
        }
        result.hogRateMibPerS = mib(Int64(rate) * Pages.size)
    }

    /// The hogs woke kswapd and hold 128 MiB in swap (twice what the swap-out check needs): no more rounds.
    var roundsDone: Bool {
        let story = LabStory(
            events: sim.timeline().events, hogPIDs: hogPIDs, since: storyStart ?? sim.now, swapOutPages: 0,
            swapInPages: 0)
        let swapped = hogNames.reduce(Pages.zero) { $0 + (sim.swapped(task: $1) ?? .zero) }
        return story.hogWakeups > 0 && swapped.bytes >= 128 * Self.mib
    }

    /// Step 6: the balloon released first, then every hog reads its pages back (swap-in).
    mutating func swapIn() {
        _ = try? sim.setSysctl(.nrHugepages, value: 0)
        progress("6. balloon released; the hogs read every page back")
        for name in hogNames where !interrupted() {
            guard (try? sim.startTouch(name: name)) != nil else { continue }
            sim.runUntilIdle(limit: 600, interrupted: interrupted)
        }
    }

    /// Step 7: the hogs end, the watermarks go back, the swapfile goes (swapoff reads back what is still in it).
    /// Returns whether everything was put back.
    mutating func restore(wsf: Int64, swapfile: Pages) -> Bool {
        for name in hogNames { try? sim.release(name: name) }
        _ = try? sim.setSysctl(.nrHugepages, value: 0)
        _ = try? sim.setSysctl(.watermarkScaleFactor, value: wsf)
        var removed = swapfile.count == 0 || sim.removeSwap(swapfile)
        if !removed, (try? sim.startTouch(name: "system")) != nil {
            // `try_to_unuse()`: swapoff reads back the pages other programs have in the swapfile.
            sim.runUntilIdle(limit: 600, interrupted: interrupted)
            removed = sim.removeSwap(swapfile)
        }
        waitForSleep()
        progress(
            "7. restored: watermark_scale_factor \(wsf), no huge pages"
                + (swapfile.count > 0 ? (removed ? ", swapfile removed" : "; the swapfile could not be removed") : ""))
        return removed && sim.sysctl(.watermarkScaleFactor) == wsf && sim.hugePages == 0
    }

    /// The result from the story and the counters, as the live lab fills it (docs/lab.md "The keys").
    mutating func finish(_ story: LabStory, pgstealFileFrom: Int64) -> LabRun {
        let timeline = sim.timeline()
        result.phaseWakeOk = story.shortfall(.wake) == nil
        result.phaseSleepOk = story.shortfall(.sleep) == nil
        result.phaseSwapOutOk = story.shortfall(.swapOut) == nil
        result.phaseSwapInOk = story.shortfall(.swapIn) == nil
        result.wakeupKswapd = story.wakeups
        result.hogWakeupKswapd = story.hogWakeups
        result.kswapdWake = story.wakesAfterHogWakeup
        result.kswapdSleep = story.sleepsAfterHogWakeup
        let since = storyStart ?? sim.now
        result.directReclaim =
            timeline.events.filter { $0.time >= since && $0.name == TracepointName.directReclaimBegin.rawValue }.count
        (result.pswpout, result.pswpin) = (story.swapOutPages, story.swapInPages)
        (result.pswpoutMib, result.pswpinMib) = (
            mib(Pages(story.swapOutPages).bytes), mib(Pages(story.swapInPages).bytes)
        )
        result.pgstealFile = counter("pgsteal_file") - pgstealFileFrom
        let lowest = timeline.samples.filter { $0.time >= since }.compactMap { $0.counters["nr_free_pages"] }.min()
        result.lowestFreeMib = mib(Pages(lowest ?? 0).bytes)
        result.balloonMib = mib(result.balloonPages * Self.hugePageBytes)
        result.traceEvents = timeline.events.count
        result.nodeUnreclaimable = (0..<sim.config.nodes.count).contains { sim.nodeUnreclaimable($0) }
        result.direct = false
        var failure: (any LearnerError)?
        if interrupted() {
            result.failedPhase = "interrupted"
            result.reason = "Ctrl-C stopped the simulated lab"
        } else if let (phase, why) = story.firstShortfall {
            result.failedPhase = phase.rawValue
            result.reason = why
        } else if !result.restored {
            result.failedPhase = "restore"
            result.reason = "the simulated machine could not be put back as it was"
        }
        if result.failedPhase == "none" {
            result.verdict = "ok"
        } else {
            failure = ShellError.failed("lab (simulated): \(result.failedPhase): \(result.reason)")
        }
        return LabRun(result: result, timeline: timeline, failure: failure)
    }

    // MARK: Helpers

    /// Lets the clock run in 100 ms steps until every kswapd sleeps, at most 3 s (the live lab's wait).
    func waitForSleep() {
        var waited = 0.0
        while waited < 3, !interrupted(), sim.kswapdAwake {
            sim.run(seconds: 0.1, interrupted: interrupted)
            waited += 0.1
        }
    }

    func counter(_ name: String) -> Int64 { sim.vmstat[name] ?? 0 }
    func mib(_ bytes: Int64) -> Int64 { bytes >> 20 }
}

extension SimulatedLab {
    /// `lab run` on the simulator: a machine built from this one becomes the simulated machine (so `status`,
    /// `explain` and `chart` read it after), and the lab runs on it. The first line says that it is simulated.
    static func run(
        _ options: LabOptions, in session: Session, progress: @escaping (String) -> Void
    ) throws -> LabRun {
        if options.direct { throw ShellError.usage("lab run --direct runs on the live engine only (engine live)") }
        let (config, source) = try SimulatedLab.machine(root: session.systemRoot)
        let sim: Simulator
        do { sim = try Simulator(config: config) } catch {
            throw ShellError.failed("lab (simulated): cannot build the machine from \(source): \(error)")
        }
        progress(
            "SIMULATED: this lab runs in the simulator, on a machine built from \(source); nothing on this "
                + "machine changes")
        progress("machine: \(config.summary)")
        // The simulated clock goes on from where the last machine's stood, so a lesson step's check window (which
        // starts at that time) sees the whole lab.
        if let before = session.simulator?.now, before > 0 { sim.run(seconds: before) }
        session.simulatorEngine.install(sim)
        var lab = SimulatedLab(sim: sim, options: options, progress: progress) { session.interrupted }
        return lab.run()
    }
}
