import Foundation
import Testing

@testable import SwapLabModel
@testable import SwapLabSimulator

/// Reading a simulated timeline the way a lesson check would: events, and the sample taken at each event.
struct TimelineReader {
    let timeline: Timeline

    /// The last sample taken at or before `time` (the simulator samples the state at every milestone event).
    func sample(at time: Double) -> Sample? {
        timeline.samples.last { $0.time <= time }
    }

    func events(_ name: String) -> [TraceEvent] { timeline.events.filter { $0.name == name } }

    /// `lowmem_reserve[ZONE_MOVABLE]` of each zone of `node` in the sample, from `setup_per_zone_lowmem_reserve()`.
    static func protection(_ s: Sample, node: Int) -> [ZoneType: Int64] {
        let kernelZones: [ZoneType] = [.dma, .dma32, .normal, .movable, .device]
        let managed = kernelZones.map { z in (z, s.zone(z, node: node)?.managed ?? .zero) }
        let rows = WatermarkFormula.lowmemReserve(managed: managed)
        var result: [ZoneType: Int64] = [:]
        for (i, z) in kernelZones.enumerated() { result[z] = rows[i][3] }
        return result
    }

    /// Zones a user allocation may use (managed, not Device).
    static func eligible(_ s: Sample) -> [ZoneSample] {
        s.zones.filter { $0.managed.count > 0 && $0.zone != .device }
    }
}

/// The kernel's reclaim rules hold in the simulated timeline, over RAM × watermark_scale_factor × swappiness × swap.
@Suite struct SimulatorBehaviourTests {
    /// Builds a machine, allocates 70 % of RAM on top of what is in use, lets kswapd finish.
    static func scenario(ramGiB: Int64, wsf: Int64, swappiness: Int64, swapGiB: Int64) throws -> Simulator {
        let zones = try MachineConfig.defaultZones(ramBytes: ramGiB << 30, nodes: 1)
        let sim = try Simulator(
            config: MachineConfig(
                nodes: zones, watermarkScaleFactor: wsf, swappiness: swappiness, swap: Pages(bytes: swapGiB << 30),
                ramBytes: ramGiB << 30))
        try sim.startAllocation(name: "hog", size: Pages(bytes: ramGiB << 30) * 7 / 10)
        sim.runUntilIdle(limit: 600)
        sim.run(seconds: 1)
        return sim
    }

    static let grid: [(Int64, Int64, Int64, Int64)] = [4, 8].flatMap { ram in
        [10, 300].flatMap { wsf in [0, 60, 200].flatMap { sw in [0, 2].map { swap in (ram, wsf, sw, swap) } } }
    }

    @Test(arguments: grid)
    func reclaimRulesHold(ramGiB: Int64, wsf: Int64, swappiness: Int64, swapGiB: Int64) throws {
        let sim = try Self.scenario(ramGiB: ramGiB, wsf: wsf, swappiness: swappiness, swapGiB: swapGiB)
        let r = TimelineReader(timeline: sim.timeline())
        let c = sim.vmstat

        // kswapd never wakes while some eligible zone is above low (+ its protection for the request).
        let wakeups = r.events("mm_vmscan_wakeup_kswapd")
        #expect(!wakeups.isEmpty, "the hog should have woken kswapd")
        for e in wakeups {
            let s = try #require(r.sample(at: e.time))
            let prot = TimelineReader.protection(s, node: 0)
            for z in TimelineReader.eligible(s) {
                #expect(z.free.count <= z.low.count + prot[z.zone]!, "wakeup at \(e.time) with \(z.zone) above low")
            }
        }

        // kswapd never sleeps before a zone is balanced at high (or it gave up after 16 runs without progress).
        var wakesSinceSleep = 0
        for e in r.timeline.events {
            if e.name == "mm_vmscan_kswapd_wake" { wakesSinceSleep += 1 }
            guard e.name == "mm_vmscan_kswapd_sleep" else { continue }
            let s = try #require(r.sample(at: e.time))
            let prot = TimelineReader.protection(s, node: 0)
            let balanced = TimelineReader.eligible(s).contains { $0.free.count > $0.high.count + prot[$0.zone]! }
            #expect(balanced || wakesSinceSleep >= 16, "kswapd slept at \(e.time) with no zone above high")
            wakesSinceSleep = 0
        }

        // Direct reclaim only below min: every eligible zone at or below min (+ protection) when a task starts
        // reclaiming. The calls that follow one another at once (an end and the next begin at the same instant, as
        // `splitIntoCalls` traces one step's reclaim) are the same stall: the task took the pages each call freed.
        let ends = Set(r.events("mm_vmscan_direct_reclaim_end").map { "\($0.pid)@\($0.time)" })
        for e in r.events("mm_vmscan_direct_reclaim_begin") where !ends.contains("\(e.pid)@\(e.time)") {
            let s = try #require(r.sample(at: e.time))
            let prot = TimelineReader.protection(s, node: 0)
            for z in TimelineReader.eligible(s) {
                #expect(
                    z.free.count <= z.min.count + prot[z.zone]!, "direct reclaim at \(e.time) with \(z.zone) above min")
            }
        }

