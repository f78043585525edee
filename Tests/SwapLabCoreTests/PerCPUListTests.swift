import Foundation
import SwapLabKernel
import SwapLabTestSupport
import Testing

@testable import SwapLabModel
@testable import SwapLabSimulator

/// Freed huge pages wait on the per-CPU lists (`pcp->lists`, order 9) up to each CPU's high, the zone's low mark split
/// over the node's CPUs (`zone_highsize()`). The 6.18 VM's captures show both the high and the pages held there.
@Suite struct PerCPUListTests {
    static func zoneinfo(_ run: String, _ snap: String) throws -> Zoneinfo {
        let url = FixtureRun.directory(run).appendingPathComponent("\(snap)/zoneinfo.txt")
        return try ZoneinfoParser.parse(try String(contentsOf: url, encoding: .utf8))
    }

    /// The `high:` and `count:` of each CPU in one zone's pagesets, read here with awk-like splitting, not by the
    /// parser under test.
    static func pagesets(_ run: String, _ snap: String, zone: String) throws -> [(count: Int64, high: Int64)] {
        let url = FixtureRun.directory(run).appendingPathComponent("\(snap)/zoneinfo.txt")
        var inZone = false
        var count: Int64 = 0
        var out: [(Int64, Int64)] = []
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            let words = line.split(separator: " ")
            if line.hasPrefix("Node ") { inZone = words.last.map(String.init) == zone }
            guard inZone, words.count == 2 else { continue }
            if words[0] == "count:" { count = Int64(words[1])! }
            if words[0] == "high:" { out.append((count, Int64(words[1])!)) }
        }
        return out
    }

    @Test func theParserCountsTheCPUsOfEachZonesPagesets() throws {
        let info = try Self.zoneinfo("D6b-sawtooth-normal-swap", "snap-during")
        // Movable and Device have no pages, and the kernel prints no pagesets for them.
        #expect(info.zones.map(\.cpus) == [2, 2, 2, 0, 0])
        #expect(MachineCapture(info).cpus == 2)
    }

    /// D6b ran with min_free_kbytes 1048572 and watermark_scale_factor 300 (DMA32 low 56,020, Normal low 390,974) on
    /// 2 CPUs. Its snap-during zoneinfo printed each CPU's high as the kernel set it: DMA32 28,010, Normal 195,487.
    @Test func eachCPUsHighIsTheZonesLowSplitOverTheCPUsAsTheKernelPrintsIt() throws {
        let info = try Self.zoneinfo("D6b-sawtooth-normal-swap", "snap-during")
        let sim = try Simulator(config: try MachineConfig.captured(MachineCapture(info)))
        #expect(sim.config.cpus == 2)
        for (i, zone) in sim.zones.enumerated() where zone.type != .dma {
            let printed = try Self.pagesets("D6b-sawtooth-normal-swap", "snap-during", zone: zone.type.rawValue)
            #expect(printed.count == 2)
            #expect(printed.allSatisfy { $0.high == sim.perCPUHigh(zone: i) }, "\(zone.type)")
        }
        // DMA: low 278 / 2 = 139, above 4 batches of 1 (`zone_batchsize()` of 3,840 pages is 0, raised to 1).
        #expect(sim.zones.indices.map { sim.perCPUHigh(zone: $0) } == [139, 28_010, 195_487])
    }

    /// The 6.18 VM's zones with min_free_kbytes 67584 (Normal low 20,163), `cache` of clean page cache and no swap,
    /// after 100 huge pages were taken and given back: Normal's list holds 19 of them (high 20,163 / 2 = 10,081).
    static func machineWithWaitingHugePages(cache: Pages) throws -> Simulator {
        let zones = [
            ZoneSpec(.dma, Pages(3840)), ZoneSpec(.dma32, Pages(772_915)), ZoneSpec(.normal, Pages(5_394_266)),
        ]
        let sim = try Simulator(
            config: MachineConfig(nodes: [zones], minFreeKbytes: 67584, swap: .zero, used: .zero, cleanCache: cache))
        try sim.setSysctl(.nrHugepages, value: 100)
        try sim.setSysctl(.nrHugepages, value: 0)
        return sim
    }

    /// Direct reclaim drains every list (`drain_all_pages()`): the waiting pages are free again.
    @Test func directReclaimDrainsTheLists() throws {
        let sim = try Self.machineWithWaitingHugePages(cache: Pages(bytes: 4 << 30))
        #expect(sim.perCPUHugePages == 19 * 512)
        try sim.startAllocation(name: "hog", size: Pages(bytes: 21 << 30))
        sim.runUntilIdle()
        #expect(sim.counters[.allocstallMovable] > 0)
        #expect(sim.perCPUHugePages == 0)
    }

    /// kswapd's reclaim of the zone empties its list (`ZONE_RECLAIM_ACTIVE` caps it at 4 batches): a hog that only
    /// wakes kswapd, never direct reclaim, leaves nothing waiting.
    @Test func kswapdsReclaimOfTheZoneEmptiesItsList() throws {
        let sim = try Self.machineWithWaitingHugePages(cache: Pages(bytes: 8 << 30))
        #expect(sim.perCPUHugePages == 19 * 512)
        // Free memory above Normal's low (20,163) and DMA32's low + protection (2,888 + 21,071), plus 64 MiB:
        // kswapd wakes and drops page cache; the hog writes at 200 MiB/s, slowly enough that kswapd keeps it above
        // min.
        let free = Dictionary(uniqueKeysWithValues: sim.zoneSnapshots().map { ($0.zone, $0.free.count) })
        let above = free[.normal]! - 20_163 + free[.dma32]! - 23_959
        try sim.startAllocation(name: "hog", size: Pages(above + (64 << 8)), rate: 200 * 256)
        sim.runUntilIdle()
        sim.run(seconds: 1)
        #expect(sim.counters[.pageoutrun] > 0)
        #expect(sim.counters[.allocstallMovable] == 0)
        #expect(sim.perCPUHugePages == 0)
    }

    /// The D6b mirror: the lab gave back 256 huge pages (131,072 pages) of Normal while its pin still ran. The real
    /// Normal zone's free count stayed at 390,721 to the hog's start (`samples.csv`); so does the simulator's, at its
    /// low mark, because the pages wait on a per-CPU list. When the balloon goes at the end, each list fills to just
    /// under its high: the real CPU that freed it held 194,664 Normal pages in snap-after (high 195,487), the
    /// simulator 195,072 (381 huge pages).
    @Test func theMirrorKeepsReleasedHugePagesOffTheFreeCountAsTheRealRunDid() throws {
        let run = "D6b-sawtooth-normal-swap"
        let real = try FixtureRun.timeline(run: run, trace: .best)
        let plan = try MirrorPlan(run: run, timeline: real)
        let hogStart = try #require(real.markerTime("hog"))
        let realAtHog = try #require(real.samples.last { $0.time <= hogStart })
        #expect(realAtHog.zone(.normal)?.free.count == 390_721)
        let simulated = try plan.simulate()
        let simAtHog = try #require(simulated.timeline.samples.last { $0.time <= simulated.hogStart })
        #expect(simAtHog.zone(.normal)?.free.count == 390_973)
        let after = try Self.pagesets(run, "snap-after", zone: "Normal")
        #expect(after.map(\.count) == [4117, 194_664])
        #expect(simulated.perCPU[.normal] == 195_072)
        #expect(abs(after[1].count - 195_072) < 512)
    }
}
