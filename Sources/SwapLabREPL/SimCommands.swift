import ArgumentParser
import Foundation
import SwapLabModel
import SwapLabSimulator
import SwapLabKernel
import SwapLabAnalysis
import SwapLabExplain
import SwapLabCourse

/// `machine [options]`: (re)creates the simulated machine.
struct MachineCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "machine",
        abstract: "Create the simulated machine: RAM or zones, swap, page cache and the vm sysctls.",
        discussion: """
            Without options: the course machine (4 GiB RAM, 2 GiB swap). Zones come from --ram like a real \
            x86-64 box, from --zones DMA=3840,DMA32=772915,Normal=5394266 (managed pages, on every node), or from a \
            captured /proc/zoneinfo (--zoneinfo FILE).
            """)

    @Option(help: "Installed RAM, e.g. 4G, 64G, 1T.") var ram: String?
    @Option(help: "Managed pages per zone, e.g. DMA=3840,DMA32=772915,Normal=5394266.") var zones: String?
    @Option(help: "Take the zones from a captured /proc/zoneinfo.") var zoneinfo: String?
    @Option(name: .customLong("min-free-kbytes"), help: "vm.min_free_kbytes (default: the kernel's sqrt rule).")
    var minFreeKbytes: Int64?
    @Flag(help: "Raise min_free_kbytes by the THP rule, as on most x86-64 distributions.") var thp = false
    @Option(help: "vm.watermark_scale_factor, 1-3000.") var wsf: Int64 = 10
    @Option(name: .customLong("boost-factor"), help: "vm.watermark_boost_factor.") var boostFactor: Int64 = 15000
    @Option(help: "vm.swappiness, 0-200.") var swappiness: Int64 = 60
    @Option(help: "Swap size (0 for none).") var swap: String = "2G"
    @Option(help: "Page cache at start (default 15% of memory).") var cache: String?
    @Option(help: "Dirty page cache at start.") var dirty: String?
    @Option(help: "Memory already used by other programs (default 50% of memory).") var used: String?
    @Option(help: "NUMA nodes (RAM split evenly; DMA and DMA32 on node 0).") var nodes: Int = 1
    @Option(help: "Seed for everything random.") var seed: UInt64 = 1

    func run(in session: Session) throws {
        try session.require(.sim, for: "machine")
        let sources = [ram != nil, zones != nil, zoneinfo != nil].filter { $0 }.count
        guard sources <= 1 else { throw ShellError.usage("give only one of --ram, --zones and --zoneinfo") }
        var ramBytes: Int64? = nil
        let layout: [[ZoneSpec]]
        if let zones {
            let spec = try simulatorResult { () throws(SimulatorError) in try MachineConfig.zones(parsing: zones) }
            guard (1...64).contains(nodes) else { throw ShellError.usage("--nodes takes 1-64, not \(nodes)") }
            layout = Array(repeating: spec, count: nodes)
        } else if let zoneinfo {
            // A real /proc/zoneinfo is a few hundred KiB even on large NUMA machines.
            let text: String
            do { text = try UserFile.readText(zoneinfo, limit: 16 << 20) } catch {
                throw ShellError.failed("--zoneinfo: \(error.description) (e.g. a copy of /proc/zoneinfo)")
            }
            let snapshots: [ZoneSnapshot]
            do { snapshots = try ZoneinfoParser.parse(text, path: zoneinfo).snapshots } catch {
                throw ShellError.failed(error.description)
            }
            layout = try simulatorResult { () throws(SimulatorError) in try MachineConfig.zones(from: snapshots) }
        } else {
            let bytes = try Quantity.bytesForShell(ram ?? "4G", option: "--ram")
            ramBytes = bytes
            layout = try simulatorResult { () throws(SimulatorError) in
                try MachineConfig.defaultZones(ramBytes: bytes, nodes: nodes)
            }
        }
        let config = MachineConfig(
            nodes: layout, minFreeKbytes: minFreeKbytes, thp: thp, watermarkScaleFactor: wsf,
            watermarkBoostFactor: boostFactor, swappiness: swappiness,
            swap: try SimArguments.pagesOrZero(swap, option: "--swap"),
            used: try used.map { try SimArguments.pagesOrZero($0, option: "--used") },
            cleanCache: try cache.map { try SimArguments.pagesOrZero($0, option: "--cache") },
            dirtyCache: try dirty.map { try SimArguments.pagesOrZero($0, option: "--dirty") } ?? .zero,
            seed: seed, ramBytes: ramBytes)
        let sim = try simulatorResult { () throws(SimulatorError) in try Simulator(config: config) }
        session.installSimulator(sim)
        let out = session.output
        out.line(
            "machine: \(config.summary); min_free_kbytes \(config.minFreeKbytes), watermark_scale_factor \(wsf), "
                + "swappiness \(swappiness)")
        SimReport.zoneTable(sim.zoneSnapshots(), to: out)
    }
}

