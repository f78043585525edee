import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabModel
@testable import SwapLabSimulator

/// Pages belong to a zone (`page_zone()`): they come from the zone the allocator's zonelist walk chose and go back to
/// it when freed. Zones are the real 6.18 VM's (snapshots/watermark_scale_factor, min_free_kbytes 67584).
@Suite struct SimulatorZoneTests {
    /// The zones and the marks the kernel printed for `wsf` ("DMA: free=3840 min=10 low=13 high=16 … managed=3840").
    static func capture(wsf: Int) throws -> [(zone: ZoneType, marks: [String: Int64])] {
        try Fixtures.watermarkCapture(wsf: wsf)
    }

    /// An empty machine with the captured zones: nothing in use, no swap.
    static func emptyMachine(wsf: Int64 = 10) throws -> Simulator {
        let zones = try capture(wsf: 10).map { ZoneSpec($0.zone, Pages($0.marks["managed"]!)) }
        return try Simulator(
            config: MachineConfig(
                nodes: [zones], minFreeKbytes: 67584, watermarkScaleFactor: wsf, swap: .zero, used: .zero,
                cleanCache: .zero))
    }

    static func free(_ sim: Simulator) -> [ZoneType: Int64] {
        Dictionary(uniqueKeysWithValues: sim.zoneSnapshots().map { ($0.zone, $0.free.count) })
    }

    /// A hog that spilled from Normal into DMA32 gives each zone back exactly what it took, even after a second task
    /// took more of DMA32 (the old model split the freed pages in proportion to each zone's use).
    @Test func aReleasedHogsPagesGoBackToTheZonesTheyCameFrom() throws {
        let sim = try Self.emptyMachine()
        // Normal (5,394,266 managed, low 20,163) gives down to its low; the rest comes from DMA32, whose low plus
        // protection (2,888 + 5,394,266 / 256 = 24,009) is far away. DMA stays below its low + protection.
        let normalSpare: Int64 = 5_394_266 - 20_163
        try sim.startAllocation(name: "hog", size: Pages(normalSpare + 100_000))
        sim.runUntilIdle()
        #expect(Self.free(sim) == [.dma: 3840, .dma32: 672_915, .normal: 20_163])
        try sim.startAllocation(name: "b", size: Pages(200_000))
        sim.runUntilIdle()
        #expect(Self.free(sim) == [.dma: 3840, .dma32: 472_915, .normal: 20_163])
        #expect(sim.vmstat["pgscan_kswapd"] == 0 && sim.vmstat["allocstall_movable"] == 0)
        try sim.release(name: "hog")
        #expect(Self.free(sim) == [.dma: 3840, .dma32: 572_915, .normal: 5_394_266])
        try sim.release(name: "b")
        #expect(Self.free(sim) == [.dma: 3840, .dma32: 772_915, .normal: 5_394_266])
    }

    /// `sysctl vm.watermark_scale_factor N` on the running machine sets the marks the real 6.18 machine printed right
    /// after the same write; protection stays as it was.
    @Test(arguments: [100, 1000, 3000, 10])
    func writingTheScaleFactorSetsTheKernelsMarks(wsf: Int) throws {
        let sim = try Self.emptyMachine()
        let protection = sim.zoneSnapshots().map(\.protection)
        sim.run(seconds: 1)
        let old = try sim.setSysctl(.watermarkScaleFactor, value: Int64(wsf))
        #expect(old == 10)
        let expected = try Self.capture(wsf: wsf)
        let zones = sim.zoneSnapshots()
        #expect(zones.map(\.zone) == expected.map(\.zone))
        for (z, e) in zip(zones, expected) {
            #expect([z.min.count, z.low.count, z.high.count] == [e.marks["min"]!, e.marks["low"]!, e.marks["high"]!])
        }
        #expect(zones.map(\.protection) == protection)
        #expect(sim.sysctl(.watermarkScaleFactor) == Int64(wsf))
        // The timeline shows the new marks from the write on, with a marker.
        let t = sim.timeline()
        #expect(t.markers.last?.label == "sysctl vm.watermark_scale_factor=\(wsf)")
        #expect(t.samples.last?.zones.map(\.high.count) == expected.map { $0.marks["high"]! })
    }

