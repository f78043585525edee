import Foundation
import SwapLabKernel
import SwapLabModel
import SwapLabSimulator
import SwapLabTestSupport
import Testing

@testable import SwapLabREPL

/// The simulator's parts for the lab (issue 13 item 2, issue 12's simulated `lab run`): the hugetlb pool, mlocked
/// memory, a machine that starts from a capture, and `lab run` on the simulator. Expected values are written from the
/// captured files (grep) or worked out by hand from the kernel's rules, never by the simulator.
@Suite struct SimulatorLabPartsTests {
    static let d1bDuring = "runs/D1b-kswapd-swapout-clean/snap-during"

    /// One zone as the test expects it: free, min, low, high, managed and protection.
    struct Expected {
        var zone: ZoneType
        var free, min, low, high, managed: Int64
        var protection: [Int64]
    }

    /// `grep -E 'pages free|min|low|high|managed|protection' snap-during/zoneinfo.txt` of run D1b (Normal and DMA32
    /// below high, DMA32 below low: the balloon and the hog were in).
    static let d1bZones: [Expected] = [
        Expected(
            zone: .dma, free: 3840, min: 10, low: 394, high: 778, managed: 3840,
            protection: [0, 3019, 24090, 24090, 24090]),
        Expected(
            zone: .dma32, free: 144_967, min: 2116, low: 79407, high: 156_698, managed: 772_915,
            protection: [0, 0, 21071, 21071, 21071]),
        Expected(
            zone: .normal, free: 575_137, min: 14769, low: 554_195, high: 1_093_621, managed: 5_394_266,
            protection: [0, 0, 0, 0, 0]),
    ]

    @Test func aMachineFromACaptureStartsWithTheCapturedZonesEvenBelowHigh() throws {
        let sh = SimCommandTests.shell()
        let zoneinfo = Fixtures.url("\(Self.d1bDuring)/zoneinfo.txt").path
        let vmstat = Fixtures.url("\(Self.d1bDuring)/vmstat.txt").path
        #expect(sh.execute("machine --zoneinfo \(zoneinfo) --vmstat \(vmstat) --swap 0"))
        let sim = try #require(sh.session.simulator)
        let zones = sim.zoneSnapshots()
        #expect(zones.map(\.zone) == Self.d1bZones.map(\.zone))
        for (z, e) in zip(zones, Self.d1bZones) {
            #expect(z.free.count == e.free, "\(e.zone)")
            #expect([z.min, z.low, z.high].map(\.count) == [e.min, e.low, e.high], "\(e.zone)")
            #expect(z.managed.count == e.managed, "\(e.zone)")
            #expect(z.protection == e.protection, "\(e.zone)")
        }
        // The sysctls read off the marks: the run's min_free_kbytes 67584 (THP rule) and the lab's wsf 1000.
        #expect(sim.sysctl(.minFreeKbytes) == 67584)
        #expect(sim.sysctl(.watermarkScaleFactor) == 1000)
        // LRU pages from nr_zone_*: anon 94684 + 75 + 171739 + 543, file 9981 + 9510 + 46439 + 49798, unevictable
        // 15 + 3908; dirty from the vmstat capture's nr_dirty.
        let memory = try #require(try sh.session.simulatorEngine.status().memory)
        #expect(memory.anon.count == 267_041)
        #expect(memory.file.count == 115_728)
        #expect(memory.unevictable?.count == 3923)
        #expect(memory.dirty.count == 2752)
        // kswapd starts asleep and wakes as the kernel would: at the first allocation that fails at low.
        #expect(sim.timeline().events.isEmpty)
        // Above low + protection: DMA32 144967 - 79407 - 21071, Normal 575137 - 554195: 65431 pages (255 MiB).
        #expect(sh.execute("alloc 300M"))
        #expect(sim.timeline().events.contains { $0.name == TracepointName.wakeupKswapd.rawValue })
    }