extension Quantity {
    /// `Quantity.bytes` with the option named in the error.
    static func bytesForShell(_ text: String, option: String) throws(ShellError) -> Int64 {
        do { return try Quantity.bytes(text) } catch { throw ShellError.usage("\(option): \(error.description)") }
    }
}

/// `alloc SIZE [--name N] [--rate R/s]`: a task writes SIZE of anonymous memory (every page), and the clock runs
/// until it is done.
struct AllocCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "alloc", abstract: "Start a task that writes SIZE of anonymous memory, every page; wait for it.")

    @Argument(help: "How much: 4096, 512K, 300M, 2G, 1T.") var size: String
    @Option(help: "The task's name (default: hog, hog2, …).") var name: String?
    @Option(help: "Write speed, e.g. 200M/s (default: ~1.5 GiB/s, as fast as a CPU writes).") var rate: String?
    @Option(help: "Live engine: fill pages with random bytes (default; swap cannot compress them) or zero.")
    var fill: HogFill = .random
    @Flag(help: "Live engine: allocate even if free memory would fall below the floor.") var force = false
    @Option(help: "Live engine: the floor free memory must stay above (default: min + 256 MiB or 5 % of RAM).")
    var floor: String?

    func run(in session: Session) throws {
        if session.engine == .live {
            // The live engine: a child process (oom_score_adj 1000) writes the bytes on this machine.
            let bytes = try Quantity.bytesForShell(size, option: "SIZE")
            let bytesPerSecond = try rate.map { try SimArguments.rate($0) * Double(Pages.size) } ?? 0
            let floorBytes = try floor.map { try Quantity.bytesForShell($0, option: "--floor") }
            try session.liveEngine().alloc(
                bytes: bytes, name: name, rate: bytesPerSecond, fill: fill, force: force, floor: floorBytes, in: session
            )
            return
        }
        let pages = try SimArguments.pages(size, option: "SIZE")
        let pagesPerSecond = try rate.map { try SimArguments.rate($0) }
        let sim = try session.simulatorForCommand()
        let taskName = name ?? SimReport.freeName(base: "hog", taken: sim.status().tasks)
        guard !taskName.isEmpty, !taskName.contains(" ") else {
            throw ShellError.usage("--name needs a word without spaces, e.g. --name hog")
        }
        let before = SimReport.Snapshot(sim)
        let pid = try simulatorResult { () throws(SimulatorError) in
            try sim.startAllocation(name: taskName, size: pages, rate: pagesPerSecond)
        }
        let used = sim.runUntilIdle(interrupted: { session.interrupted })
        let task = sim.status().tasks.last { $0.pid == pid }
        if task?.state == "killed" {
            session.output.line(
                String(
                    format: "%@ (pid %d): killed by the OOM killer in %.2f s of simulated time", taskName, pid, used))
        } else if sim.isBusy(pid: pid) {
            // Stopped by Ctrl-C or the hour's limit: say what was written, not what was asked for.
            let written = (task?.residentPages ?? 0) + (task?.swappedPages ?? 0)
            session.output.line(
                String(
                    format: "%@ (pid %d): stopped after %.2f s of simulated time having written %@ of %@; still "
                        + "running (`run 10s` lets it go on, `release %@` ends it)", taskName, pid, used,
                    SimArguments.size(written), SimArguments.size(pages), taskName))
        } else {
            session.output.line(
                String(
                    format: "%@ (pid %d): wrote %@ in %.2f s of simulated time", taskName, pid,
                    SimArguments.size(pages), used))
        }
        SimReport.whatHappened(since: before, sim: sim, to: session.output)
    }
}

/// `release NAME|all`: the task exits and its memory is freed.
struct ReleaseCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "release", abstract: "End a task started with alloc (or all of them); its memory is freed.")

    @Argument(help: "The task's name, or all.") var name: String

    func run(in session: Session) throws {
        if session.engine == .live { return try session.liveEngine().release(name: name, in: session) }
        let sim = try session.simulatorForCommand()
        let before = sim.status()
        if name == "all" {
            sim.releaseAll()
        } else {
            try simulatorResult { () throws(SimulatorError) in try sim.release(name: name) }
        }
        let freed = before.tasks.filter { $0.state == "idle" || $0.state == "running" }
            .filter { name == "all" ? $0.name != "system" : $0.name == name }
        let resident = freed.reduce(Int64(0)) { $0 + $1.residentPages }
        let swapped = freed.reduce(Int64(0)) { $0 + $1.swappedPages }
        session.output.line(
            "released \(name == "all" ? "\(freed.count) task(s)" : name): \(SimArguments.size(resident)) of memory "
                + "and \(SimArguments.size(swapped)) of swap freed")
    }
}

