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

    /// D1b's 6.18 VM with nothing in use (min_free_kbytes 67584, wsf 10: the after-full-growth marks DMA32 low 2888,
    /// Normal low 20163; protection DMA32 21071 against Movable, Normal 0). An order-9 page passes while
    /// free - 512 >= low + protection, so Normal gives (5394266 - 20163) / 512 = 10496 huge pages, DMA32
    /// (772915 - 2888 - 21071) / 512 = 1462, DMA none (its protection is 24090).
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
        // The second batch heads the free list in allocation order: 496 from Normal, then DMA32's 1462.
        #expect(sh.execute("sysctl vm.nr_hugepages 11000"))
        #expect(free() == [dma, dma32 - 1000 * huge, normal - 10000 * huge])
        #expect(sh.execute("sysctl vm.nr_hugepages 0"))
        #expect(free() == [dma, dma32, normal])
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
    }

    @Test func helpShowsTheLabOnBothEngines() {
        let lab = CommandRegistry.find("lab")
        #expect(lab?.engineTag == "sim+live")
    }
}
