import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabAnalysis
@testable import SwapLabExplain
@testable import SwapLabKernel
@testable import SwapLabModel

/// Issue 14 for trace files, where their input enters: the parser bounds every number it reads (timestamps, pids,
/// CPUs, lost-event counts, line length), the analyzer bounds the payload values it adds up (page counts, sizes,
/// nodes, orders) and adds them without overflow, and time order is checked. Each exact input of the issue is here.
@Suite struct TraceInputBoundsTests {
    /// The report of `text`, streamed from a file as `explain --trace` reads it, with what its lines held.
    static func explain(
        _ text: String, chunkSize: Int = 1 << 20, keepCycles: Int = ReclaimAnalyzer.keptCycles
    )
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
        #expect(r.json().text.contains("\"ignored_values\": 2"))
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
        #expect(r.json().text.contains("\"lost_events_at_least\": true"))
    }
}

/// Issue 14, "a 25 MB trace with 150k cycles makes `explain` take 20 s and print 150k paragraphs": the report keeps
/// the first `ReclaimAnalyzer.keptCycles` cycles (and kills, wakers, tasks) and adds up the rest; the narrative tells
/// the first ten in full and the rest in one paragraph, in both languages; the JSON lists the kept ones and the
/// totals of the rest.
@Suite struct BoundedExplainTests {
    typealias T = TraceInputBoundsTests

    /// `count` cycles on node `nid`, one a second from `start`: hog wakes kswapd (every fifth time a boost wake,
    /// `gfp_flags=none`) 1 ms before its one pass, which writes one anon folio and drops 17 file pages, and kswapd
    /// sleeps 250 ms after the wake.
    static func cycles(_ count: Int, nid: Int = 0, start: Int = 10) -> String {
        var text = ""
        for i in 0..<count {
            let t = start + i
            let gfp = i % 5 == 0 ? "none" : "GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP"
            text += T.line(
                "hog", 28824, "\(t).000000", "mm_vmscan_wakeup_kswapd: nid=\(nid) order=0 gfp_flags=\(gfp)")
            text += T.line("kswapd\(nid)", 45, cpu: 1, "\(t).001000", "mm_vmscan_kswapd_wake: nid=\(nid) order=0")
            text += T.line(
                "kswapd\(nid)", 45, cpu: 1, "\(t).002000",
                "mm_vmscan_write_folio: page=000000003e7ee790 pfn=0x3fcf8 flags=RECLAIM_WB_ANON|RECLAIM_WB_ASYNC")
            text += T.line(
                "kswapd\(nid)", 45, cpu: 1, "\(t).003000",
                "mm_vmscan_lru_shrink_inactive: nid=\(nid) nr_scanned=17 nr_reclaimed=17 nr_dirty=0 priority=12 "
                    + "flags=RECLAIM_WB_FILE|RECLAIM_WB_ASYNC")
            text += T.line("kswapd\(nid)", 45, cpu: 1, "\(t).251000", "mm_vmscan_kswapd_sleep: nid=\(nid)")
        }
        return text
    }