/// `touch NAME`: the task reads every page back; swapped pages come back from swap.
struct TouchCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "touch", abstract: "Make a task read every page back (swapped pages are swapped in); wait for it.")

    @Argument(help: "The task's name.") var name: String

    func run(in session: Session) throws {
        if session.engine == .live {
            try session.liveEngine().touch(name: name, in: session)
            return
        }
        let sim = try session.simulatorForCommand()
        let before = SimReport.Snapshot(sim)
        let swapped = try simulatorResult { () throws(SimulatorError) in try sim.startTouch(name: name) }
        let used = sim.runUntilIdle(interrupted: { session.interrupted })
        if let pid = sim.status().tasks.last(where: { $0.name == name && $0.state != "released" })?.pid,
            let left = sim.remaining(pid: pid)
        {
            session.output.line(
                String(
                    format: "%@: stopped after %.2f s of simulated time with %@ of %@ back from swap; still reading "
                        + "(`run 10s` lets it go on)", name, used, SimArguments.size(swapped.count - left.count),
                    SimArguments.size(swapped)))
        } else {
            session.output.line(
                String(
                    format: "%@ read every page; %@ had to come back from swap; %.2f s of simulated time", name,
                    SimArguments.size(swapped), used))
        }
        SimReport.whatHappened(since: before, sim: sim, to: session.output)
    }
}

/// `cache SIZE [--dirty]`: a reader (or writer) fills the page cache.
struct CacheCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache", abstract: "Read (or with --dirty, write) SIZE of file data into the page cache; wait.")

    @Argument(help: "How much: 512M, 1G, …") var size: String
    @Flag(help: "Written data (dirty pages must be written back before they can be dropped).") var dirty = false

    func run(in session: Session) throws {
        try session.require(.sim, for: "cache")
        let pages = try SimArguments.pages(size, option: "SIZE")
        let sim = try session.simulatorForCommand()
        let before = SimReport.Snapshot(sim)
        let pid = try simulatorResult { () throws(SimulatorError) in try sim.startCacheFill(size: pages, dirty: dirty) }
        let used = sim.runUntilIdle(interrupted: { session.interrupted })
        if let left = sim.remaining(pid: pid) {
            session.output.line(
                String(
                    format: "page cache: stopped after %.2f s of simulated time having %@ %@ of %@; still running "
                        + "(`run 10s` lets it go on)", used, dirty ? "written" : "read",
                    SimArguments.size(pages.count - left.count), SimArguments.size(pages)))
        } else {
            session.output.line(
                String(
                    format: "page cache: %@ %@ in %.2f s of simulated time", dirty ? "wrote" : "read",
                    SimArguments.size(pages), used))
        }
        SimReport.whatHappened(since: before, sim: sim, to: session.output)
    }
}

/// `run DURATION`: lets simulated time pass (kswapd finishes, naps, sleeps).
struct RunCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Let simulated time pass, e.g. run 2s, run 500ms.")

    @Argument(help: "How long: 100ms, 2s, 1m.") var duration: String

    func run(in session: Session) throws {
        try session.require(.sim, for: "run")
        let seconds = try SimArguments.duration(duration)
        let sim = try session.simulatorForCommand()
        let before = SimReport.Snapshot(sim)
        let start = sim.now
        sim.run(seconds: seconds, interrupted: { session.interrupted })
        if session.interrupted {
            session.output.line(
                String(
                    format: "t = %.3f s (stopped after %.3f s of the %@ asked for)", sim.now,
                    sim.now - start, duration))
        } else {
            session.output.line(String(format: "t = %.3f s", sim.now))
        }
        SimReport.whatHappened(since: before, sim: sim, to: session.output)
    }
}

/// `reset`: the same machine, back to its start.
struct ResetCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset", abstract: "Start the simulated machine again from time 0 with the same settings.")

    func run(in session: Session) throws {
        try session.require(.sim, for: "reset")
        let config = session.simulator?.config ?? .course()
        let sim = try simulatorResult { () throws(SimulatorError) in try Simulator(config: config) }
        session.installSimulator(sim)
        session.output.line("reset: \(config.summary), t = 0")
    }
}

/// `sim about`: what the simulator models and what it simplifies.
struct SimCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim", abstract: "About the simulator: `sim about` lists what it models and what it simplifies.")

    @Argument(help: "about") var topic: String = "about"

    func run(in session: Session) throws {
        guard topic == "about" else { throw ShellError.usage("unknown topic '\(topic)'; try: sim about") }
        // The text is kept short-lined in the source; join each bullet's lines and wrap it to the terminal.
        var items: [String] = []
        for line in Simulator.about.split(separator: "\n", omittingEmptySubsequences: false) {
            let text = String(line)
            if text.hasPrefix("- ") || items.isEmpty || text.hasSuffix(":") || text.isEmpty {
                items.append(text)
            } else if let last = items.last, last.hasPrefix("- ") {
                items[items.count - 1] = last + " " + text.trimmingCharacters(in: .whitespaces)
            } else {
                items.append(text)
            }
        }
        for text in items {
            session.output.paragraph(text, indent: text.hasPrefix("- ") ? "  " : "")
        }
    }
}