    /// The sysctls read off captured marks are the ones the runs were made with (Tests/Fixtures README): D2a raised
    /// min_free_kbytes to 1310720 at wsf 10; after-full-growth ran at 67584 and 10 (baseline sysctl_vm.txt). D6b's
    /// marks, worked by hand: Normal min 229147 = 262144 × 5394266 / 6171021 (pages_min 262144, so 1048576 kB, the
    /// smallest of the four kB values that give it) and its gap 161827 = 5394266 × 300 / 10000 (wsf 300).
    @Test(arguments: [
        ("runs/D2a-direct-reclaim/snap-during/zoneinfo.txt", Int64(1_310_720), Int64(10)),
        ("runs/D6b-sawtooth-normal-swap/snap-during/zoneinfo.txt", Int64(1_048_576), Int64(300)),
        ("snapshots/after-full-growth/zoneinfo.txt", Int64(67584), Int64(10)),
    ])
    func theSysctlsAreReadOffTheCapturedMarks(file: String, minFreeKbytes: Int64, scaleFactor: Int64) throws {
        let info = try ZoneinfoParser.parse(try Fixtures.text(file))
        let zones = info.snapshots.filter { $0.managed.count > 0 }
        let inferred = MachineConfig.inferredSysctls(zones)
        #expect(inferred.minFreeKbytes == minFreeKbytes)
        #expect(inferred.watermarkScaleFactor == scaleFactor)
    }

    /// Every captured zoneinfo starts a machine whose zones show the file's free pages and marks, and whose LRU
    /// pages fit in what is not free; a hog then runs on it to the end without breaking that.
    @Test func everyCaptureStartsAMachineThatKeepsItsBooks() throws {
        let files = Fixtures.zoneinfoFiles
        #expect(files.count >= 10)
        for file in files {
            let sh = SimCommandTests.shell()
            #expect(sh.execute("machine --zoneinfo \(Fixtures.url(file).path) --swap 1G"), "\(file)")
            let sim = try #require(sh.session.simulator, "\(file)")
            let captured = try ZoneinfoParser.parse(try Fixtures.text(file)).snapshots.filter {
                $0.managed.count > 0 && $0.zone != .device
            }
            #expect(sim.zoneSnapshots().map(\.free) == captured.map(\.free), "\(file)")
            #expect(sim.zoneSnapshots().map(\.low) == captured.map(\.low), "\(file)")
            #expect(sh.execute("alloc 512M; run 1s"), "\(file)")
            let status = try sh.session.simulatorEngine.status()
            let memory = try #require(status.memory)
            let used = status.zones.reduce(Int64(0)) { $0 + $1.managed.count - $1.free.count }
            let lru = memory.anon.count + memory.file.count + (memory.unevictable?.count ?? 0)
            #expect(status.zones.allSatisfy { $0.free.count >= 0 && $0.free <= $0.managed }, "\(file)")
            #expect(lru <= used, "\(file)")
        }
    }