    @Test func manyCyclesAreToldTenInFullThenAddedUpInBothLanguages() throws {
        let r = try T.explain(Self.cycles(1234))
        #expect(r.cycles.count == 1000)
        #expect(r.moreCycles.count == 234)
        #expect(r.cycleCount == 1234)
        let en = ReclaimNarrative.paragraphs(r, lang: .en)
        #expect(en.filter { $0.hasPrefix("Cycle ") }.count == 10)
        #expect(en.contains("kswapd0 (node 0): 1,234 finished cycles of wake → passes → sleep."))
        #expect(
            en.contains(
                "… and 1,224 more cycles like these (cycles 11–1,234, 20.000 – 1243.251 s). 1,224 passes "
                    + "(balance_pgdat) in all. All slept. 1,224 were woken by an allocation (245 by a watermark "
                    + "boost). kswapd ran 306.00 s in all, 0.25 s at the longest. In the trace: 1,224 anon folios "
                    + "written to swap (write_folio), 20,808 file pages dropped (lru_shrink_inactive)."))
        let ko = ReclaimNarrative.paragraphs(r, lang: .ko)
        #expect(ko.filter { $0.hasPrefix("사이클 ") }.count == 10)
        #expect(
            ko.contains(
                "… 이런 사이클이 1,224번 더 있었습니다(사이클 11–1,234, 20.000 – 1243.251초). 패스(balance_pgdat)는 "
                    + "모두 1,224번 돌았습니다. 모두 잠들었습니다. 할당이 kswapd를 깨운 사이클은 1,224번입니다(그중 "
                    + "245번은 워터마크 boost 때문에 깨운 것). kswapd가 돈 시간은 모두 306.00초, 가장 긴 사이클은 "
                    + "0.25초였습니다. trace에서: 익명 페이지 1,224개를 swap에 썼고(write_folio), 파일 캐시 20,808 "
                    + "페이지를 드롭했습니다(lru_shrink_inactive)."))
        // As many paragraphs as for eleven cycles.
        let eleven = try T.explain(Self.cycles(11))
        #expect(en.count == ReclaimNarrative.paragraphs(eleven, lang: .en).count)
        #expect(ko.count == ReclaimNarrative.paragraphs(eleven, lang: .ko).count)

        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(r.json().text.utf8)) as? [String: Any])
        #expect((json["kswapd_cycles"] as? [Any])?.count == 1000)
        let more = try #require(json["kswapd_cycles_more"] as? [String: Any])
        #expect(more["cycles"] as? Int == 234)
        #expect(more["passes"] as? Int == 234)
        #expect(more["boost_wakes"] as? Int == 47)
        #expect(more["anon_written_folios"] as? Int == 234)
        #expect(more["file_reclaimed_pages"] as? Int == 234 * 17)
        #expect(more["start_s"] as? Double == 1010)
        #expect(more["end_s"] as? Double == 1243.251)
    }

    @Test func twelveCyclesNameTheLastTwoInOneParagraph() throws {
        let r = try T.explain(Self.cycles(12))
        #expect(r.cycles.count == 12 && r.moreCycles.count == 0)
        #expect(
            ReclaimNarrative.paragraphs(r, lang: .en).contains(
                "… and 2 more cycles like these (cycles 11–12, 20.000 – 21.251 s). 2 passes (balance_pgdat) in all. "
                    + "All slept. 2 were woken by an allocation (1 by a watermark boost). kswapd ran 0.50 s in all, "
                    + "0.25 s at the longest. In the trace: 2 anon folios written to swap (write_folio), 34 file pages "
                    + "dropped (lru_shrink_inactive)."))
        let json = try JSONSerialization.jsonObject(with: Data(try T.explain(Self.cycles(10)).json().text.utf8))
        #expect(((json as? [String: Any])?["kswapd_cycles_more"] as? [String: Any])?["cycles"] as? Int == 0)
    }

    /// What is kept in full or added up changes nothing in the totals: every fixture trace, and cycles of two nodes
    /// that overlap, analysed keeping none, two, or all cycles.
    @Test(arguments: StreamingExplainTests.traceFiles + ["two-nodes"])
    func totalsAreTheSameWhateverIsKept(path: String) throws {
        let text =
            path == "two-nodes"
            ? Self.cycles(7, nid: 0) + Self.cycles(5, nid: 1, start: 12) + "CPU:1 [LOST 3 EVENTS]\n"
                + T.line("kswapd1", 46, "30.000000", "mm_vmscan_kswapd_wake: nid=1 order=2")
            : try String(contentsOfFile: path, encoding: .utf8)
        let all = try T.explain(text, keepCycles: .max)
        var expected = CycleTotals()
        for c in all.cycles { expected.add(c) }
        for keep in [0, 2] {
            let r = try T.explain(text, keepCycles: keep)
            #expect(r.cycles == Array(all.cycles.prefix(keep)))
            var got = r.moreCycles
            for c in r.cycles { got.add(c) }
            #expect(abs(got.seconds - expected.seconds) < 1e-9)
            got.seconds = expected.seconds
            #expect(got == expected, "keep \(keep)")
            #expect(r.cycleCount == all.cycleCount)
        }
    }

    @Test func oomKillsWakersNodesAndTasksAreBounded() throws {
        var text = ""
        for i in 0..<1005 {
            text += T.line(
                "oom_reaper", 50, "\(100 + i).000000",
                "mark_victim: pid=\(1000 + i) uid=0 comm=hog\(i) total-vm=1kB anon-rss=4096kB file-rss:0kB")
        }
        // One cycle woken 21 times, one cycle on each of twelve nodes, kdamond reclaim from ten tasks.
        text += T.line("hog", 7, "2000.000000", "mm_vmscan_wakeup_kswapd: nid=0 order=0 gfp_flags=GFP_KERNEL")
        text += T.line("kswapd0", 45, "2000.001000", "mm_vmscan_kswapd_wake: nid=0 order=0")
        for i in 0..<20 {
            text += T.line(
                "hog", 7, "2000.\(100 + i)000", "mm_vmscan_wakeup_kswapd: nid=0 order=0 gfp_flags=GFP_KERNEL")
        }
        text += T.line("kswapd0", 45, "2000.500000", "mm_vmscan_kswapd_sleep: nid=0")
        for nid in 1..<12 {
            text += T.line("kswapd\(nid)", 45, "2001.000000", "mm_vmscan_kswapd_wake: nid=\(nid) order=0")
        }
        for i in 0..<10 {
            text += T.line("kdamond.\(i)", 900 + i, "2002.000000", "mm_vmscan_reclaim_pages: nid=0 nr_reclaimed=6")
        }
        let r = try T.explain(text)
        #expect(r.oomKills.count == 1000 && r.moreOOMKills == 5)
        #expect(r.cycles[0].wakers.count == 16 && r.cycles[0].wakeups == 21)
        #expect(r.otherReclaimPages.comms == (0..<8).map { "kdamond.\($0)" } && r.otherReclaimPages.moreComms)
        #expect(r.otherReclaimPages.lines == 10 && r.otherReclaimPages.reclaimed == 60)
        let en = ReclaimNarrative.paragraphs(r, lang: .en)
        #expect(en.filter { $0.hasPrefix("OOM killer: ") }.count == 10)
        #expect(en.contains("… and 995 more OOM kills, 1,005 in all."))
        #expect(en.filter { $0.hasPrefix("kswapd") && $0.contains("(node ") }.count == 10)
        #expect(en.contains("… and 2 more nodes with 2 cycles."))
        #expect(en.contains { $0.contains("20 times it was woken during its 100 ms nap: the node had been balanced") })
        #expect(
            en.contains {
                $0.hasPrefix("10 mm_vmscan_reclaim_pages lines came from kdamond.0, ")
                    && $0.contains("kdamond.7 and others, not kswapd")
            })
        let ko = ReclaimNarrative.paragraphs(r, lang: .ko)
        #expect(ko.contains("… OOM kill이 995번 더 있었습니다(모두 1,005번)."))
        #expect(ko.contains("… 그 밖의 node 2개에서 사이클이 2번 있었습니다."))
        #expect(ko.contains { $0.contains("kdamond.7 등에서 나왔습니다") })
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(r.json().text.utf8)) as? [String: Any])
        #expect(json["oom_kills"] as? Int == 1005)
        #expect((json["oom_victims"] as? [Any])?.count == 1000)
        let first = try #require((json["kswapd_cycles"] as? [[String: Any]])?.first)
        #expect((first["woken_by"] as? [Any])?.count == 16)
        #expect(first["wakeups"] as? Int == 21)
    }
}