        // No swap ⇒ anon is never scanned nor reclaimed.
        if swapGiB == 0 {
            #expect(c["pgscan_anon"] == 0)
            #expect(c["pswpout"] == 0)
            #expect(r.events("mm_vmscan_write_folio").isEmpty)
        }

        // Counters and events agree. Only direct reclaim calls may pass the trace limit (8 GiB, swappiness 0 makes
        // 14,093 of them); those left out are counted, begin and end alike.
        let begin = "mm_vmscan_direct_reclaim_begin"
        let end = "mm_vmscan_direct_reclaim_end"
        #expect(Set(sim.suppressedBulkEvents.keys).isSubset(of: [begin, end]))
        let untraced = sim.suppressedBulkEvents[begin] ?? 0
        #expect(untraced == sim.suppressedBulkEvents[end] ?? 0)
        #expect(c["pageoutrun"] == Int64(r.events("mm_vmscan_kswapd_wake").count))
        #expect(c["allocstall_movable"] == Int64(r.events(begin).count + untraced))
        #expect(r.events(begin).count == r.events(end).count)
        #expect(c["oom_kill"] == Int64(r.events("mark_victim").count))
        let shrink = r.events("mm_vmscan_lru_shrink_inactive")
        let stolen = shrink.reduce(Int64(0)) { $0 + ($1.intField("nr_reclaimed") ?? 0) }
        #expect(stolen == (c["pgsteal_kswapd"] ?? -1) + (c["pgsteal_direct"] ?? -1))
        let scanned = shrink.reduce(Int64(0)) { $0 + ($1.intField("nr_scanned") ?? 0) }
        #expect(scanned == (c["pgscan_kswapd"] ?? -1) + (c["pgscan_direct"] ?? -1))
        let anonStolen = shrink.filter { $0.field("flags")?.hasPrefix("RECLAIM_WB_ANON") == true }
            .reduce(Int64(0)) { $0 + ($1.intField("nr_reclaimed") ?? 0) }
        #expect(anonStolen == c["pswpout"])
        // One write_folio per batch of up to SWAP_CLUSTER_MAX pages (sim about): 1…32 pages each.
        let writes = Int64(r.events("mm_vmscan_write_folio").count)
        let pswpout = c["pswpout"] ?? -1
        #expect(writes <= pswpout && pswpout <= writes * 32)
        #expect(pswpout >= 0)
    }

    /// The course scenario: 4 GiB RAM, 2 GiB swap, a 2 GiB hog: kswapd wakes, swaps out, sleeps; `touch` swaps in.
    @Test func courseScenarioWakesSwapsOutSleepsAndSwapsBackIn() throws {
        let sim = try Simulator(config: .course())
        try sim.startAllocation(name: "hog", size: Pages(bytes: 2 << 30))
        sim.runUntilIdle()
        sim.run(seconds: 2)
        let r = TimelineReader(timeline: sim.timeline())
        let wake = try #require(r.events("mm_vmscan_wakeup_kswapd").first)
        #expect(wake.comm == "hog")
        #expect(wake.payload == "nid=0 order=0 gfp_flags=GFP_HIGHUSER_MOVABLE")
        let kwake = try #require(r.events("mm_vmscan_kswapd_wake").first)
        #expect(kwake.comm == "kswapd0" && kwake.payload == "nid=0 order=0" && kwake.time > wake.time)
        let write = try #require(r.events("mm_vmscan_write_folio").first)
        #expect(write.payload.hasSuffix("flags=RECLAIM_WB_ANON|RECLAIM_WB_ASYNC"))
        #expect(write.intField("pfn") != nil)
        let sleep = try #require(r.events("mm_vmscan_kswapd_sleep").last)
        #expect(sleep.payload == "nid=0" && sleep.time > write.time)
        #expect(try engineStatus(sim).kswapd[0].state == .sleeping)
        let swappedOut = try #require(sim.vmstat["pswpout"])
        #expect(swappedOut > 0)
        #expect(sim.swapUsed.count == swappedOut)

        let before = sim.vmstat
        let swappedBack = try sim.startTouch(name: "hog")
        #expect(swappedBack.count > 0)
        sim.runUntilIdle()
        let c = sim.vmstat
        #expect((c["pswpin"] ?? 0) >= swappedBack.count)
        #expect(c["pgmajfault"] == c["pswpin"])
        #expect(c["workingset_refault_anon"] == c["pswpin"])
        // workingset_test_recent(): a page's refault distance is at most every eviction and activation since it left
        // (pgsteal + workingset_activate), less than the workingset it is compared with (active and inactive file,
        // plus active anon while swap has room, where `system`'s anon already was before the touch), so every swap-in
        // comes back active. The hog's pages were never active before they left (no PG_workingset): no restores.
        let distance = (c["pgsteal_kswapd"] ?? 0) + (c["pgsteal_direct"] ?? 0) + (c["workingset_activate_anon"] ?? 0)
        let workingset = ["nr_active_file", "nr_inactive_file", "nr_active_anon"].reduce(Int64(0)) {
            $0 + (before[$1] ?? 0)
        }
        #expect(distance < workingset, "distance \(distance), workingset \(workingset)")
        #expect(c["workingset_activate_anon"] == c["pswpin"])
        #expect(c["workingset_restore_anon"] == 0)
        #expect((c["nr_active_anon"] ?? 0) >= (c["pswpin"] ?? 0))
        #expect(try engineStatus(sim).tasks.first { $0.name == "hog" }?.state == .idle)
    }

    /// No swap: only file pages can go; once they are gone the OOM killer kills the hog and frees its memory.
    @Test func withoutSwapTheHogIsKilledWhenFilePagesRunOut() throws {
        let zones = try MachineConfig.defaultZones(ramBytes: 4 << 30, nodes: 1)
        let sim = try Simulator(
            config: MachineConfig(nodes: zones, swap: .zero, used: Pages(bytes: 1 << 30), ramBytes: 4 << 30))
        let freeBefore = sim.vmstat["nr_free_pages"] ?? 0
        try sim.startAllocation(name: "hog", size: Pages(bytes: 3_500 << 20))
        sim.runUntilIdle()
        let r = TimelineReader(timeline: sim.timeline())
        let victim = try #require(r.events("mark_victim").first)
        #expect(victim.field("comm") == "hog")
        #expect(victim.field("file-rss") == "0kB")
        #expect(sim.vmstat["oom_kill"] == 1)
        #expect(sim.vmstat["pswpout"] == 0)
        #expect(sim.vmstat["pgscan_anon"] == 0)
        let atKill = try #require(r.sample(at: victim.time))
        let file = (atKill.counters["nr_inactive_file"] ?? 0) + (atKill.counters["nr_active_file"] ?? 0)
        #expect(file < 4096, "file pages should be (nearly) gone at the OOM kill, found \(file)")
        #expect(try engineStatus(sim).tasks.first { $0.name == "hog" }?.state == .killed)
        // The victim's memory is freed: free memory is back above where it started minus the dropped cache.
        #expect((sim.vmstat["nr_free_pages"] ?? 0) > freeBefore)
    }

    /// The same inputs give the same timeline, byte for byte.
    @Test func sameInputsGiveTheSameTimeline() throws {
        func run(seed: UInt64) throws -> Data {
            var config = MachineConfig.course()
            config.seed = seed
            let sim = try Simulator(config: config)
            try sim.startAllocation(name: "hog", size: Pages(bytes: 2 << 30), rate: 100_000)
            sim.runUntilIdle()
            sim.mark("after")
            try sim.startTouch(name: "hog")
            sim.runUntilIdle()
            sim.run(seconds: 1)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return try encoder.encode(sim.timeline())
        }
        let a = try run(seed: 7)
        let b = try run(seed: 7)
        #expect(a == b)
        #expect(a.count > 10_000)
        #expect(try run(seed: 8) != a, "the seed should change the page addresses in write_folio")
    }

    /// A pass that cannot reclaim anything counts a failure; 16 make the node hopeless and kswapd stays asleep.
    @Test func sixteenFruitlessRunsMakeTheNodeHopeless() throws {
        // No swap, no page cache: kswapd can reclaim nothing at all.
        let zones = try MachineConfig.defaultZones(ramBytes: 4 << 30, nodes: 1)
        let sim = try Simulator(
            config: MachineConfig(nodes: zones, swap: .zero, used: Pages(bytes: 1 << 30), cleanCache: .zero))
        try sim.startAllocation(name: "hog", size: Pages(bytes: 3_000 << 20), rate: 20_000)
        sim.runUntilIdle()
        sim.run(seconds: 5)
        #expect(sim.nodeUnreclaimable(0))
        #expect(try engineStatus(sim).kswapd[0].nodeUnreclaimable)
        let r = TimelineReader(timeline: sim.timeline())
        #expect(r.events("mm_vmscan_kswapd_wake").count >= 16)
        #expect((sim.vmstat["kswapd_high_wmark_hit_quickly"] ?? 0) >= 15)
        #expect(sim.vmstat["pgsteal_kswapd"] == 0)
    }

    /// Settings outside the kernel's ranges are refused with the range.
    @Test func outOfRangeSettingsAreRefused() {
        let zones = [[ZoneSpec(.normal, Pages(1_000_000))]]
        #expect(throws: SimulatorError.outOfRange(setting: "vm.watermark_scale_factor", value: 3001, range: 1...3000)) {
            try Simulator(config: MachineConfig(nodes: zones, watermarkScaleFactor: 3001))
        }
        #expect(throws: SimulatorError.outOfRange(setting: "vm.swappiness", value: 201, range: 0...200)) {
            try Simulator(config: MachineConfig(nodes: zones, swappiness: 201))
        }
        #expect(throws: SimulatorError.self) { try MachineConfig.zones(parsing: "DMA=x") }
        #expect(throws: SimulatorError.self) { try MachineConfig.zones(parsing: "Foo=12") }
        let parsed = try? MachineConfig.zones(parsing: "Normal=5394266,DMA=3840,DMA32=772915")
        #expect(parsed?.map(\.type) == [.dma, .dma32, .normal])
    }

    /// Default zones look like a real x86-64 box.
    @Test func defaultZonesFollowAnX86Box() throws {
        let one = try MachineConfig.defaultZones(ramBytes: 4 << 30, nodes: 1)
        #expect(one[0].map(\.type) == [.dma, .dma32, .normal])
        #expect(one[0][0].managed.count == 3840 && one[0][1].managed.count == 772_915)
        let four = try MachineConfig.defaultZones(ramBytes: 1 << 40, nodes: 4)
        #expect(four.count == 4 && four[1].map(\.type) == [.normal])
        // int_sqrt(lowmem kB * 16) for 1 TiB: lowmem = 4 nodes × (67108864 − 67108864/64) − 8192 pages.
        let lowmemKB = Int64(4 * (67_108_864 - 67_108_864 / 64) - 8192) * 4
        #expect(lowmemKB == 1_056_931_840)
        #expect(MachineConfig(nodes: four).minFreeKbytes == 130_041)  // ⌊√(1056931840 × 16)⌋, by hand
        // kernel.md §1.1: the sqrt rule is clamped at 262144 kB (reached at 4 TiB of lowmem).
        let eight = try MachineConfig.defaultZones(ramBytes: 8 << 40, nodes: 8)
        #expect(MachineConfig(nodes: eight).minFreeKbytes == 262_144)
    }
}

extension Pages {
    fileprivate static func * (a: Pages, b: Int64) -> Pages { Pages(a.count * b) }
    fileprivate static func / (a: Pages, b: Int64) -> Pages { Pages(a.count / b) }
}

/// The simulator's status as the engine reports it to every command.
private func engineStatus(_ sim: Simulator) throws -> EngineStatus {
    let engine = SimulatorEngine()
    engine.install(sim)
    return try engine.status()
}
