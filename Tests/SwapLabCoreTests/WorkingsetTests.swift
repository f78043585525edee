import Foundation
import SwapLabExplain
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

    /// `folio_mark_accessed()` through `cache --file`: 128 MiB is 32,768 pages. The first read puts them on the
    /// inactive list with `PG_referenced`; the second finds them all in the cache and activates them (`pgactivate`,
    /// the clock ages by as many: `workingset_activation()`); the third finds them active and referenced and moves
    /// nothing. No read refaults.
    @Test func aSecondReadActivatesTheCachedPages() throws {
        let sim = try Simulator(config: .course())
        let start = sim.vmstat
        let first = try sim.startFileRead(name: "data", size: Pages(bytes: 128 << 20))
        #expect(first.cached == .zero && first.missing == Pages(32_768))
        sim.runUntilIdle()
        let afterFirst = sim.vmstat
        #expect(afterFirst["nr_inactive_file"] == (start["nr_inactive_file"] ?? 0) + 32_768)
        #expect(afterFirst["nr_active_file"] == start["nr_active_file"])
        let age = sim.nodes[0].workingset.nonresidentAge
        let second = try sim.startFileRead(name: "data", size: nil)
        #expect(second.cached == Pages(32_768) && second.activated == Pages(32_768) && second.missing == .zero)
        let afterSecond = sim.vmstat
        #expect(afterSecond["nr_active_file"] == (start["nr_active_file"] ?? 0) + 32_768)
        #expect(afterSecond["nr_inactive_file"] == start["nr_inactive_file"])
        #expect(afterSecond["pgactivate"] == (afterFirst["pgactivate"] ?? 0) + 32_768)
        #expect(sim.nodes[0].workingset.nonresidentAge == age + 32_768)
        let third = try sim.startFileRead(name: "data", size: Pages(bytes: 128 << 20))
        #expect(third.cached == Pages(32_768) && third.activated == .zero)
        #expect(sim.vmstat["workingset_refault_file"] == 0)
        // A different size for the same file, or no size for a new one, is refused.
        #expect(throws: SimulatorError.fileSizeDiffers(name: "data", size: "128 MiB")) {
            try sim.startFileRead(name: "data", size: Pages(bytes: 64 << 20))
        }
        #expect(throws: SimulatorError.fileUnread(name: "logs")) { try sim.startFileRead(name: "logs", size: nil) }
        // A read still running (here: just started, 64 MiB still to come) must finish before the next.
        try sim.startFileRead(name: "logs", size: Pages(bytes: 64 << 20))
        #expect(throws: SimulatorError.fileBusy(name: "logs")) { try sim.startFileRead(name: "logs", size: nil) }
    }

    /// `workingset_refault()` through `cache --file`: a file read twice (all active) is pushed out by a 3.5 GiB
    /// allocation on the course machine. Deactivated pages carry `PG_workingset`, so their shadows do too. On the
    /// third read every page not in the cache is a refault, and each refault is recent (swap has room, so the anon
    /// pages count in the workingset the distance is measured against): activated, and a restore.
    @Test func evictedPagesOfAFileRefaultActiveAndRestored() throws {
        let sim = try Simulator(config: .course())
        try sim.startFileRead(name: "data", size: Pages(bytes: 128 << 20))
        sim.runUntilIdle()
        try sim.startFileRead(name: "data", size: nil)
        try sim.startAllocation(name: "hog", size: Pages(bytes: 3_500 << 20))
        sim.runUntilIdle()
        let before = sim.vmstat
        let resident = sim.files[0].resident
        #expect(resident < 32_768 / 2, "the hog should push most of the file out, \(resident) pages left")
        #expect(sim.files[0].shadows.reduce(0) { $0 + $1.count } == 32_768 - resident)
        let read = try sim.startFileRead(name: "data", size: nil)
        #expect(read.cached == Pages(resident) && read.missing == Pages(32_768 - resident))
        sim.runUntilIdle()
        let after = sim.vmstat
        func moved(_ k: String) -> Int64 { (after[k] ?? 0) - (before[k] ?? 0) }
        #expect(moved("workingset_refault_file") == 32_768 - resident)
        #expect(moved("workingset_activate_file") == 32_768 - resident)
        #expect(moved("workingset_restore_file") == 32_768 - resident)
        // explain tells the refaults, and that all of them were workingset, in both languages.
        let report = ReclaimExplainer.analyze(sim.timeline())
        let refaults = try #require(report.counterDeltas["workingset_refault_file"])
        #expect(refaults == 32_768 - resident)
        #expect(report.counterDeltas["workingset_activate_file"] == refaults)
        let count = refaults.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
        let en = ReclaimNarrative.paragraphs(report, lang: .en).filter { $0.hasPrefix("File refaults:") }
        #expect(en.count == 1)
        #expect(en.first?.contains("workingset_refault_file +\(count) pages") == true)
        #expect(en.first?.contains("; \(count) of them (workingset_activate_file) had left so recently") == true)
        let ko = ReclaimNarrative.paragraphs(report, lang: .ko).filter { $0.hasPrefix("파일 리폴트:") }
        #expect(ko.first?.contains("그중 \(count) 페이지(workingset_activate_file)는 쫓겨난 지 얼마 되지 않아") == true)
    }
}