/// Issue 14's table: "reversed trace timestamps → '-7766279631452240896.00 s'". Timestamps are bounded where they
/// are read (no wrapped or absurd value), small steps back between CPUs are normal and tolerated, large ones are
/// noted, and no duration across one is printed.
@Suite struct TraceTimeOrderTests {
    typealias T = TraceInputBoundsTests

    static func classify(_ line: String) -> TraceLineParser.Line {
        var parser = TraceLineParser()
        var line = line
        return line.withUTF8 { parser.classify(UnsafeRawBufferPointer($0)) }
    }

    static func time(_ stamp: String) -> TraceLineParser.Line {
        classify("         kswapd0-45      [001] .....  \(stamp): mm_vmscan_kswapd_sleep: nid=0")
    }

    static func event(_ line: TraceLineParser.Line) -> TraceEvent? {
        if case .event(let e) = line { return e }
        return nil
    }

    @Test func timestampsAreReadWithinWhatAKernelPrints() {
        // Seconds: a u64 of nanoseconds divided, so at most 18,446,744,073 whole seconds.
        #expect(Self.event(Self.time("18446744073.709551"))?.time == 18_446_744_073.709551)
        #expect(Self.time("18446744074.000000") == .refused(.time))
        #expect(Self.time("99999999999999999999.000000") == .refused(.time))
        // A counter clock's raw integer: any u64, no more.
        #expect(Self.event(Self.time("18446744073709551615"))?.time == 18_446_744_073_709_551_615)
        #expect(Self.time("18446744073709551616") == .refused(.time))
        #expect(Self.time("123456789012345678901234567890") == .refused(.time))
        // Decimals past the ninth add nothing (they used to wrap around).
        #expect(Self.event(Self.time("1.123456789123456789123456789"))?.time == 1.123456789)
        #expect(Self.event(Self.time("    5.000001"))?.time == 5.000001)
    }

