import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabCore

/// Issue 14 for trace files, where their input enters: the parser bounds every number it reads (timestamps, pids,
/// CPUs, lost-event counts, line length), the analyzer bounds the payload values it adds up (page counts, sizes,
/// nodes, orders) and adds them without overflow, and time order is checked. Each exact input of the issue is here.
@Suite struct TraceInputBoundsTests {
    /// The report of `text`, streamed from a file as `explain --trace` reads it, with what its lines held.
    static func explain(_ text: String, chunkSize: Int = 1 << 20, keepCycles: Int = ReclaimAnalyzer.keptCycles)
        throws -> ReclaimReport
    {
        let dir = try FakeRoot.make(["trace.txt": text])
        defer { FakeRoot.remove(dir) }
        var analyzer = ReclaimAnalyzer(keepCycles: keepCycles)
        let counts = try TraceFile.stream(path: dir.appendingPathComponent("trace.txt").path, chunkSize: chunkSize) {
            analyzer.consume($0)
        }
        var report = analyzer.report()
        report.traceLines = counts
        return report
    }

    /// A `trace_pipe` line as 6.18 prints it.
    static func line(_ comm: String, _ pid: Int, cpu: Int = 0, _ time: String, _ event: String) -> String {
        let head = "\(comm)-\(pid)"
        return String(repeating: " ", count: max(0, 24 - head.count)) + head + " [00\(cpu)] .....  \(time): \(event)\n"
    }

    static let end9 = "mm_vmscan_direct_reclaim_end: nr_reclaimed=9223372036854775807"
    static let begin = "mm_vmscan_direct_reclaim_begin: order=0 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP"

    // MARK: Item 5: sums of nr_reclaimed