    /// D1b's 6.18 VM with nothing in use (min_free_kbytes 67584, wsf 10: the after-full-growth marks DMA32 low 2888,
    /// Normal low 20163; protection DMA32 21071 against Movable, Normal 0). An order-9 page passes while
    /// free - 512 >= low + protection, so Normal gives (5394266 - 20163) / 512 = 10496 huge pages, DMA32
    /// (772915 - 2888 - 21071) / 512 = 1462, DMA none (its protection is 24090).
    ///
    /// Huge pages given back wait on the writing CPU's per-CPU list while it stays under its high, low / 2 CPUs:
    /// Normal 10081 holds 19 (9728 pages), DMA32 1444 holds 2 (1024 pages); the rest is free again.
    @Test func theHugePoolTakesTheHighestZoneFirstAndGivesPagesBackToTheirZones() throws {
        let sh = SimCommandTests.shell()
        #expect(
            sh.execute(
                "machine --zones DMA=3840,DMA32=772915,Normal=5394266 --min-free-kbytes 67584 --swap 0 --used 0 --cache 0"
            ))
        let sim = try #require(sh.session.simulator)
        let marks = sim.zoneSnapshots().map { [$0.min, $0.low, $0.high] }
        func free() -> [Int64] { sim.zoneSnapshots().map(\.free.count) }
        #expect(sh.execute("sysctl vm.nr_hugepages 10000"))
        let (dma, dma32, normal): (Int64, Int64, Int64) = (3840, 772_915, 5_394_266)
        let huge: Int64 = 512
        #expect(free() == [dma, dma32, normal - 10000 * huge])
        #expect(sh.execute("sysctl vm.nr_hugepages 12000"))
        #expect(sh.session.output.takeCaptured().contains("the pool stopped at 11958 of 12000"))
        #expect(sim.sysctl(.nrHugepages) == 11958)
        #expect(free() == [dma, dma32 - 1462 * huge, normal - 10496 * huge])
        // The second batch heads the free list in allocation order: 496 from Normal (19 wait on Normal's per-CPU
        // list, 477 are free), then 462 of DMA32's 1462 (2 wait, 460 are free).
        #expect(sh.execute("sysctl vm.nr_hugepages 11000"))
        #expect(free() == [dma, dma32 - 1002 * huge, normal - 10019 * huge])
        #expect(sim.perCPUHugePages == 21 * huge)
        #expect(sh.session.output.takeCaptured().contains("42 MiB of freed huge pages wait on the per-CPU lists"))
        // The lists are full: the remaining 11000 all become free.
        #expect(sh.execute("sysctl vm.nr_hugepages 0"))
        #expect(free() == [dma, dma32 - 2 * huge, normal - 19 * huge])
        // Normal passes the order-9 check, so it gives its 19 waiting huge pages first, then one from free.
        #expect(sh.execute("sysctl vm.nr_hugepages 20"))
        #expect(free() == [dma, dma32 - 2 * huge, normal - 20 * huge])
        #expect(sim.perCPUHugePages == 2 * huge)
        // set_max_huge_pages() leaves the watermarks alone.
        #expect(sim.zoneSnapshots().map { [$0.min, $0.low, $0.high] } == marks)
    }

    @Test func machineHugepagesTakesThePoolAtStart() throws {
        let sh = SimCommandTests.shell()
        #expect(
            sh.execute(
                "machine --zones DMA=3840,DMA32=772915,Normal=5394266 --min-free-kbytes 67584 --swap 0 --used 0 "
                    + "--cache 0 --hugepages 100"))
        #expect(sh.session.output.takeCaptured().contains("hugetlb pool: 100 huge pages of 2 MiB (200 MiB)"))
        let sim = try #require(sh.session.simulator)
        let expected: [Int64] = [3840, 772_915, 5_394_266 - 51200]
        #expect(sim.zoneSnapshots().map(\.free.count) == expected)
        let memory = try #require(try sh.session.simulatorEngine.status().memory)
        #expect(memory.hugetlb?.count == 51200)
    }

    /// `alloc --mlock` pages sit on the unevictable list: a hog that needs swap takes none of them.
    @Test func mlockedPagesAreNeverScannedOrSwapped() throws {
        let sh = SimCommandTests.shell()
        #expect(sh.execute("machine --ram 4G --swap 2G; alloc 1G --mlock --name pin; alloc 2G --name hog"))
        let tasks = try sh.session.simulatorEngine.status().tasks
        let pin = try #require(tasks.first { $0.name == "pin" })
        let hog = try #require(tasks.first { $0.name == "hog" })
        #expect(pin.resident.count == 262_144)
        #expect(pin.locked?.count == 262_144)
        #expect(pin.swapped.count == 0)
        #expect(hog.swapped.count > 0)
        #expect(sh.session.simulator?.vmstat["nr_mlock"] == 262_144)
        _ = sh.session.output.takeCaptured()
        #expect(sh.execute("allocs"))
        let allocs = sh.session.output.takeCaptured()
        #expect(allocs.contains("MLOCKED"))
        let rows = allocs.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(rows.contains("pin 1000 1 GiB 0 B 1 GiB idle"))
        #expect(!sh.execute("engine live; alloc 1M --mlock"))
    }

    /// The 6.18 VM after its Normal zone grew (22 GiB free), with its sysctls: `lab run` on the simulator tells the
    /// whole story, says first that it is simulated, and leaves its machine for `explain`.
    @Test func labRunOnTheSimulatorTellsTheStoryOnAMachineBuiltFromThisOne() throws {
        let root = try FakeRoot.fromSnapshot(
            "snapshots/after-full-growth",
            extra: [
                "proc/sys/vm/min_free_kbytes": "67584\n", "proc/sys/vm/watermark_scale_factor": "10\n",
                "proc/sys/vm/watermark_boost_factor": "15000\n", "proc/sys/vm/swappiness": "60\n",
            ])
        defer { FakeRoot.remove(root) }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-test-\(UUID().uuidString)")
        let sh = Shell(
            session: Session(output: Output(capturingWidth: 80), systemRoot: root.path, stateDirectory: state))
        #expect(sh.execute("lab run"))
        let out = sh.session.output.takeCaptured()
        #expect(out.hasPrefix("SIMULATED: this lab runs in the simulator"))
        #expect(out.split(separator: "\n").allSatisfy { DisplayWidth.of(String($0)) <= 80 })
        #expect(out.contains("1. the notes' recipe as written: alloc 2G"))
        #expect(out.contains("nothing happened"))
        #expect(sh.session.live == nil)
        #expect(sh.execute("lab run --json"))
        let json = sh.session.output.takeCaptured()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["verdict"] as? String == "ok")
        for phase in ["wake", "sleep", "swap_out", "swap_in"] { #expect(object["phase_\(phase)_ok"] as? Bool == true) }
        #expect(object["restored"] as? Bool == true)
        #expect((object["balloon_huge_pages"] as? Int ?? 0) > 0)
        #expect(object["min_free_kbytes"] as? Int == 67584)
        let sim = try #require(sh.session.simulator)
        #expect(sim.sysctl(.watermarkScaleFactor) == 10)
        #expect(sim.hugePages == 0)
        #expect(sh.execute("explain"))
        #expect(sh.session.output.takeCaptured().contains("hog (pid "))
        // A second run's clock goes on from the first's: nothing of it falls before a check window started then.
        let first = sim.now
        #expect(sh.execute("lab run --json"))
        let second = try #require(sh.session.simulator)
        #expect(second !== sim)
        #expect(second.timeline().events.allSatisfy { $0.time >= first })
    }

    /// Without a readable /proc/zoneinfo the lab's machine is `machine --ram MemTotal` (24684084 kB in the capture's
    /// meminfo: 23.54 GiB).
    @Test func labRunWithoutZoneinfoBuildsAMachineOfThisMachinesMemTotal() throws {
        let meminfo = try Fixtures.text("snapshots/after-full-growth/meminfo.txt")
        let root = try FakeRoot.make(["proc/meminfo": meminfo])
        defer { FakeRoot.remove(root) }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-test-\(UUID().uuidString)")
        let sh = Shell(
            session: Session(output: Output(capturingWidth: 80), systemRoot: root.path, stateDirectory: state))
        _ = sh.execute("lab run")
        let out = sh.session.output.takeCaptured()
        #expect(out.hasPrefix("SIMULATED: this lab runs in the simulator, on a machine built from machine --ram"))
        #expect(out.contains("machine: 23.54 GiB RAM, no swap, 1 node"))
        #expect(!sh.execute("lab run --direct"))
    }

    @Test func helpShowsTheLabOnBothEngines() {
        let lab = CommandRegistry.find("lab")
        #expect(lab?.engineTag == "sim+live")
    }
}
