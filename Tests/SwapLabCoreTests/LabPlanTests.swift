import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabKernel
@testable import SwapLabModel

/// The lab's arithmetic against live-lab.md's numbers for the 24 GiB 6.18 machine and the captured files
/// (expected values worked out by hand from the files' numbers, written in the comments).
@Suite struct LabPlanTests {
    static let mib: Int64 = 1 << 20
    static let gib: Int64 = 1 << 30

    func grown() throws -> [ZoneSnapshot] {
        try ZoneinfoParser.parse(try Fixtures.text("snapshots/after-full-growth/zoneinfo.txt")).snapshots
    }

    /// live-lab.md §5 step 4: "24 GiB machine: wsf 1000, wake point 2,572 MiB", computed from the managed pages
    /// alone (the same 658,513 pages the wsf_1000 capture reads from /proc/zoneinfo).
    @Test func scaleFactor1000PutsTheWakePointAt2572MiB() throws {
        let w = LabPlan.wakePoint(try grown(), minFreeKbytes: 67584, scaleFactor: 1000)
        #expect(w.wakePoint == Pages(658_513))
        #expect(w.wakePoint.bytes / Self.mib == 2572)
        // And wsf 10 gives back the boot value, 187 MiB (47,962 pages).
        #expect(LabPlan.wakePoint(try grown(), minFreeKbytes: 67584, scaleFactor: 10).wakePoint == Pages(47962))
    }

