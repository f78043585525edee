import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabKernel

/// The byte parsers of /proc/zoneinfo and /proc/vmstat (the live sampler reads them ten times a second) against
/// every fixture file: each zone's numbers as extracted with awk (`ZoneinfoParserTests.expected`), each vmstat
/// file's counter count and sums as awk adds them up, and the sampler's lean reads equal to the full parse.
@Suite struct ProcByteParserTests {
    static func bytes(_ file: String) throws -> [UInt8] { Array(try Fixtures.text(file).utf8) }

    @Test(arguments: Fixtures.zoneinfoFiles)
    func zoneSnapshotsFromBytesEqualTheAwkValues(file: String) throws {
        let want = try #require(ZoneinfoParserTests.expected[file])
        let raw = try Self.bytes(file)
        let (lean, full) = try raw.withUnsafeBytes { b in
            (try ZoneinfoParser.snapshots(bytes: b, path: file), try ZoneinfoParser.parse(bytes: b, path: file))
        }
        #expect(lean.count == want.count)
        for (got, w) in zip(lean, want) {
            #expect(got.node == 0 && got.zone.rawValue == w.zone)
            #expect(got.free.count == w.free && got.min.count == w.min && got.low.count == w.low)
            #expect(got.high.count == w.high && got.managed.count == w.managed && got.present.count == w.present)
            #expect(got.protection == w.protection)
            #expect(got.boost == .zero)
        }
        #expect(lean == full.snapshots)
        #expect(full == (try ZoneinfoParser.parse(try Fixtures.text(file), path: file)))
    }

    /// Per vmstat file, from awk: lines, Σ every value, and the sampled counters present with their Σ.
    static let vmstatSums: [String: (lines: Int, sum: Int64, sampled: Int, sampledSum: Int64)] = [
        "runs/D0-course-recipe-default-settings/snap-after/vmstat.txt": (192, 269_069_808, 26, 31_263_303),
        "runs/D0-course-recipe-default-settings/snap-before/vmstat.txt": (192, 264_399_919, 26, 31_013_521),
        "runs/D0-course-recipe-default-settings/snap-during/vmstat.txt": (192, 268_346_397, 26, 31_445_013),
        "runs/D1b-kswapd-swapout-clean/snap-after/vmstat.txt": (192, 167_710_093, 26, 26_278_462),
        "runs/D1b-kswapd-swapout-clean/snap-before/vmstat.txt": (192, 143_437_745, 26, 22_085_736),
        "runs/D1b-kswapd-swapout-clean/snap-during/vmstat.txt": (192, 143_990_042, 26, 19_543_628),
        "runs/D2a-direct-reclaim/snap-after/vmstat.txt": (192, 197_717_918, 26, 30_971_259),
        "runs/D2a-direct-reclaim/snap-before/vmstat.txt": (192, 170_809_769, 26, 26_515_936),
        "runs/D2a-direct-reclaim/snap-during/vmstat.txt": (192, 172_981_978, 26, 23_770_869),
        "runs/D4-noswap-file-thrash-hopeless/snap-after/vmstat.txt": (192, 347_967_134, 26, 39_348_083),
        "runs/D4-noswap-file-thrash-hopeless/snap-before/vmstat.txt": (192, 323_279_867, 26, 34_291_888),
        "runs/D4-noswap-file-thrash-hopeless/snap-during/vmstat.txt": (192, 331_654_368, 26, 34_767_077),
        "runs/D6b-sawtooth-normal-swap/snap-after/vmstat.txt": (192, 471_745_123, 26, 58_602_679),
        "runs/D6b-sawtooth-normal-swap/snap-before/vmstat.txt": (192, 450_414_631, 26, 57_630_134),
        "runs/D6b-sawtooth-normal-swap/snap-during/vmstat.txt": (192, 455_682_550, 26, 54_321_873),
        "snapshots/after-full-growth/vmstat.txt": (192, 80_842_967, 26, 6_459_162),
        "snapshots/baseline-lazy-zone/vmstat.txt": (192, 42_562_137, 26, 1_640_754),
    ]