    /// The kernel refused 3001 (`Invalid argument`) and kept the marks of 3000; so does the simulator, and it says
    /// the range.
    @Test func aScaleFactorAbove3000IsRefusedAndTheMarksStay() throws {
        let sim = try Self.emptyMachine()
        try sim.setSysctl(.watermarkScaleFactor, value: 3000)
        #expect(throws: SimulatorError.outOfRange(setting: "vm.watermark_scale_factor", value: 3001, range: 1...3000)) {
            try sim.setSysctl(.watermarkScaleFactor, value: 3001)
        }
        let expected = try Self.capture(wsf: 3001)
        #expect(sim.zoneSnapshots().map(\.high.count) == expected.map { $0.marks["high"]! })
        #expect(sim.sysctl(.watermarkScaleFactor) == 3000)
        #expect(throws: SimulatorError.outOfRange(setting: "vm.swappiness", value: 201, range: 0...200)) {
            try sim.setSysctl(.swappiness, value: 201)
        }
        #expect(throws: SimulatorError.outOfRange(setting: "vm.min_free_kbytes", value: -1, range: 0...2_147_483_647)) {
            try sim.setSysctl(.minFreeKbytes, value: -1)
        }
    }

    /// A machine booted with the sqrt rule's min_free_kbytes gets the capture's marks once min_free_kbytes is written
    /// as 67584 (the value THP set on the real machine): `min_free_kbytes_sysctl_handler()` →
    /// `setup_per_zone_wmarks()`.
    @Test func writingMinFreeKbytesSetsTheKernelsMarks() throws {
        let zones = try Self.capture(wsf: 1000).map { ZoneSpec($0.zone, Pages($0.marks["managed"]!)) }
        let sim = try Simulator(
            config: MachineConfig(nodes: [zones], watermarkScaleFactor: 1000, used: .zero, cleanCache: .zero))
        // int_sqrt((3840 + 772915 + 5394266) * 4 * 16) = 19873 kB at boot.
        #expect(sim.sysctl(.minFreeKbytes) == 19873)
        #expect(try sim.setSysctl(.minFreeKbytes, value: 67584) == 19873)
        let expected = try Self.capture(wsf: 1000)
        for (z, e) in zip(sim.zoneSnapshots(), expected) {
            #expect([z.min.count, z.low.count, z.high.count] == [e.marks["min"]!, e.marks["low"]!, e.marks["high"]!])
        }
    }

    /// Marks raised on a running machine count from the next step: an allocation the old marks let through the fast
    /// path now finds every zone at or below low and wakes kswapd, which then reclaims to the new high.
    @Test func raisedMarksWakeKswapdAtTheNextAllocation() throws {
        let zones = try Self.capture(wsf: 10).map { ZoneSpec($0.zone, Pages($0.marks["managed"]!)) }
        let sim = try Simulator(
            config: MachineConfig(
                nodes: [zones], minFreeKbytes: 67584, swap: Pages(bytes: 8 << 30), used: .zero, cleanCache: .zero))
        // Normal down to its low (20,163), DMA32 down to 90,000: above low 2,888 + protection 21,071 at wsf 10, below
        // low 79,407 + 21,071 at wsf 1000.
        try sim.startAllocation(name: "hog", size: Pages(5_394_266 - 20_163 + 772_915 - 90_000))
        sim.runUntilIdle()
        #expect(Self.free(sim) == [.dma: 3840, .dma32: 90_000, .normal: 20_163])
        #expect(TimelineReader(timeline: sim.timeline()).events("mm_vmscan_wakeup_kswapd").isEmpty)
        try sim.setSysctl(.watermarkScaleFactor, value: 1000)
        let written = sim.now
        try sim.startAllocation(name: "b", size: Pages(1000))
        sim.runUntilIdle()
        sim.run(seconds: 30)
        let r = TimelineReader(timeline: sim.timeline())
        let wakes = r.events("mm_vmscan_wakeup_kswapd")
        #expect(wakes.first?.comm == "b")
        #expect(wakes.first.map { $0.time >= written } == true)
        let sleep = try #require(r.events("mm_vmscan_kswapd_sleep").last)
        let s = try #require(r.sample(at: sleep.time))
        // Balanced at the new marks: the hog's oldest pages are Normal's, so reclaim frees Normal first, up to its
        // wsf-1000 high (1,093,621).
        let balanced = s.zones.filter { z in z.free.count > z.high.count + (z.protection?[3] ?? 0) }.map(\.zone)
        #expect(balanced == [ZoneType.normal])
    }

    /// `reset` builds the machine as it was made, with the sysctls it was made with.
    @Test func resetGoesBackToTheBootSettings() throws {
        let engine = SimulatorEngine()
        engine.install(try Self.emptyMachine())
        _ = try engine.setSysctl(name: .watermarkScaleFactor, value: 1000)
        _ = try engine.setSysctl(name: .swappiness, value: 100)
        #expect(try engine.sysctl(name: .swappiness) == 100)
        _ = try engine.reset()
        #expect(try engine.sysctl(name: .watermarkScaleFactor) == 10)
        #expect(try engine.sysctl(name: .swappiness) == 60)
        #expect(try engine.status().zones.map(\.high.count) == [16, 3660, 25557])
    }
}
