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
            captured /proc/zoneinfo (--zoneinfo FILE): then the machine starts as captured, each zone's free pages, \
            marks, protection and LRU pages as printed, even below high (--vmstat FILE gives nr_dirty). \
            --hugepages N then takes a hugetlb pool of N 2 MiB pages from the zones, as vm.nr_hugepages does.
            """)

    @Option(help: "Installed RAM, e.g. 4G, 64G, 1T.") var ram: String?
    @Option(help: "Managed pages per zone, e.g. DMA=3840,DMA32=772915,Normal=5394266.") var zones: String?
    @Option(help: "Start from a captured /proc/zoneinfo (free pages, marks, LRU pages).") var zoneinfo: String?
    @Option(help: "With --zoneinfo: a captured /proc/vmstat for nr_dirty.") var vmstat: String?
    @Option(help: "vm.nr_hugepages: a pool of 2 MiB huge pages taken from the zones.") var hugepages: Int64 = 0
    @Option(name: .customLong("min-free-kbytes"), help: "vm.min_free_kbytes (default: the kernel's sqrt rule).")
    var minFreeKbytes: Int64?
    @Flag(help: "Raise min_free_kbytes by the THP rule, as on most x86-64 distributions.") var thp = false
    @Option(help: "vm.watermark_scale_factor, 1-3000 (default 10; with --zoneinfo: read off the marks).")
    var wsf: Int64?
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
        guard vmstat == nil || zoneinfo != nil else { throw ShellError.usage("--vmstat goes with --zoneinfo FILE") }
        if zoneinfo != nil, used != nil || cache != nil || dirty != nil {
            throw ShellError.usage(
                "--zoneinfo takes the memory in use from the capture; leave out --used/--cache/--dirty")
        }
        let layout: MachineRequest.Zones
        if let zones {
            layout = .managed(zones)
        } else if let zoneinfo {
            layout = .state(try Self.capture(zoneinfo: zoneinfo, vmstat: vmstat))
        } else {
            layout = .ram(bytes: try Quantity.bytesForShell(ram ?? "4G", option: "--ram"))
        }
        let request = MachineRequest(
            zones: layout, nodes: nodes, minFreeKbytes: minFreeKbytes, thp: thp, watermarkScaleFactor: wsf ?? 10,
            watermarkBoostFactor: boostFactor, swappiness: swappiness,
            swap: try SimArguments.pagesOrZero(swap, option: "--swap"),
            used: try used.map { try SimArguments.pagesOrZero($0, option: "--used") },
            cache: try cache.map { try SimArguments.pagesOrZero($0, option: "--cache") },
            dirty: try dirty.map { try SimArguments.pagesOrZero($0, option: "--dirty") } ?? .zero, seed: seed,
            hugepages: hugepages, watermarkScaleFactorGiven: wsf != nil)
        let machine = try session.simulatedClock(for: "machine").makeMachine(request)
        Self.report(machine, to: session.output, session.words)
    }

    /// The machine made: its summary, the huge page pool when there is one, and the zones.
    static func report(_ machine: MachineOutcome, to out: Output, _ words: Words = .en) {
        out.paragraph(
            "machine: \(machine.summary); min_free_kbytes \(machine.minFreeKbytes), watermark_scale_factor "
                + "\(machine.watermarkScaleFactor), swappiness \(machine.swappiness)", indent: "  ")
        if machine.hugepagesAsked > 0 {
            let size = EngineText.size(Pages(machine.hugepages * 512))
            out.paragraph(
                machine.hugepages == machine.hugepagesAsked
                    ? words(
                        "hugetlb pool: \(machine.hugepages) huge pages of 2 MiB (\(size)) taken from the zones",
                        "hugetlb 풀: 2 MiB huge page \(machine.hugepages)개(\(size))를 zone에서 가져왔습니다")
                    : words(
                        "hugetlb pool: \(machine.hugepages) of the \(machine.hugepagesAsked) huge pages asked for "
                            + "(\(size)); the rest would need reclaim, which the simulator does not do for huge pages",
                        "hugetlb 풀: 요청한 huge page \(machine.hugepagesAsked)개 중 \(machine.hugepages)개(\(size))만 "
                            + "잡았습니다. 나머지는 회수가 있어야 하는데, 시뮬레이터는 huge page를 위해 회수하지 않습니다"))
        }
        EngineText.zoneTable(machine.zones, to: out, words)
    }

    /// A captured /proc/zoneinfo (and /proc/vmstat) as the machine to start from: each zone's snapshot and LRU pages
    /// (`nr_zone_*`), and `nr_dirty` from the vmstat capture or else the zoneinfo's node stats.
    static func capture(zoneinfo: String, vmstat: String?) throws -> MachineCapture {
        // A real /proc/zoneinfo is a few hundred KiB even on large NUMA machines; /proc/vmstat a few KiB.
        func read(_ path: String, _ option: String, _ example: String) throws -> String {
            do { return try UserFile.readText(path, limit: 16 << 20) } catch {
                throw ShellError.failed("\(option): \(error.description) (e.g. a copy of \(example))")
            }
        }
        let info = try ZoneinfoParser.parse(read(zoneinfo, "--zoneinfo", "/proc/zoneinfo"), path: zoneinfo)
        let counters = try vmstat.map { try Vmstat.parse(read($0, "--vmstat", "/proc/vmstat"), path: $0) }
        return MachineCapture(info, vmstat: counters)
    }
}

extension Quantity {
    /// `Quantity.bytes` with the option named in the error.
    static func bytesForShell(_ text: String, option: String) throws(ShellError) -> Int64 {
        do { return try Quantity.bytes(text) } catch {
            throw ShellError.usage(("\(option): \(error.description)", "\(option): \(error.ko)"))
        }
    }
}

/// `cache SIZE [--dirty]`: a reader (or writer) fills the page cache; `cache [SIZE] --file NAME` reads a named file,
/// which a later read finds in the cache (activated on its second access) or refaults.
struct CacheCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Read (--dirty: write) SIZE of file data into the page cache, or a file again with --file; wait.",
        discussion: """
            With --file NAME the data is a file you can read again: its pages still in the cache are accessed a \
            second time and move to the active list; pages evicted since come back from disk as refaults \
            (workingset_refault_file), straight to the active list when they left recently.
            """)

    @Argument(help: "How much: 512M, 1G, … (with --file, only the first time).") var size: String?
    @Flag(help: "Written data (dirty pages must be written back before they can be dropped).") var dirty = false
    @Option(
        help: ArgumentHelp("Read the file NAME, all of it; read it again with: cache --file NAME", valueName: "name"))
    var file: String?

    static let engines = EngineChoice.sim

    func run(in session: Session) throws {
        if let file {
            guard !dirty else {
                throw ShellError.usage(
                    (
                        "--file reads a file and --dirty writes new data: use one of them",
                        "--file은 파일을 읽고 --dirty는 새 데이터를 씁니다. 하나만 쓰세요"
                    ))
            }
            return try readFile(file, in: session)
        }
        guard let size else {
            throw ShellError.usage(
                (
                    "cache needs a size (cache 512M) or a file (cache 512M --file data)",
                    "cache에는 크기(cache 512M)나 파일(cache 512M --file data)이 필요합니다"
                ))
        }
        let pages = try SimArguments.pages(size, option: "SIZE")
        let clock = try session.simulatedClock(for: "cache")
        let before = try EngineText.Before(clock)
        let o = try clock.fillCache(pages, dirty: dirty)
        session.report { w in
            let time = EngineText.seconds(o.seconds, .simulated, w)
            guard let left = o.left else {
                return w(
                    "page cache: \(dirty ? "wrote" : "read") \(EngineText.size(pages)) in \(time)",
                    "페이지 캐시: \(time) 동안 \(EngineText.size(pages))를 \(dirty ? "썼습니다" : "읽었습니다")")
            }
            let done = EngineText.size(pages - left), all = EngineText.size(pages)
            return w(
                "page cache: stopped after \(time) having \(dirty ? "written" : "read") \(done) of \(all); "
                    + "still running (`run 10s` lets it go on)",
                "페이지 캐시: \(time) 뒤 멈췄습니다. \(all) 중 \(done)를 \(dirty ? "썼고" : "읽었고") "
                    + "아직 진행 중입니다 (`run 10s`로 계속합니다)")
        }
        try session.report { try EngineText.whatHappened(since: before, engine: clock, $0) }
    }

    /// `cache [SIZE] --file NAME`: where each page came from, then what reclaim did meanwhile.
    func readFile(_ name: String, in session: Session) throws {
        let pages = try size.map { try SimArguments.pages($0, option: "SIZE") }
        let clock = try session.simulatedClock(for: "cache")
        let before = try EngineText.Before(clock)
        let o = try clock.readFile(name: name, size: pages)
        session.report(lines: { out, w in Self.describe(o, to: out, w) })
        try session.report { try EngineText.whatHappened(since: before, engine: clock, $0) }
    }

    static func describe(_ o: FileReadOutcome, to out: Output, _ w: Words) {
        let size = EngineText.size, time = EngineText.seconds(o.seconds, .simulated, w)
        if let left = o.left {
            out.line(
                w(
                    "page cache: stopped reading \(o.name) after \(time), \(size(left)) still to come from disk; "
                        + "still running (`run 10s` lets it go on)",
                    "페이지 캐시: \(time) 뒤 \(o.name) 읽기를 멈췄습니다. 디스크에서 \(size(left))를 더 읽어야 하며 "
                        + "아직 진행 중입니다 (`run 10s`로 계속합니다)"))
        } else {
            out.line(
                w(
                    "page cache: read \(o.name) (\(size(o.size))) in \(time)",
                    "페이지 캐시: \(o.name)(\(size(o.size)))를 \(time) 동안 읽었습니다"))
        }
        if o.cached.count > 0 {
            out.line(w("  from the cache: \(size(o.cached))", "  캐시에서: \(size(o.cached))"))
            out.line(
                o.activated.count > 0
                    ? w(
                        "    accessed a second time: \(size(o.activated)) moved to the active list",
                        "    두 번째 접근: \(size(o.activated))가 active 리스트로 옮겨졌습니다")
                    : w(
                        "    accessed again: none moved (already active, or only marked referenced now)",
                        "    다시 접근: 옮겨진 것 없음 (이미 active이거나, 이번에 referenced 표시만 됨)"))
        }
        guard o.fromDisk.count > 0 else { return }
        out.line(w("  from disk: \(size(o.fromDisk))", "  디스크에서: \(size(o.fromDisk))"))
        guard o.refaulted.count > 0 else { return }
        out.line(
            w(
                "    refaults (evicted since the last read): \(size(o.refaulted))",
                "    리폴트 (지난번 읽은 뒤 쫓겨난 페이지): \(size(o.refaulted))"))
        out.line(
            w(
                "    evicted recently enough to go straight to the active list: \(size(o.refaultsActivated))",
                "    최근에 쫓겨나 곧바로 active 리스트로 들어간 것: \(size(o.refaultsActivated))"))
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
            session.report { w in
                String(format: "t = %.3f s ", o.now)
                    + w(
                        "(stopped after \(w.seconds(o.now - o.start, decimals: 3)) of the \(duration) asked for)",
                        "(요청한 \(duration) 중 \(w.seconds(o.now - o.start, decimals: 3)) 뒤 멈췄습니다)")
            }
        } else {
            session.output.line(String(format: "t = %.3f s", o.now))
        }
        try session.report { try EngineText.whatHappened(since: before, engine: clock, $0) }
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