    /// nr_free_pages, pgscan_kswapd, pswpout, allocstall_movable of each vmstat file, from awk.
    static let vmstatValues: [String: [Int64]] = [
        "runs/D0-course-recipe-default-settings/snap-after/vmstat.txt": [5_493_356, 6_969_694, 1_854_403, 565],
        "runs/D0-course-recipe-default-settings/snap-before/vmstat.txt": [5_261_923, 6_969_694, 1_854_403, 565],
        "runs/D0-course-recipe-default-settings/snap-during/vmstat.txt": [5_147_274, 6_969_694, 1_854_403, 565],
        "runs/D1b-kswapd-swapout-clean/snap-after/vmstat.txt": [5_657_387, 5_737_062, 1_562_490, 0],
        "runs/D1b-kswapd-swapout-clean/snap-before/vmstat.txt": [5_832_105, 4_518_223, 1_265_001, 0],
        "runs/D1b-kswapd-swapout-clean/snap-during/vmstat.txt": [723_944, 5_325_051, 1_401_616, 0],
        "runs/D2a-direct-reclaim/snap-after/vmstat.txt": [5_663_074, 6_969_694, 1_854_403, 565],
        "runs/D2a-direct-reclaim/snap-before/vmstat.txt": [5_856_454, 5_737_062, 1_562_490, 0],
        "runs/D2a-direct-reclaim/snap-during/vmstat.txt": [353_971, 6_487_305, 1_750_059, 565],
        "runs/D4-noswap-file-thrash-hopeless/snap-after/vmstat.txt": [5_604_488, 9_435_203, 1_978_123, 565],
        "runs/D4-noswap-file-thrash-hopeless/snap-before/vmstat.txt": [5_723_412, 7_914_913, 1_978_123, 565],
        "runs/D4-noswap-file-thrash-hopeless/snap-during/vmstat.txt": [794_766, 9_435_203, 1_978_123, 565],
        "runs/D6b-sawtooth-normal-swap/snap-after/vmstat.txt": [5_744_853, 14_008_753, 2_655_802, 565],
        "runs/D6b-sawtooth-normal-swap/snap-before/vmstat.txt": [5_719_722, 13_716_167, 2_648_636, 565],
        "runs/D6b-sawtooth-normal-swap/snap-during/vmstat.txt": [585_096, 14_008_753, 2_655_802, 565],
        "snapshots/after-full-growth/vmstat.txt": [5_786_611, 0, 0, 0],
        "snapshots/baseline-lazy-zone/vmstat.txt": [854_630, 0, 0, 0],
    ]

    @Test func everyFixtureVmstatIsCovered() {
        #expect(Fixtures.vmstatFiles.count == 17)
        #expect(Set(Fixtures.vmstatFiles) == Set(Self.vmstatSums.keys))
        #expect(Set(Fixtures.vmstatFiles) == Set(Self.vmstatValues.keys))
    }

    @Test(arguments: Fixtures.vmstatFiles)
    func vmstatFromBytesEqualsTheAwkValues(file: String) throws {
        let sums = try #require(Self.vmstatSums[file])
        let values = try #require(Self.vmstatValues[file])
        let raw = try Self.bytes(file)
        let selection = VmstatSelection(LiveTimeline.sampledCounters)
        let (full, picked) = try raw.withUnsafeBytes { b in
            (try Vmstat.parse(bytes: b, path: file), try selection.counters(in: b, path: file))
        }
        #expect(full.counters.count == sums.lines)
        #expect(full.counters.values.reduce(0, +) == sums.sum)
        #expect(["nr_free_pages", "pgscan_kswapd", "pswpout", "allocstall_movable"].map { full[$0] } == values)
        #expect(picked.count == sums.sampled)
        #expect(picked.values.reduce(0, +) == sums.sampledSum)
        #expect(picked == full.counters.filter { LiveTimeline.sampledCounters.contains($0.key) })
    }

