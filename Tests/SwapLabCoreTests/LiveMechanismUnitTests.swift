import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabModel
@testable import SwapLabKernel

/// Pure parts of the live mechanisms, against captured files and independently computed numbers.
@Suite struct LiveMechanismUnitTests {
    @Test func zoneTotalsSumPagesFreeAndMinOverEveryZone() throws {
        // Expected values from awk over the same file: '$1=="pages"&&$2=="free"' and '$1=="min"&&NF==2'.
        let text = try Fixtures.text("runs/D2a-direct-reclaim/snap-after/zoneinfo.txt")
        let z = try ZoneinfoParser.parse(text)
        #expect(z.totalFree == Pages(5_663_074))
        #expect(z.totalMin == Pages(327_710))
    }

    @Test func swapsLinesAreParsedWithSizesInKiB() throws {
        let d = try Swaps.parse(try Fixtures.text("runs/D2a-direct-reclaim/snap-during/swaps.txt"))
        #expect(d.map(\.path) == ["/swapfile.swaplab"] && d.map(\.type) == ["file"] && d.map(\.priority) == [-2])
        #expect(d.map(\.size.kibibytes) == [4_194_300] && d.map(\.used.kibibytes) == [752_912])
        #expect(try Swaps.parse("Filename\tType\tSize\tUsed\tPriority\n") == [])
        #expect(try Swaps.parse("Filename\n/a\\040b file 8 0 -2\n").first?.path == "/a b")
    }

    @Test func guardRefusesBelowTheLargerOfMinPlus256MiBAndFivePercent() {
        let mib: Int64 = 1 << 20
        // 24 GiB machine: 5 % = 1228.8 MiB beats min 66 MiB + 256 MiB.
        let g = AllocationGuard(available: 2048 * mib, total: 24576 * mib, minWatermarks: 66 * mib)
        #expect(g.floor == 24576 * mib / 20)
        #expect(g.refusal(for: 800 * mib) == nil)
        let text = g.refusal(for: 900 * mib)
        #expect(text?.contains("ask for at most") == true)
        // 2 GiB machine: min + 256 MiB beats 5 % (102.4 MiB).
        let small = AllocationGuard(available: 1024 * mib, total: 2048 * mib, minWatermarks: 16 * mib)
        #expect(small.floor == 272 * mib)
        #expect(
            AllocationGuard(available: 100, total: 1000, minWatermarks: 0, floorOverride: 50).refusal(for: 50) == nil)
    }

    @Test func perCPUStatsAddUpOverrunsAndDrops() {
        var s = TraceBufferStats()
        let cpu0 =
            "entries: 12\noverrun: 3\ncommit overrun: 1\nbytes: 900\noldest event ts:  7.1\nnow ts:  8.2\ndropped events: 2\nread events: 40\n"
        s.add(statsText: cpu0)
        s.add(statsText: "entries: 0\noverrun: 5\ncommit overrun: 0\ndropped events: 0\n")
        #expect(s.entries == 12)
        #expect(s.overrun == 8)
        #expect(s.lost == 11)
    }

    @Test func pageStreamMatchesWyrandComputedElsewhere() {
        // Expected values computed in Python: s = seed + (i+1)*0xa0761d6478bd642f; m = s*(s^0xe7037ed1a0b428db); hi^lo.
        #expect(PageStream.word(seed: 42, index: 0) == 0xae4a_7cbf_dda9_b434)
        #expect(PageStream.word(seed: 42, index: 1) == 0xe9cc_09d3_3d38_d9d2)
        #expect(PageStream.word(seed: 42, index: 511) == 0x0e8f_f3a3_6bbc_a6f1)
        let page = UnsafeMutablePointer<UInt64>.allocate(capacity: 1024)
        defer { page.deallocate() }
        PageStream.fill(page, count: 1024, seed: 42, first: 0)
        #expect(page[511] == 0x0e8f_f3a3_6bbc_a6f1)
        #expect(PageStream.badPages(page, pages: 2, seed: 42, first: 0) == 0)
        page[700] ^= 1
        #expect(PageStream.badPages(page, pages: 2, seed: 42, first: 0) == 1)
    }

    @Test func journalLinesSurviveARereadAndACutLastLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-journal-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let j = RestoreJournal(directory: dir)
        // A change whose making fails is marked done: nothing to undo.
        #expect(throws: SystemError.self) {
            try j.record(.swapFile(path: "/nonexistent/x")) { () throws -> Void in
                throw SystemError("open", "/nonexistent/x", errno: ENOENT)
            }
        }
        try j.record(.traceInstance(path: "/nonexistent/instance")) { () -> Void in }
        // A crash mid-write leaves half a line; the reader skips it.
        let h = try FileHandle(forWritingTo: j.url)
        h.seekToEndOfFile()
        h.write(Data("{\"type\":\"cha".utf8))
        try h.close()
        let again = try RestoreJournal(reading: j.url)
        #expect(again.ownerPID == getpid())
        #expect(again.ownerIsAlive)
        #expect(again.pending == [.traceInstance(path: "/nonexistent/instance")])
        let outcomes = again.undoAll()
        #expect(outcomes.map(\.result) == [.alreadyRestored])
        #expect(!FileManager.default.fileExists(atPath: j.url.path))
    }
}
