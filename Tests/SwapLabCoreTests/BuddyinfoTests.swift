import Foundation
import SwapLabKernel
import SwapLabModel
import SwapLabTestSupport
import Testing

/// /proc/buddyinfo, and the huge pages a fragmented zone can still give.
@Suite struct BuddyinfoTests {
    static func text(_ run: String) throws -> String {
        try String(
            contentsOf: FixtureRun.directory(run).appendingPathComponent("snap-before/buddyinfo.txt"), encoding: .utf8)
    }

    /// D2a's snap-before: Normal has 176 free order-9 blocks and 4,475 of order 10 (9,126 huge pages' worth), DMA32
    /// 37 and 619 (1,275), DMA 1 and 3 (7).
    @Test func freeTwoMiBBlocksAreOrderNinePlusTwiceOrderTen() throws {
        let info = try Buddyinfo.parse(try Self.text("D2a-direct-reclaim"))
        #expect(info.zones.map(\.zone) == [.dma, .dma32, .normal])
        #expect(info.zones.map(\.freeBlocks.count) == [11, 11, 11])
        #expect(info.zones.map(\.hugeBlocks) == [7, 1275, 9126])
    }

    @Test func aBadLineIsRefusedWithItsNumber() {
        #expect(throws: KernelError.self) {
            try Buddyinfo.parse("Node 0, zone   Normal  1 2 x\n")
        }
        do {
            _ = try Buddyinfo.parse("Node 0, zone DMA 0 0\nNode zero\n")
            Issue.record("no error")
        } catch {
            #expect(error.description.contains("2"))
        }
    }

    /// The real balloon of D2a (10,442 huge pages) ran out of free 2 MiB blocks in Normal and took the rest from
    /// DMA32: at the hog's start Normal had 425,482 pages free and DMA32 93,596 (`samples.csv`). The mirror takes
    /// Normal's 9,126 blocks and DMA32's 1,275 from snap-before's free pages (Normal 5,095,616, DMA32 756,998) and
    /// stops there, 41 short: Normal 423,104 and DMA32 104,198. Without the blocks it drained Normal to its low mark
    /// (358,080) and left DMA32 at 148,230.
    @Test func theD2aMirrorStartsFromTheBlocksTheBuddyAllocatorHad() throws {
        let run = "D2a-direct-reclaim"
        let real = try FixtureRun.timeline(run: run, trace: .best)
        let hogStart = try #require(real.markerTime("hog"))
        let atHog = try #require(real.samples.last { $0.time <= hogStart })
        #expect(atHog.zone(.normal)?.free.count == 425_482)
        #expect(atHog.zone(.dma32)?.free.count == 93_596)
        let sim = try MirrorPlan(run: run, timeline: real).simulate()
        let simAtHog = try #require(sim.timeline.samples.last { $0.time <= sim.hogStart })
        let (normal, dma32): (Int64, Int64) = (5_095_616 - 9126 * 512, 756_998 - 1275 * 512)
        #expect(simAtHog.zone(.normal)?.free.count == normal)
        #expect(simAtHog.zone(.dma32)?.free.count == dma32)
    }
}