    @Test func pidsAndCPUsAreReadWithinWhatAKernelPrints() {
        let line = { (pid: String, cpu: String) in
            Self.classify(
                "             hog-\(pid)   [\(cpu)] .....   784.615775: mm_vmscan_direct_reclaim_begin: order=0")
        }
        #expect(Self.event(line("4194304", "8191"))?.pid == 4_194_304)
        #expect(Self.event(line("4194304", "8191"))?.cpu == 8191)
        #expect(line("4194305", "000") == .refused(.pid))
        #expect(line("99999999999999999999999", "000") == .refused(.pid))
        #expect(line("1", "8192") == .refused(.cpu))
        #expect(line("1", "99999999999999999999999") == .refused(.cpu))
        var parser = TraceLineParser()
        for l in [
            "             hog-4194305 [000] .....   1.000000: x: y",
            "             hog-1 [8192] .....   1.000000: x: y",
            "             hog-1 [000] .....   99999999999.000000: x: y",
            "             hog-1 [000] .....   1.000000: x: y",
        ] {
            _ = parser.parse(line: l)
        }
        #expect(parser.refused == TraceLineParser.Refusals(time: 1, pid: 1, cpu: 1))
        #expect(parser.skipped == 3 && parser.parsed == 1)
    }

    /// D1b's sleep windows (a real capture, in time order), read backwards: every forward gap of the capture
    /// larger than 10 ms becomes a step back, and is counted; no duration is negative.
    @Test func aReversedCaptureIsNotedAndNoDurationIsNegative() throws {
        let path = FixtureRun.directory("D1b-kswapd-swapout-clean")
            .appendingPathComponent("trace_pipe.sleep-windows.txt").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let times = TraceLineParser.parse(text: text).events.map(\.time)
        let gaps = zip(times, times.dropFirst()).map { $1 - $0 }
        #expect(gaps.allSatisfy { $0 >= 0 })
        let big = gaps.filter { $0 > ReclaimAnalyzer.clockStepTolerance }
        #expect(big.count == 4)
        let reversed = text.split(separator: "\n").reversed().joined(separator: "\n") + "\n"
        let r = try T.explain(reversed)
        #expect(r.backwardSteps == big.count)
        #expect(r.largestStepBack == big.max())
        #expect(r.span == times.min()!...times.max()!)
        #expect(r.notes == [.noSamples, .outOfOrder])
        #expect(r.cycles.allSatisfy { c in c.duration.map { $0 >= 0 } ?? true })
        #expect(r.cycles.contains { $0.wake != nil && $0.sleep != nil && $0.duration == nil })
        let en = ReclaimNarrative.text(r, lang: .en)
        #expect(!en.contains(" -"))
        #expect(
            en.contains(
                "The trace is out of time order: 4 times an event came more than 10 ms before the line above it (the "
                    + "largest step back 3.64 s). Lines from different CPUs may step back a little; steps this large "
                    + "mean joined or edited captures. Durations across such a step are not shown."))
        let ko = ReclaimNarrative.text(r, lang: .ko)
        #expect(!ko.contains(" -"))
        #expect(
            ko.contains("이벤트가 바로 위 줄보다 10ms 넘게 이른 시각에 찍힌 곳이 4군데 있습니다(가장 크게 거슬러 간 것은 3.64초)."))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(r.json().text.utf8)) as? [String: Any])
        #expect((json["source"] as? [String: Any])?["backward_steps"] as? Int == 4)
        #expect((json["notes"] as? [String]) == ["no_samples", "out_of_order_times"])
    }

    /// D2a's sleep windows read backwards: every direct-reclaim end comes before its begin; none makes a stall.
    @Test func aReversedDirectReclaimMakesNoNegativeStall() throws {
        let path = FixtureRun.directory("D2a-direct-reclaim")
            .appendingPathComponent("trace_pipe.milestones.txt").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let forward = try T.explain(text)
        #expect(forward.directReclaim.episodes > 0)
        let r = try T.explain(text.split(separator: "\n").reversed().joined(separator: "\n") + "\n")
        #expect(r.directReclaim.maxMs == 0)
        // Every end is either paired (within the 10 ms the clocks may differ, a stall of 0) or unmatched.
        #expect(r.directReclaim.episodes + r.directReclaim.unmatchedEnds == forward.directReclaim.episodes)
        #expect(r.notes.contains(.outOfOrder))
    }

    @Test func smallStepsBackBetweenCPUsAreNormal() throws {
        // 100 µs back from CPU 1 to CPU 0, and a direct-reclaim end 5 ms before its begin: clocks, not order.
        let text =
            T.line("kswapd0", 45, cpu: 1, "10.000500", "mm_vmscan_kswapd_wake: nid=0 order=0")
            + T.line("kswapd0", 45, cpu: 0, "10.000400", "mm_vmscan_kswapd_sleep: nid=0")
            + T.line("hog", 7, cpu: 1, "10.010000", T.begin)
            + T.line("hog", 7, cpu: 0, "10.005000", "mm_vmscan_direct_reclaim_end: nr_reclaimed=32")
        let r = try T.explain(text)
        #expect(r.backwardSteps == 0)
        #expect(!r.notes.contains(.outOfOrder))
        #expect(r.cycles.map(\.duration) == [0])
        #expect(r.directReclaim.episodes == 1 && r.directReclaim.maxMs == 0 && r.directReclaim.reclaimed == 32)
        #expect(ReclaimNarrative.text(r, lang: .en).contains("It slept at 10.000 after 0.00 s."))
    }

    @Test func largeStepsBackAreNotedAndNoDurationIsPrintedAcrossThem() throws {
        let text =
            T.line("kswapd0", 45, cpu: 1, "10.000000", "mm_vmscan_kswapd_wake: nid=0 order=0")
            + T.line("kswapd0", 45, cpu: 0, "8.000000", "mm_vmscan_kswapd_sleep: nid=0")
            + T.line("hog", 7, cpu: 1, "12.000000", T.begin)
            + T.line("hog", 7, cpu: 0, "11.000000", "mm_vmscan_direct_reclaim_end: nr_reclaimed=32")
        let r = try T.explain(text)
        #expect(r.backwardSteps == 2)
        #expect(r.largestStepBack == 2)
        #expect(r.cycles.map(\.duration) == [nil])
        #expect(r.directReclaim.episodes == 0)
        #expect(r.directReclaim.unmatchedBegins == 1 && r.directReclaim.unmatchedEnds == 1)
        let en = ReclaimNarrative.paragraphs(r, lang: .en)
        #expect(en.contains { $0.hasSuffix("It slept at 8.000.") })
        #expect(en.contains { $0.hasPrefix("The trace is out of time order: 2 times an event came") })
        #expect(ReclaimNarrative.paragraphs(r, lang: .ko).contains { $0.hasSuffix(" 8.000초에 잠들었습니다.") })
    }

    @Test func aCounterClocksTimeBeyondInt64MicrosecondsIsPrintedNotTrapped() {
        // 2^64 − 1 as a counter clock prints it; as a Double it is 2^64.
        let e = TraceEvent(time: 0x1p64, comm: "kswapd0", pid: 45, name: "x", payload: "y")
        #expect(e.traceLine.hasSuffix("] ..... 18446744073709551616.000000: x: y"))
    }
}

