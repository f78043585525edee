import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabKernel
@testable import SwapLabModel

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

    @Test func undoReReadsEachKindOfChangeAndRestoresOnlyWhatIsStillSwaplabs() throws {
        // Temporary files and directories stand in for /proc/sys, huge pages, swaplab's files and directories; swap
        // and mounts are only read (/proc/swaps, /proc/mounts), for paths that are neither swap nor mounted.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-undo-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func undo(_ c: JournaledChange) -> String {
            let o = RestoreJournal.undo(c)
            return "\(o.result.rawValue): \(o.detail)"
        }
        func contents(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

        let sysctl = dir + "/swappiness"
        try "5\n".write(toFile: sysctl, atomically: false, encoding: .utf8)
        #expect(undo(.sysctl(path: sysctl, old: "3", new: "5")) == "restored: restored to 3")
        #expect(contents(sysctl) == "3")
        #expect(undo(.sysctl(path: sysctl, old: "3", new: "5")) == "alreadyRestored: already 3")
        try "7".write(toFile: sysctl, atomically: false, encoding: .utf8)
        #expect(
            undo(.sysctl(path: sysctl, old: "3", new: "5"))
                == "left: is 7 now, not swaplab's 5: someone else changed it since; left as is (was 3 before swaplab)")
        #expect(
            undo(.sysctl(path: dir + "/gone", old: "3", new: "5")) == "left: cannot read \(dir)/gone now; left as is")

        let huge = dir + "/nr_hugepages"
        try "12".write(toFile: huge, atomically: false, encoding: .utf8)
        #expect(undo(.hugepages(path: huge, old: 4, new: 16)) == "restored: restored to 4")
        #expect(contents(huge) == "4")
        try "20".write(toFile: huge, atomically: false, encoding: .utf8)
        #expect(
            undo(.hugepages(path: huge, old: 4, new: 16))
                == "left: is 20 now, outside swaplab's 4…16: someone else changed it; left as is")

        let scratch = dir + "/scratch"
        try "x".write(toFile: scratch, atomically: false, encoding: .utf8)
        #expect(undo(.scratchFile(path: scratch)) == "restored: removed")
        #expect(undo(.scratchFile(path: scratch)) == "alreadyRestored: already gone")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: false)
        #expect(undo(.scratchFile(path: scratch)) == "left: is no longer a regular file; left as is")
        #expect(undo(.swapFile(path: scratch)) == "left: is no longer a regular file; left as is")
        let swapfile = dir + "/swapfile"
        try "x".write(toFile: swapfile, atomically: false, encoding: .utf8)
        #expect(undo(.swapOn(path: swapfile)) == "alreadyRestored: not active")
        #expect(undo(.swapFile(path: swapfile)) == "restored: removed")
        #expect(undo(.swapFile(path: swapfile)) == "alreadyRestored: already gone")
        #expect(undo(.mount(target: dir, type: "tracefs")) == "alreadyRestored: not mounted")

        let instance = dir + "/instance"
        try FileManager.default.createDirectory(atPath: instance, withIntermediateDirectories: false)
        #expect(undo(.traceInstance(path: instance)) == "restored: removed")
        #expect(undo(.traceInstance(path: instance)) == "alreadyRestored: already removed")
        let cgroup = dir + "/cgroup"
        try FileManager.default.createDirectory(atPath: cgroup + "/child", withIntermediateDirectories: true)
        let busy = undo(.cgroup(path: cgroup))
        #expect(busy.hasPrefix("left: could not remove: "))
        #expect(busy.hasSuffix(" (a task may still be in it); rmdir \(cgroup) later"))
        try FileManager.default.removeItem(atPath: cgroup + "/child")
        #expect(undo(.cgroup(path: cgroup)) == "restored: removed")
        #expect(undo(.cgroup(path: cgroup)) == "alreadyRestored: already removed")
    }
}
