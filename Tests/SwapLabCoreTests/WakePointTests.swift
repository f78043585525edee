import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabKernel
@testable import SwapLabModel

/// The order-0 wake point of a user allocation against the numbers live-lab.md states for the 24 GiB 6.18
/// machine, and against the captured zoneinfo snapshots (expected sums written out from the files' numbers).
@Suite struct WakePointTests {
    func zones(_ file: String) throws -> [ZoneSnapshot] {
        try ZoneinfoParser.parse(try Fixtures.text(file)).snapshots
    }

    /// live-lab.md §1: "24 GiB: ~187 MiB" default wake point (min_free_kbytes 67584, wsf 10).
    @Test func defaultWakePointOnThe24GiBMachineIs187MiB() throws {
        let w = WakePoint.userAllocation(try zones("snapshots/after-full-growth/zoneinfo.txt"))
        #expect(w.highestZone == .normal)
        #expect(w.zones.map(\.zone) == [.dma, .dma32, .normal])
        // Normal low 20163 + DMA32 low 2888 + protection 21071 + DMA's free 3840 (below its low 13 + 24090).
        #expect(w.wakePoint == Pages(20163 + 2888 + 21071 + 3840))
        #expect(Int(w.wakePoint.mebibytes.rounded()) == 187)
        #expect(w.thresholdSum == Pages(20163 + 2888 + 21071 + 13 + 24090))
        #expect(w.free == Pages(3840 + 771_379 + 5_011_392))
        #expect(w.distance == Pages(771_379 - 23959 + 5_011_392 - 20163))
        #expect(w.distance == w.free - w.wakePoint)
        #expect(!w.wouldWake)
        #expect(w.isBalanced)
        #expect(w.zones.map(\.balancedThreshold) == [Pages(16 + 24090), Pages(3660 + 21071), Pages(25557)])
    }