    @Test func directReclaimEndWithInt64MaxTwiceIsNotUsed() throws {
        let text =
            Self.line("hog", 30656, "784.615775", Self.begin) + Self.line("hog", 30656, "784.620865", Self.end9)
            + Self.line("hog", 30656, "784.630000", Self.begin) + Self.line("hog", 30656, "784.631000", Self.end9)
        let r = try Self.explain(text)
        #expect(r.directReclaim.episodes == 2)
        #expect(r.directReclaim.reclaimed == 0)
        #expect(r.ignoredValues == 2)
        #expect(r.notes == [.noSamples, .outOfRangeValues])
        let en = ReclaimNarrative.text(r, lang: .en)
        #expect(
            en.contains(
                "2 values were beyond what a kernel prints (page counts above 2^40, nodes above 1023, orders above 63, "
                    + "anon-rss above 4 PiB) and not used."))
        #expect(ReclaimNarrative.text(r, lang: .ko).contains("커널이 찍을 수 없는 값 2개"))
        #expect(r.json().rendered().contains("\"ignored_values\": 2"))
    }

    @Test func lruShrinkInactiveAndReclaimPagesWithInt64MaxAreNotUsed() throws {
        let shrink = { (n: String, lru: String) in
            "mm_vmscan_lru_shrink_inactive: nid=0 nr_scanned=17 nr_reclaimed=\(n) nr_dirty=0 nr_writeback=0 "
                + "nr_congested=0 nr_immediate=0 nr_activate_anon=0 nr_activate_file=0 nr_ref_keep=0 nr_unmap_fail=0 "
                + "priority=12 flags=RECLAIM_WB_\(lru)|RECLAIM_WB_ASYNC"
        }
        let pages = { (n: String) in
            "mm_vmscan_reclaim_pages: nid=0 nr_scanned=64 nr_reclaimed=\(n) nr_dirty=0 nr_writeback=0 nr_congested=0 "
                + "nr_immediate=0 nr_activate_anon=0 nr_activate_file=0 nr_ref_keep=0 nr_unmap_fail=0"
        }
        let max = "9223372036854775807"
        let text =
            Self.line("kswapd0", 45, cpu: 1, "737.524036", "mm_vmscan_kswapd_wake: nid=0 order=0")
            + Self.line("kswapd0", 45, cpu: 1, "737.524272", shrink(max, "FILE"))
            + Self.line("kswapd0", 45, cpu: 1, "737.524273", shrink(max, "FILE"))
            + Self.line("kswapd0", 45, cpu: 1, "737.524274", shrink(max, "ANON"))
            + Self.line("kswapd0", 45, cpu: 1, "737.524275", shrink(max, "ANON"))
            + Self.line("kswapd0", 45, cpu: 1, "737.524276", shrink("17", "FILE"))
            + Self.line("kdamond.0", 900, "737.600000", pages(max))
            + Self.line("kdamond.0", 900, "737.600001", pages(max))
            + Self.line("kdamond.0", 900, "737.600002", pages("60"))
            + Self.line("kswapd0", 45, cpu: 1, "739.200092", "mm_vmscan_kswapd_sleep: nid=0")
        let r = try Self.explain(text)
        #expect(r.cycles.map(\.fileReclaimed) == [17])
        #expect(r.cycles.map(\.anonReclaimed) == [0])
        #expect(r.otherReclaimPages.lines == 3)
        #expect(r.otherReclaimPages.reclaimed == 60)
        #expect(r.ignoredValues == 6)
        #expect(r.notes.contains(.outOfRangeValues) && !r.notes.contains(.cappedTotals))
    }

    @Test func pageCountsUpToTheBoundAreAddedExactly() throws {
        // 2^40 pages (4 PiB) is the largest page count read; two of them add up to 2^41 exactly.
        let end = "mm_vmscan_direct_reclaim_end: nr_reclaimed=1099511627776"
        let text =
            Self.line("hog", 1, "1.000000", Self.begin) + Self.line("hog", 1, "1.000100", end)
            + Self.line("hog", 1, "1.000200", Self.begin) + Self.line("hog", 1, "1.000300", end)
            + Self.line("hog", 1, "1.000400", Self.begin)
            + Self.line("hog", 1, "1.000500", "mm_vmscan_direct_reclaim_end: nr_reclaimed=1099511627777")
        let r = try Self.explain(text)
        #expect(r.directReclaim.reclaimed == 2_199_023_255_552)
        #expect(r.ignoredValues == 1)
    }

    @Test func totalsSaturateAndSaySo() {
        var c = KswapdCycle(nid: 0, wake: 1)
        c.fileReclaimed = .max - 1
        var totals = CycleTotals()
        totals.add(c)
        totals.add(c)
        #expect(totals.fileReclaimed == .max)
        var r = ReclaimReport()
        r.eventCount = 1
        r.notes = [.cappedTotals]
        #expect(
            ReclaimNarrative.text(r, lang: .en).contains(
                "A total of pages reached 2^63 - 1 and stopped there: the real total is at least that."))
        #expect(ReclaimNarrative.text(r, lang: .ko).contains("페이지 합계가 2^63 - 1에 닿아 거기서 멈췄습니다."))
    }

    @Test func anOOMVictimsAnonRSSBeyondAnyMachineIsNotUsed() throws {
        let victim = "mark_victim: pid=28824 uid=0 comm=hog total-vm=1kB anon-rss=9223372036854775807kB file-rss:0kB"
        let r = try Self.explain(Self.line("oom_reaper", 50, "800.000000", victim))
        #expect(r.oomKills.map(\.anonRSSkB) == [nil])
        #expect(r.ignoredValues == 1)
        #expect(ReclaimNarrative.text(r, lang: .en).contains("OOM killer: hog (pid 28824) was killed at 800.000."))
    }

    @Test func nodesAndOrdersBeyondAnyKernelAreNotUsed() throws {
        let text =
            Self.line("kswapd0", 45, "1.000000", "mm_vmscan_kswapd_wake: nid=9223372036854775807 order=0")
            + Self.line("kswapd0", 45, "1.000001", "mm_vmscan_kswapd_wake: nid=-1 order=0")
            + Self.line("hog", 7, "1.000002", "mm_vmscan_wakeup_kswapd: nid=1024 order=0 gfp_flags=none")
            + Self.line("kswapd0", 45, "1.000003", "mm_vmscan_kswapd_wake: nid=0 order=64")
            + Self.line("kswapd0", 45, "1.000004", "mm_vmscan_kswapd_wake: nid=0 order=3")
        let r = try Self.explain(text)
        #expect(r.cycles.count == 1)
        #expect(r.cycles[0].passes == 2)
        #expect(r.cycles[0].orders == [3])
        #expect(r.ignoredValues == 4)
    }

    // MARK: Item 6: lost events

    @Test func lostEventsAddUpWithoutOverflowAndSaySo() throws {
        let text = "CPU:0 [LOST 9223372036854775807 EVENTS]\nCPU:0 [LOST 9223372036854775807 EVENTS]\n"
        let parsed = TraceLineParser.parse(text: text)
        #expect(parsed.lost == Int.max)
        #expect(parsed.skipped == 2)
        var parser = TraceLineParser()
        _ = parser.parse(line: "CPU:3 [LOST 99999999999999999999 EVENTS]")
        #expect(parser.lost == Int.max && parser.lostIsLowerBound)
        var exact = TraceLineParser()
        _ = exact.parse(line: "CPU:0 [LOST 9223372036854775806 EVENTS]")
        _ = exact.parse(line: "CPU:1 [LOST 1 EVENTS]")
        #expect(exact.lost == Int.max && !exact.lostIsLowerBound)

        let r = try Self.explain(text + Self.line("hog", 30656, "784.615775", Self.begin))
        #expect(r.traceLines?.lost == Int.max)
        #expect(r.traceLines?.lostIsLowerBound == true)
        #expect(
            ReclaimNarrative.paragraphs(r, lang: .en).last
                == "Note: the ring buffer lost at least 9,223,372,036,854,775,807 events (LOST EVENTS); "
                + "counts may be short.")
        #expect(
            ReclaimNarrative.paragraphs(r, lang: .ko).last
                == "주의: 링 버퍼가 이벤트를 적어도 9,223,372,036,854,775,807개 잃었습니다(LOST EVENTS). 숫자가 실제보다 작을 수 있습니다.")
        #expect(r.json().rendered().contains("\"lost_events_at_least\": true"))
    }
}