    /// The default floor on the grown machine: Σ managed min 10 + 2116 + 14769 pages + 256 MiB = 322 MiB is less
    /// than 5 % of MemTotal 24,684,084 kB = 1,263,825,100 bytes.
    @Test func defaultFloorIsFivePercentOfRAMHere() throws {
        let zones = try grown()
        #expect(LabPlan.managedMin(zones) == Pages(10 + 2116 + 14769))
        let total = try #require(
            try Meminfo.parse(try Fixtures.text("snapshots/after-full-growth/meminfo.txt")).memTotal)
        #expect(
            LabPlan.defaultFloor(minWatermarks: LabPlan.managedMin(zones), memTotalBytes: total.bytes) == 1_263_825_100)
        #expect(
            LabPlan.defaultFloor(minWatermarks: Pages(16895), memTotalBytes: 4 * Self.gib) == 16895 * 4096 + 256
                * Self.mib)
    }

    /// Floor + 1 GiB = 2,337,566,924 bytes = 570,695.05 pages: wsf 858 gives 570,940 pages, wsf 857 570,322.
    @Test func smallestScaleFactorAboveFloorPlusOneGiB() throws {
        let c = LabPlan.chooseScaleFactor(
            zones: try grown(), minFreeKbytes: 67584, current: 10, target: 1_263_825_100 + Self.gib,
            maxScaleFactor: 3000)
        #expect(c.scaleFactor == 858)
        #expect(c.wakePoint == Pages(570_940))
        #expect(c.reachesTarget)
        // A target beyond wsf 1000 on a pre-5.15 kernel: the maximum, flagged.
        let capped = LabPlan.chooseScaleFactor(
            zones: try grown(), minFreeKbytes: 67584, current: 10, target: 3 * Self.gib, maxScaleFactor: 1000)
        #expect(capped.scaleFactor == 1000)
        #expect(!capped.reachesTarget)
        #expect(capped.wakePoint == Pages(658_513))
        // Already enough: the current value stays.
        let already = LabPlan.chooseScaleFactor(
            zones: try grown(), minFreeKbytes: 67584, current: 1000, target: 2 * Self.gib, maxScaleFactor: 3000)
        #expect(already.scaleFactor == 1000)
    }

    /// D1b before the balloon: free 5,832,105 pages, wake point 658,513: (5,173,592 pages − 512 MiB) / 2 MiB =
    /// 9,848.4 → 9,848 huge pages (the run itself got 9,824: free had moved by then).
    @Test func balloonForD1b() throws {
        let snaps = try ZoneinfoParser.parse(
            try Fixtures.text("runs/D1b-kswapd-swapout-clean/snap-before/zoneinfo.txt")
        ).snapshots
        let w = WakePoint.userAllocation(snaps)
        #expect(w.free == Pages(5_832_105))
        #expect(w.wakePoint == Pages(658_513))
        #expect(
            LabPlan.balloonPages(
                free: w.free.bytes, wakePoint: w.wakePoint.bytes, room: 512 * Self.mib, hugePageSize: 2 * Self.mib)
                == 9848)
        #expect(
            LabPlan.balloonPages(
                free: 2 * Self.gib, wakePoint: 2 * Self.gib, room: 512 * Self.mib, hugePageSize: 2 * Self.mib) == 0)
    }

    /// live-lab.md §5 step 6: 512 MiB to the wake point + 1 GiB = the 1.5 GiB hog (wake 2,572 MiB, floor 1.1 GiB);
    /// with a narrower gap (wake 2,230, floor 1,205 MiB) the extra is 2,230 − 1,205 − 256 = 769 MiB; never below 0.5 GiB.
    @Test func hogIsTheDistancePlusHalfToOneGiB() {
        #expect(
            LabPlan.hogSize(distance: 512 * Self.mib, wakePoint: 2572 * Self.mib, floor: 1126 * Self.mib) == 1536
                * Self.mib)
        #expect(
            LabPlan.hogSize(distance: 512 * Self.mib, wakePoint: 2230 * Self.mib, floor: 1205 * Self.mib) == 1281
                * Self.mib)
        #expect(
            LabPlan.hogSize(distance: 100 * Self.mib, wakePoint: 700 * Self.mib, floor: 600 * Self.mib) == 612
                * Self.mib)
        // 1.5 × 1.5 GiB = 2,304 MiB (a multiple of 256 MiB already); 1.5 × 1,281 MiB = 1,921.5 → 2,048 MiB.
        #expect(LabPlan.swapfileSize(hog: 1536 * Self.mib) == 2304 * Self.mib)
        #expect(LabPlan.swapfileSize(hog: 1281 * Self.mib) == 2048 * Self.mib)
    }

    /// live-lab.md run D2a: min_free_kbytes 262144 → 655360 → 1310720, each only while free ≥ 4× the new value.
    @Test func minFreeStepsAsInD2a() {
        #expect(
            LabPlan.minFreeSteps(current: 67584, target: 1_310_720, freeBytes: 22 * Self.gib) == [
                262_144, 655_360, 1_310_720,
            ])
        // 4 GiB free allows 655360 kB (2.5 GiB × … ≤ 4 GiB) but not 1310720 kB (needs 5 GiB).
        #expect(LabPlan.minFreeSteps(current: 67584, target: 1_310_720, freeBytes: 4 * Self.gib) == [262_144, 655_360])
        #expect(LabPlan.minFreeSteps(current: 2_000_000, target: 1_310_720, freeBytes: 22 * Self.gib).isEmpty)
    }

    /// The watchdog reads nr_free_pages by its exact name (not nr_free_pages_blocks or a prefix).
    @Test func watchdogReadsNrFreePagesByName() throws {
        let root = try FakeRoot.make([
            "proc/vmstat": try Fixtures.text("runs/D1b-kswapd-swapout-clean/snap-before/vmstat.txt")
        ])
        defer { FakeRoot.remove(root) }
        #expect(FloorWatchdog(floor: Pages(0), root: SystemRoot(root.path)).readFree() == Pages(5_832_105))
        #expect(try Vmstat.parse("nr_free_pages_blocks 7\nnr_free_pages 42\n")["nr_free_pages"] == 42)
        #expect(try Vmstat.parse("nr_free_pages 9\nnr_zone_x 1\n")["nr_free_pages"] == 9)
        #expect(try Vmstat.parse("nr_free_pages_blocks 7\n")["nr_free_pages"] == nil)
    }
}