    /// The wsf fixture lines (zoneinfo right after each write; protection is not recomputed on a wsf write,
    /// kernel.md §1.4, so it is the after-full-growth one).
    @Test(arguments: [10, 100, 1000, 3000])
    func wakePointForEachWatermarkScaleFactor(wsf: Int) throws {
        let protection: [ZoneType: [Int64]] = [
            .dma: [0, 3019, 24090, 24090, 24090], .dma32: [0, 0, 21071, 21071, 21071], .normal: [0, 0, 0, 0, 0],
        ]
        var snaps: [ZoneSnapshot] = []
        var lows: [ZoneType: Int64] = [:]
        for (zone, kv) in try Fixtures.watermarkCapture(wsf: wsf) {
            lows[zone] = kv["low"]
            snaps.append(
                ZoneSnapshot(
                    node: 0, zone: zone, free: Pages(kv["free"]!), min: Pages(kv["min"]!), low: Pages(kv["low"]!),
                    high: Pages(kv["high"]!), managed: Pages(kv["managed"]!), protection: protection[zone]!))
        }
        let w = WakePoint.userAllocation(snaps)
        let expected = lows[.normal]! + lows[.dma32]! + 21071 + 3840
        #expect(w.wakePoint.count == expected)
        if wsf == 1000 {
            // live-lab.md §5 step 4: "wsf 1000, wake point 2,572 MiB".
            #expect(w.wakePoint.count == 658_513)
            #expect(Int(w.wakePoint.mebibytes) == 2572)
        }
        if wsf == 10 { #expect(Int(w.wakePoint.mebibytes.rounded()) == 187) }
    }

    /// The D1b run's zoneinfo before the hog: the same 2,572 MiB, computed from the file itself.
    @Test func d1bWakePointFromItsOwnSnapshot() throws {
        let w = WakePoint.userAllocation(try zones("runs/D1b-kswapd-swapout-clean/snap-before/zoneinfo.txt"))
        #expect(w.wakePoint == Pages(554_195 + 79407 + 21071 + 3840))
        #expect(w.distance == Pages(3840 + 743_922 + 5_084_343 - 658_513))
        // After the run DMA32 is above high + protection (719116 > 177769): kswapd may sleep.
        let after = WakePoint.userAllocation(try zones("runs/D1b-kswapd-swapout-clean/snap-after/zoneinfo.txt"))
        #expect(after.isBalanced)
        #expect(after.zones.filter(\.isBalanced).map(\.zone) == [.dma32, .normal])
    }

    /// D2a during the direct-reclaim phase: every zone at or below low + protection → an allocation wakes kswapd;
    /// none above high + protection → kswapd cannot sleep.
    @Test func d2aDuringEveryZoneFailsLow() throws {
        let w = WakePoint.userAllocation(try zones("runs/D2a-direct-reclaim/snap-during/zoneinfo.txt"))
        #expect(w.wouldWake)
        #expect(!w.isBalanced)
        #expect(w.distance == .zero)
        #expect(w.wakePoint == Pages(3840 + 62110 + 288_021))
        #expect(w.wakePoint == w.free)
    }

    /// live-lab.md §1: on 24 GiB, wsf ≈ 570 puts the wake point at 1.5 GiB.
    @Test func scaleFactor570GivesA1Point5GiBWakePoint() throws {
        let managed: [(ZoneType, Pages)] = [(.dma, Pages(3840)), (.dma32, Pages(772_915)), (.normal, Pages(5_394_266))]
        let marks = try WatermarkFormula.perZone(managed: managed, minFreeKbytes: 67584, scaleFactor: 570)
        let protection: [[Int64]] = [[0, 3019, 24090, 24090, 24090], [0, 0, 21071, 21071, 21071], [0, 0, 0, 0, 0]]
        let snaps = zip(managed, zip(marks, protection)).map { zm, mp in
            ZoneSnapshot(
                node: 0, zone: zm.0, free: zm.1, min: mp.0.min, low: mp.0.low, high: mp.0.high, managed: zm.1,
                protection: mp.1)
        }
        let gib = Double(WakePoint.userAllocation(snaps).wakePoint.bytes) / Double(1 << 30)
        #expect(abs(gib - 1.5) < 0.02)
    }

    /// With a populated Movable zone the allocation may use it, and protection is read at Movable's slot (3 on
    /// x86-64, which has no HighMem), not at `ZoneType.index` (4).
    @Test func populatedMovableZoneIsTheHighest() {
        let snaps = [
            ZoneSnapshot(
                node: 0, zone: .dma, free: Pages(100), min: Pages(1), low: Pages(2), high: Pages(3),
                managed: Pages(100), protection: [0, 10, 20, 30, 30]),
            ZoneSnapshot(
                node: 0, zone: .dma32, free: Pages(1000), min: Pages(10), low: Pages(20), high: Pages(30),
                managed: Pages(1000), protection: [0, 0, 40, 50, 50]),
            ZoneSnapshot(
                node: 0, zone: .normal, free: Pages(5000), min: Pages(100), low: Pages(200), high: Pages(300),
                managed: Pages(5000), protection: [0, 0, 0, 70, 70]),
            ZoneSnapshot(
                node: 0, zone: .movable, free: Pages(2000), min: Pages(32), low: Pages(60), high: Pages(90),
                managed: Pages(2000), protection: [0, 0, 0, 0, 0]),
            ZoneSnapshot(
                node: 0, zone: .device, free: .zero, min: .zero, low: .zero, high: .zero, managed: .zero,
                protection: [0, 0, 0, 0, 0]),
        ]
        let w = WakePoint.userAllocation(snaps)
        #expect(w.highestZone == .movable)
        #expect(w.zones.map(\.protection) == [Pages(30), Pages(50), Pages(70), Pages(0)])
        #expect(w.wakePoint == Pages(32 + 70 + 270 + 60))
    }

    @Test func lazilyInitialisedZoneMakesMemFreeDisagree() throws {
        let baseline = try zones("snapshots/baseline-lazy-zone/zoneinfo.txt")
        let memFree = try #require(
            try Meminfo.parse(try Fixtures.text("snapshots/baseline-lazy-zone/meminfo.txt")).memFree)
        #expect(memFree == Pages(21_980_876 / 4))
        let check = FreeMemoryCheck(memFree: memFree, zones: baseline)
        #expect(check.zoneFree == Pages(3840 + 772_915 + 77875))
        #expect(check.difference == Pages(5_495_219 - 854_630))
        #expect(check.disagrees)
        #expect(check.lazyZones.map(\.zone) == [.normal])

        let grown = try zones("snapshots/after-full-growth/zoneinfo.txt")
        let grownFree = try #require(
            try Meminfo.parse(try Fixtures.text("snapshots/after-full-growth/meminfo.txt")).memFree)
        let ok = FreeMemoryCheck(memFree: grownFree, zones: grown)
        #expect(ok.difference == Pages(5_786_598 - 5_786_611))
        #expect(!ok.disagrees)
        #expect(ok.lazyZones.isEmpty)
    }
}
