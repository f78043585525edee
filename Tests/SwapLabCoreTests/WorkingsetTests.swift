import Testing

@testable import SwapLabModel
@testable import SwapLabSimulator

/// mm/workingset.c in the simulator: shadows, refault distance, activation and `may_deactivate`.
@Suite struct WorkingsetTests {
    /// `workingset_test_recent()`: the course machine (swap 2 GiB) has a file workingset of active file + active anon
    /// + inactive anon. A shadow whose distance equals that size is recent: the 10 pages are counted as refaulted,
    /// activated and restored, and the eviction clock ticks by 10; one page further is not recent.
    @Test func aRefaultWithinTheWorkingsetIsActivated() throws {
        let sim = try Simulator(config: .course())
        let v = sim.vmstat
        let size = try #require(v["nr_active_file"]) + (v["nr_active_anon"] ?? 0) + (v["nr_inactive_anon"] ?? 0)
        sim.nodes[0].workingset.nonresidentAge = size + 5
        #expect(sim.refault(Shadow(count: 10, age: 5, workingset: true), node: 0, file: true))
        #expect(sim.nodes[0].workingset.nonresidentAge == size + 15)
        #expect(sim.vmstat["workingset_refault_file"] == 10)
        #expect(sim.vmstat["workingset_activate_file"] == 10)
        #expect(sim.vmstat["workingset_restore_file"] == 10)
        #expect(!sim.refault(Shadow(count: 3, age: 14, workingset: true), node: 0, file: true))
        #expect(sim.vmstat["workingset_refault_file"] == 13)
        #expect(sim.vmstat["workingset_activate_file"] == 10)
        #expect(sim.nodes[0].workingset.nonresidentAge == size + 15)
    }

    /// `prepare_scan_control()`: an activation since the last `snapshot_refaults()` lets the active file list be aged
    /// even though its inactive list is not low (the course machine starts with half its cache on each list).
    @Test func refaultActivationsLetTheActiveListBeAgedUntilTheSnapshot() throws {
        let sim = try Simulator(config: .course())
        #expect(!sim.mayDeactivate(0, file: true))
        sim.nodes[0].workingset.nonresidentAge = 1
        #expect(sim.refault(Shadow(count: 1, age: 0, workingset: false), node: 0, file: true))
        #expect(sim.mayDeactivate(0, file: true))
        // `system`'s anon is all active, so its inactive list is low and anon may be aged anyway.
        #expect(sim.mayDeactivate(0, file: false))
        sim.snapshotRefaults(0)
        #expect(!sim.mayDeactivate(0, file: true))
    }

    /// An evicted page's shadow takes the clock before it ticks: two evictions of 7 and 5 pages leave ages 0 and 7.
    @Test func evictionTicksTheClockAfterTakingIt() throws {
        let sim = try Simulator(config: .course())
        let a = sim.evicted(Cohort(owner: 0, zone: 0, count: 7, young: false, referenced: false), node: 0)
        let b = sim.evicted(
            Cohort(owner: Cohort.pageCache, zone: 0, count: 5, young: false, referenced: false), node: 0)
        #expect(a.age == 0 && b.age == 7)
        #expect(sim.nodes[0].workingset.nonresidentAge == 12)
    }
}
