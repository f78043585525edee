import ArgumentParser
import Foundation
import SwapLabKernel
import SwapLabModel
import SwapLabSimulator

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

    static let engines = EngineChoice.sim

    func run(in session: Session) throws {
        let sources = [ram != nil, zones != nil, zoneinfo != nil].filter { $0 }.count
        guard sources <= 1 else { throw ShellError.usage("give only one of --ram, --zones and --zoneinfo") }
        let layout: MachineRequest.Zones
        if let zones {
            layout = .managed(zones)
        } else if let zoneinfo {
            // A real /proc/zoneinfo is a few hundred KiB even on large NUMA machines.
            let text: String
            do { text = try UserFile.readText(zoneinfo, limit: 16 << 20) } catch {
                throw ShellError.failed("--zoneinfo: \(error.description) (e.g. a copy of /proc/zoneinfo)")
            }
            layout = .captured(try ZoneinfoParser.parse(text, path: zoneinfo).snapshots)
        } else {
            layout = .ram(bytes: try Quantity.bytesForShell(ram ?? "4G", option: "--ram"))
        }
        let request = MachineRequest(
            zones: layout, nodes: nodes, minFreeKbytes: minFreeKbytes, thp: thp, watermarkScaleFactor: wsf,
            watermarkBoostFactor: boostFactor, swappiness: swappiness,
            swap: try SimArguments.pagesOrZero(swap, option: "--swap"),
            used: try used.map { try SimArguments.pagesOrZero($0, option: "--used") },
            cache: try cache.map { try SimArguments.pagesOrZero($0, option: "--cache") },
            dirty: try dirty.map { try SimArguments.pagesOrZero($0, option: "--dirty") } ?? .zero, seed: seed)
        let machine = try session.simulatedClock(for: "machine").makeMachine(request)
        session.output.paragraph(
            "machine: \(machine.summary); min_free_kbytes \(machine.minFreeKbytes), watermark_scale_factor "
                + "\(machine.watermarkScaleFactor), swappiness \(machine.swappiness)", indent: "  ")
        EngineText.zoneTable(machine.zones, to: session.output)
    }
}

extension Quantity {
    /// `Quantity.bytes` with the option named in the error.
    static func bytesForShell(_ text: String, option: String) throws(ShellError) -> Int64 {
        do { return try Quantity.bytes(text) } catch { throw ShellError.usage("\(option): \(error.description)") }
    }
}

/// `cache SIZE [--dirty]`: a reader (or writer) fills the page cache.
struct CacheCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache", abstract: "Read (or with --dirty, write) SIZE of file data into the page cache; wait.")

    @Argument(help: "How much: 512M, 1G, …") var size: String
    @Flag(help: "Written data (dirty pages must be written back before they can be dropped).") var dirty = false

    static let engines = EngineChoice.sim

    func run(in session: Session) throws {
        let pages = try SimArguments.pages(size, option: "SIZE")
        let clock = try session.simulatedClock(for: "cache")
        let before = try EngineText.Before(clock)
        let o = try clock.fillCache(pages, dirty: dirty)
        if let left = o.left {
            session.output.line(
                String(
                    format: "page cache: stopped after %.2f s of simulated time having %@ %@ of %@; still running "
                        + "(`run 10s` lets it go on)", o.seconds, dirty ? "written" : "read",
                    EngineText.size(pages - left), EngineText.size(pages)))
        } else {
            session.output.line(
                String(
                    format: "page cache: %@ %@ in %.2f s of simulated time", dirty ? "wrote" : "read",
                    EngineText.size(pages), o.seconds))
        }
        session.output.paragraph(try EngineText.whatHappened(since: before, engine: clock))
    }
}

/// `run DURATION`: lets simulated time pass (kswapd finishes, naps, sleeps).
struct RunCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Let simulated time pass, e.g. run 2s, run 500ms.")

    @Argument(help: "How long: 100ms, 2s, 1m.") var duration: String

    static let engines = EngineChoice.sim

    func run(in session: Session) throws {
        let seconds = try SimArguments.duration(duration)
        let clock = try session.simulatedClock(for: "run")
        let before = try EngineText.Before(clock)
        let o = try clock.run(seconds: seconds)
        if o.interrupted {
            session.output.line(
                String(
                    format: "t = %.3f s (stopped after %.3f s of the %@ asked for)", o.now, o.now - o.start, duration))
        } else {
            session.output.line(String(format: "t = %.3f s", o.now))
        }
        session.output.paragraph(try EngineText.whatHappened(since: before, engine: clock))
    }
}

/// `reset`: the same machine, back to its start.
struct ResetCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset", abstract: "Start the simulated machine again from time 0 as it was made (sysctls too).")

    static let engines = EngineChoice.sim

    func run(in session: Session) throws {
        let machine = try session.simulatedClock(for: "reset").reset()
        session.output.line("reset: \(machine.summary), t = 0")
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
