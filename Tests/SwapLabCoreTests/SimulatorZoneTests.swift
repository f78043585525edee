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
        let text = try Fixtures.text("snapshots/watermark_scale_factor/wsf_\(wsf).txt")
        var zones: [(ZoneType, [String: Int64])] = []
        for part in text.split(separator: "|") {
            let words = part.split(separator: " ")
            guard let first = words.first, let zone = ZoneType(name: String(first.dropLast())) else { continue }
            var kv: [String: Int64] = [:]
            for w in words.dropFirst() {
                let p = w.split(separator: "=")
                if p.count == 2 { kv[String(p[0])] = Int64(p[1]) }
            }
            zones.append((zone, kv))
        }
        return zones
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
}