/// Issue 14, "a 200 KB task name makes `explain --trace` take 40 s": no line longer than a kernel's (128 KiB) is
/// read, nor held in memory; a long name within it is read once, in time linear in its length.
@Suite struct LongTraceLineTests {
    typealias T = TraceInputBoundsTests

    static let wake = T.line("kswapd0", 45, cpu: 1, "10.000100", "mm_vmscan_kswapd_wake: nid=0 order=0")
    static let sleep = T.line("kswapd0", 45, cpu: 1, "10.500000", "mm_vmscan_kswapd_sleep: nid=0")

    static func waker(_ name: String) -> String {
        T.line(name, 100, "10.000000", "mm_vmscan_wakeup_kswapd: nid=0 order=0 gfp_flags=GFP_KERNEL")
    }

    @Test(arguments: [64, 4096, 1 << 20])
    func aLineLongerThanAnyKernelsIsRefusedAndSkipped(chunkSize: Int) throws {
        let long = Self.waker(String(repeating: "x", count: 200_000))
        let endless = Self.waker(String(repeating: "y", count: 3 << 20)).dropLast()  // no newline: the file's end
        let text = long + Self.wake + long + Self.sleep + endless
        let r = try T.explain(text, chunkSize: chunkSize)
        #expect(r.eventCount == 2)
        #expect(r.traceLines == TraceFile.Counts(parsed: 2, skipped: 3, lost: 0, refused: .init(length: 3)))
        #expect(
            ReclaimNarrative.paragraphs(r, lang: .en).last
                == "Note: 3 lines shaped like events were not read, as no kernel prints them: 3 longer than 128 KiB.")
        #expect(
            ReclaimNarrative.paragraphs(r, lang: .ko).last
                == "주의: 커널이 찍을 수 없는 이벤트 줄 3개는 읽지 않았습니다: 128 KiB보다 긴 줄 3개.")
        // The same text in memory refuses the same lines.
        let whole = TraceLineParser.parse(text: text)
        #expect(whole.events.count == 2 && whole.skipped == 3)
    }

    @Test func aLongNameWithinTheLimitIsReadWhole() throws {
        let name = String(repeating: "z", count: 120_000)
        let r = try T.explain(Self.waker(name) + Self.wake + Self.sleep, chunkSize: 4096)
        #expect(r.cycles.first?.wakers.first?.comm == name)
        #expect(r.traceLines?.refused.total == 0)
        let en = ReclaimNarrative.text(r, lang: .en)
        #expect(en.contains("\(name) (pid 100) woke kswapd at 10.000 (order 0, GFP_KERNEL)."))
    }
}
