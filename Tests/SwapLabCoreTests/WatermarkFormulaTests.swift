import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabModel

/// `__setup_per_zone_wmarks()` against the real numbers the 6.18 machine printed for each
/// `watermark_scale_factor` (snapshots/watermark_scale_factor, min_free_kbytes 67584).
@Suite struct WatermarkFormulaTests {
    @Test(arguments: [10, 100, 1000, 3000])
    func perZoneWatermarksEqualTheKernels(wsf: Int) throws {
        var zones: [(ZoneType, Pages)] = []
        var expected: [(Int64, Int64, Int64)] = []
        for (zone, kv) in try Fixtures.watermarkCapture(wsf: wsf) {
            zones.append((zone, Pages(kv["managed"]!)))
            expected.append((kv["min"]!, kv["low"]!, kv["high"]!))
        }
        #expect(zones.count == 3)
        let marks = try WatermarkFormula.perZone(managed: zones, minFreeKbytes: 67584, scaleFactor: Int64(wsf))
        for (m, e) in zip(marks, expected) {
            #expect(m.min.count == e.0)
            #expect(m.low.count == e.1)
            #expect(m.high.count == e.2)
        }
    }

    @Test func kernelReferenceWorkedExample() throws {
        // kernel.md §1.2: DMA 3976, DMA32 746000, Normal 3145728 managed, wsf 10, sqrt rule.
        let zones: [(ZoneType, Pages)] = [(.dma, Pages(3976)), (.dma32, Pages(746000)), (.normal, Pages(3145728))]
        let mfk = WatermarkFormula.minFreeKbytes(lowmemManaged: Pages(3976 + 746000 + 3145728))
        #expect(mfk == 15790)
        let m = try WatermarkFormula.perZone(managed: zones, minFreeKbytes: mfk, scaleFactor: 10)
        #expect(m.map { $0.min.count } == [4, 755, 3187])
        #expect(m.map { $0.low.count } == [7, 1501, 6332])
        #expect(m.map { $0.high.count } == [10, 2247, 9477])
        let reserve = WatermarkFormula.lowmemReserve(managed: zones + [(.movable, Pages(0))])
        #expect(reserve[0] == [0, 2914, 15202, 15202])
        #expect(reserve[1] == [0, 0, 12288, 12288])
    }
}
