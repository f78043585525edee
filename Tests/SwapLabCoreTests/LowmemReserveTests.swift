import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabModel
@testable import SwapLabSimulator

/// One zone of a captured /proc/zoneinfo: node, zone, min/low/high, managed and the `protection:` row.
struct CapturedZone {
    var node: Int
    var zone: ZoneType
    var min: Int64
    var low: Int64
    var high: Int64
    var managed: Int64
    var protection: [Int64]

    /// Reads every zone block of a zoneinfo text (only the lines these tests need).
    static func parse(_ text: String) -> [CapturedZone] {
        var zones: [CapturedZone] = []
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let words = line.replacingOccurrences(of: ",", with: " ").split(separator: " ").map(String.init)
            if line.hasPrefix("Node "), words.count >= 4, let n = Int(words[1]), let z = ZoneType(name: words[3]) {
                zones.append(CapturedZone(node: n, zone: z, min: 0, low: 0, high: 0, managed: 0, protection: []))
                continue
            }
            guard !zones.isEmpty, words.count >= 2 else { continue }
            switch words[0] {
            case "min": zones[zones.count - 1].min = Int64(words[1]) ?? -1
            case "low": zones[zones.count - 1].low = Int64(words[1]) ?? -1
            case "high": zones[zones.count - 1].high = Int64(words[1]) ?? -1
            case "managed": zones[zones.count - 1].managed = Int64(words[1]) ?? -1
            case "protection:":
                let inner = line.drop { $0 != "(" }.dropFirst().prefix { $0 != ")" }
                zones[zones.count - 1].protection = inner.split(separator: ",").compactMap {
                    Int64($0.trimmingCharacters(in: .whitespaces))
                }
            default: break
            }
        }
        return zones
    }
}

/// `setup_per_zone_lowmem_reserve()` against the `protection:` rows of every captured zoneinfo.
///
/// kernel.md §1.4 says protection is recomputed only at init, on sysctl writes and on hotplug, so it may lag the
/// current `managed`. On this machine every capture matches its own `managed` (including the lazily grown Normal zone
/// of `baseline-lazy-zone`, whose growth goes through the hotplug-like path that recomputes it).
@Suite struct LowmemReserveTests {
    static let files = Fixtures.zoneinfoFiles

    @Test(arguments: files)
    func protectionEqualsTheKernels(file: String) throws {
        let zones = CapturedZone.parse(try Fixtures.text(file))
        #expect(zones.count == 5, "expected DMA, DMA32, Normal, Movable, Device in \(file)")
        let reserve = WatermarkFormula.lowmemReserve(managed: zones.map { ($0.zone, Pages($0.managed)) })
        for (row, zone) in zip(reserve, zones) {
            #expect(row == zone.protection, "\(file): \(zone.zone.rawValue)")
        }
    }

    @Test func thereAreCapturesToCompareWith() {
        #expect(Self.files.count >= 10)
    }

    /// The simulator built from a captured zoneinfo shows the kernel's watermarks and protection for every zone.
    @Test func simulatorZonesEqualTheCapturedZoneinfo() throws {
        let captured = CapturedZone.parse(try Fixtures.text("snapshots/after-full-growth/zoneinfo.txt"))
        let snapshots = captured.map {
            ZoneSnapshot(
                node: $0.node, zone: $0.zone, free: .zero, min: .zero, low: .zero, high: .zero,
                managed: Pages($0.managed))
        }
        let config = MachineConfig(
            nodes: try MachineConfig.zones(from: snapshots), minFreeKbytes: 67584, swap: .zero, used: .zero,
            cleanCache: .zero)
        let sim = try Simulator(config: config)
        let zones = sim.zoneSnapshots()
        #expect(zones.map(\.zone) == [.dma, .dma32, .normal])
        for z in zones {
            let c = try #require(captured.first { $0.zone == z.zone })
            #expect(z.min.count == c.min)
            #expect(z.low.count == c.low)
            #expect(z.high.count == c.high)
            #expect(z.managed.count == c.managed)
            #expect(z.protection == c.protection)
        }
    }

    /// The THP rule gives the 67584 kB the captured machine runs with (3 populated lowmem zones).
    @Test func thpRuleGivesTheCapturedMinFreeKbytes() throws {
        let sysctl = try Fixtures.text("snapshots/baseline-lazy-zone/sysctl_vm.txt")
        #expect(sysctl.contains("vm.min_free_kbytes = 67584"))
        let config = MachineConfig(
            nodes: [
                [ZoneSpec(.dma, Pages(3840)), ZoneSpec(.dma32, Pages(772_915)), ZoneSpec(.normal, Pages(5_394_266))]
            ],
            thp: true)
        #expect(config.minFreeKbytes == 67584)
    }
}