    /// The sampler's read of a captured tree: the zones and counters the byte parsers give.
    @Test(arguments: Fixtures.zoneinfoFiles)
    func liveSampleOfACapturedTree(file: String) throws {
        let folder = String(file.dropLast("/zoneinfo.txt".count))
        let root = try FakeRoot.fromSnapshot(folder)
        defer { FakeRoot.remove(root) }
        let timeline = LiveTimeline(root: SystemRoot(root.path))
        let sample = try timeline.readSample()
        let again = try timeline.readSample()  // the reused buffer gives the same again
        let want = try #require(ZoneinfoParserTests.expected[file])
        #expect(sample.zones.map(\.zone.rawValue) == want.map(\.zone))
        #expect(sample.zones.map(\.free.count) == want.map(\.free))
        #expect(sample.zones.map(\.high.count) == want.map(\.high))
        #expect(sample.zones.map(\.protection) == want.map { $0.protection })
        let sums = try #require(Self.vmstatSums["\(folder)/vmstat.txt"])
        #expect(sample.counters.count == sums.sampled)
        #expect(sample.counters.values.reduce(0, +) == sums.sampledSum)
        #expect(again.zones == sample.zones && again.counters == sample.counters)
    }

    /// The lean read rejects what the full parse rejects, with the same error.
    @Test(arguments: [
        "Node 0, zone   Normal\n  pages free     10\n        min      abc\n",
        "Node 0, zone   Weird\n", "hello\n", "\n", "",
        "Node 0, zone   Normal\n  pages free     10\n        low 1\n        high 2\n        spanned 3\n",
        "Node 0, zone   Normal\n  pages free  10 11\n", "Node x, zone   Normal\n",
        "Node 0, zone DMA\n  pages free 1\n  min 1\n  low 1\n  high 1\n  spanned 1\n  present 1\n  managed 1\n"
            + "  protection: (0, x)\n",
        "Node 0, zone DMA\n  pages free 1\n  protection: 0, 1\n",
        "Node 0, zone DMA\n  pages free 1\n  nr_free_pages 1 2\n",
        "Node 0, zone DMA\n  pages free 1\n  start_pfn: \n",
        "Node 0, zone DMA\n  pages free 99999999999999999999\n",
        ZoneinfoParserTests.linux44, ZoneinfoParserTests.linux419,
    ])
    func leanAndFullZoneinfoAgree(text: String) {
        let raw = Array(text.utf8)
        let full = raw.withUnsafeBytes { b in
            Result { () throws(KernelError) in try ZoneinfoParser.parse(bytes: b, path: "z") }
        }
        let lean = raw.withUnsafeBytes { b in
            Result { () throws(KernelError) in try ZoneinfoParser.snapshots(bytes: b, path: "z") }
        }
        switch (full, lean) {
        case (.success(let f), .success(let l)): #expect(f.snapshots == l)
        case (.failure(let f), .failure(let l)): #expect(f == l)
        default: Issue.record("full \(full) but lean \(lean)")
        }
    }

    @Test func vmstatNumbersReadAsInt64Does() throws {
        let v = try Vmstat.parse("a 9223372036854775807\nb -9223372036854775808\nc +5\nd -0\n")
        #expect(v.counters == ["a": .max, "b": .min, "c": 5, "d": 0])
        for bad in ["a 9223372036854775808\n", "a -\n", "a +\n", "a 1x\n", "a 1 2\n", "  \n", "a\n"] {
            #expect(throws: KernelError.self) { try Vmstat.parse(bad, path: "v") }
        }
        #expect(throws: KernelError.empty(path: "v", reason: "no counters")) { try Vmstat.parse("\n\n", path: "v") }
    }
}
