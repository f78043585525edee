import Foundation
import SwapLabExplain
import SwapLabModel
import SwapLabTestSupport
import Testing

/// The explainer on every fixture run, checked against what the raw lines say (counted here by plain string
/// matching, not by the parser or the explainer), plus Korean narrative snapshots.
@Suite struct ReclaimExplainerTests {
    /// A cycle as the raw lines show it.
    struct RawCycle: Equatable, CustomStringConvertible {
        var wake: String?
        var sleep: String?
        var passes: Int
        var description: String { "(\(wake ?? "nil"), \(sleep ?? "nil"), \(passes))" }
    }

    /// The timestamp text of a raw line: the word before `: <event>:`.
    static func timestamp(_ line: Substring, event: String) -> String {
        let head = line[..<line.range(of: ": \(event):")!.lowerBound]
        return String(head.split(separator: " ").last!)
    }

    /// Cycles from the raw text: a cycle opens at the first kswapd_wake after a sleep (or the start) and closes at
    /// kswapd_sleep; a sleep with no open cycle is a cycle whose wake was before the text.
    static func rawCycles(_ text: String) -> [RawCycle] {
        var cycles: [RawCycle] = []
        var open: Int?
        for line in text.split(separator: "\n") {
            if line.contains(": mm_vmscan_kswapd_wake: ") {
                if let i = open {
                    cycles[i].passes += 1
                } else {
                    cycles.append(
                        RawCycle(wake: timestamp(line, event: "mm_vmscan_kswapd_wake"), sleep: nil, passes: 1))
                    open = cycles.count - 1
                }
            } else if line.contains(": mm_vmscan_kswapd_sleep: ") {
                let ts = timestamp(line, event: "mm_vmscan_kswapd_sleep")
                if let i = open {
                    cycles[i].sleep = ts
                } else {
                    cycles.append(RawCycle(wake: nil, sleep: ts, passes: 0))
                }
                open = nil
            }
        }
        return cycles
    }

    static func format(_ t: Double?) -> String? { t.map { String(format: "%.6f", $0) } }

    /// Every trace text of every run: each file alone, and the best (whole or merged) text.
    static let sources: [String] = Fixtures.runs.flatMap { run in
        FixtureRun.traceFiles(run: run).map { "\(run)/\($0)" } + ["\(run)/best"]
    }

    static func text(_ source: String) throws -> String {
        let run = String(source.split(separator: "/")[0])
        let file = String(source.split(separator: "/")[1])
        return try FixtureRun.traceText(run: run, choice: file == "best" ? .best : .file(file))
    }

    @Test(arguments: sources)
    func cyclesAndCountsEqualTheRawLines(_ source: String) throws {
        let text = try Self.text(source)
        let report = ReclaimExplainer.analyze(
            Timeline(
                machine: MachineDescription(engine: "trace", summary: source),
                events: TraceLineParser.parse(text: text).events))
        let got = report.cycles.map {
            RawCycle(wake: Self.format($0.wake), sleep: Self.format($0.sleep), passes: $0.passes)
        }
        #expect(got == Self.rawCycles(text))
        let lines = text.split(separator: "\n")
        func count(_ event: String) -> Int { lines.filter { $0.contains(": \(event): ") }.count }
        for event in [
            "mm_vmscan_kswapd_wake", "mm_vmscan_kswapd_sleep", "mm_vmscan_wakeup_kswapd", "mm_vmscan_write_folio",
            "mm_vmscan_direct_reclaim_begin", "mm_vmscan_direct_reclaim_end", "oom_score_adj_update",
        ] {
            #expect(report.eventCounts[event, default: 0] == count(event), "\(event)")
        }
        #expect(report.eventCounts.values.reduce(0, +) == lines.count)
        #expect(report.oomKills.count == count("mark_victim"))
        #expect(
            report.directReclaim.episodes
                == min(count("mm_vmscan_direct_reclaim_begin"), count("mm_vmscan_direct_reclaim_end")))
    }

    @Test func d1bHasTwoCyclesWokenByTheHog() throws {
        let report = ReclaimExplainer.analyze(try FixtureRun.timeline(run: "D1b-kswapd-swapout-clean"))
        #expect(report.cycles.map { Self.format($0.wake) } == ["737.524036", "741.908026"])
        #expect(report.cycles.map { Self.format($0.sleep) } == ["739.200092", "745.652064"])
        #expect(report.cycles.map(\.passes) == [3, 5])
        #expect(report.cycles.map { $0.wakers.first?.comm } == ["hog", "hog"])
        #expect(report.cycles.allSatisfy { $0.wakers.first?.isBoostWake == false })
        // pswpout from samples.csv: 737.446 → 739.246 and 741.846 → 745.746.
        #expect(report.cycles.map { $0.counterDeltas["pswpout"] } == [1_354_759 - 1_265_001, 1_562_490 - 1_354_759])
        #expect(report.counterDeltas["pswpout"] == 297_489)
        // DMA32 above high + protection (199,469 > 156,698 + 21,071; 181,274 > 177,769), Normal below high.
        #expect(report.cycles.map { $0.balancedAtSleep.map(\.zone) } == [[.dma32], [.dma32]])
        #expect(report.directReclaim.episodes == 0)
        #expect(report.oomKills.isEmpty)
    }

    @Test func d1bNarrativeNamesBothCyclesTheSwapOutAndTheBalancedZone() throws {
        let report = ReclaimExplainer.analyze(try FixtureRun.timeline(run: "D1b-kswapd-swapout-clean"))
        let en = ReclaimNarrative.text(report, lang: .en)
        for needle in [
            "2 finished cycles", "Cycle 1", "Cycle 2", "737.524", "739.200", "741.908", "745.652", "89,758", "207,731",
            "swapped out", "DMA32 was balanced", "not when total free memory is", "No direct reclaim",
        ] {
            #expect(en.contains(needle), "\(needle)")
        }
        let ko = ReclaimNarrative.text(report, lang: .ko)
        for needle in ["사이클 1", "사이클 2", "swap-out", "DMA32 zone이 균형 상태", "89,758", "207,731"] {
            #expect(ko.contains(needle), "\(needle)")
        }
    }

    @Test func d4GivesUpWithoutABalancedZone() throws {
        let report = ReclaimExplainer.analyze(try FixtureRun.timeline(run: "D4-noswap-file-thrash-hopeless"))
        let last = try #require(report.cycles.last)
        #expect(last.passes == 759)
        #expect(last.balancedAtSleep.isEmpty)
        #expect(last.gaveUp)
        #expect(ReclaimNarrative.text(report, lang: .en).contains("gave up"))
    }

    @Test func d2aDirectReclaimStallsMatchThePairs() throws {
        let report = ReclaimExplainer.analyze(try FixtureRun.timeline(run: "D2a-direct-reclaim"))
        #expect(report.directReclaim.episodes == 576)
        #expect(report.directReclaim.unmatchedBegins + report.directReclaim.unmatchedEnds == 0)
        #expect(report.directReclaim.maxMs > 70 && report.directReclaim.maxMs < 75)  // live-lab §5: max 74 ms
        #expect(report.directReclaim.medianMs > 0.9 && report.directReclaim.medianMs < 1.1)  // median 1.0 ms
        #expect(report.cycles.map(\.passes) == [1, 36])
    }

    @Test func samplesOnlyTimelineSaysItInfersFromCounters() throws {
        let t = try FixtureRun.timeline(run: "D1b-kswapd-swapout-clean", trace: .none)
        let report = ReclaimExplainer.analyze(t)
        #expect(report.notes == [.noTraceEvents])
        #expect(report.cycles.isEmpty)
        let en = ReclaimNarrative.text(report, lang: .en)
        #expect(en.contains("No trace events"))
        #expect(en.contains("pswpout +297,489"))
    }

    @Test func kdamondReclaimIsNotKswapd() throws {
        let text = """
                   kswapd0-45      [001] .....   10.000000: mm_vmscan_kswapd_wake: nid=0 order=0
                  kdamond.0-900    [000] .....   10.100000: mm_vmscan_reclaim_pages: nid=0 nr_scanned=64 nr_reclaimed=60 nr_dirty=0 nr_writeback=0 nr_congested=0 nr_immediate=0 nr_activate_anon=0 nr_activate_file=0 nr_ref_keep=0 nr_unmap_fail=0
                      hog-77       [000] .....   10.200000: mm_vmscan_wakeup_kswapd: nid=0 order=0 gfp_flags=none
            """
        let report = ReclaimExplainer.analyze(
            Timeline(
                machine: MachineDescription(engine: "trace", summary: ""),
                events: TraceLineParser.parse(text: text).events))
        #expect(report.otherReclaimPages.lines == 1)
        #expect(report.otherReclaimPages.reclaimed == 60)
        #expect(report.cycles.count == 1 && report.cycles[0].sleep == nil)
        #expect(report.cycles[0].wakers.first?.isBoostWake == true)
        #expect(ReclaimNarrative.text(report, lang: .en).contains("not kswapd"))
    }

    @Test func jsonHasTheAgreedKeysInOrder() throws {
        let report = ReclaimExplainer.analyze(
            Timeline(
                machine: MachineDescription(engine: "trace", summary: ""),
                events: TraceLineParser.parse(
                    text: try FixtureRun.traceText(
                        run: "D6b-sawtooth-normal-swap", choice: .file("trace_pipe.milestones.txt"))
                ).events))
        let json = report.json().text
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((obj["events"] as? [String: Int])?["mm_vmscan_kswapd_wake"] == 3)
        let cycles = try #require(obj["kswapd_cycles"] as? [[String: Any]])
        #expect(cycles.count == 2)
        #expect(cycles[0]["node"] as? Int == 0)
        #expect(cycles[0]["passes"] as? Int == 2)
        #expect(cycles[1]["passes"] as? Int == 1)
        #expect((cycles[0]["wake_s"] as? Double).map { abs($0 - 1402.487281) < 1e-6 } == true)
        #expect((obj["direct_reclaim"] as? [String: Any])?["episodes"] as? Int == 0)
        #expect(obj["oom_kills"] as? Int == 0)
        let order = ["\"source\"", "\"events\"", "\"kswapd_cycles\"", "\"direct_reclaim\"", "\"oom_kills\""]
        let positions = order.map { json.range(of: $0)!.lowerBound }
        #expect(positions == positions.sorted())
    }

    // MARK: Korean snapshots

    static let snapshotDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Snapshots")

    /// Compares `text` with `Snapshots/<name>`; `RECORD_SNAPSHOTS=1` writes it; a missing snapshot fails.
    static func assertSnapshot(_ text: String, named name: String) throws {
        let url = snapshotDirectory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: snapshotDirectory, withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let stored = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing snapshot \(name); run with RECORD_SNAPSHOTS=1 to record it")
            return
        }
        #expect(stored == text, "snapshot \(name) differs; re-record with RECORD_SNAPSHOTS=1 if the change is intended")
    }

    @Test(arguments: Fixtures.runs)
    func koreanNarrativeSnapshot(_ run: String) throws {
        let report = ReclaimExplainer.analyze(try FixtureRun.timeline(run: run))
        try Self.assertSnapshot(ReclaimNarrative.text(report, lang: .ko) + "\n", named: "explain-\(run).ko.txt")
        try Self.assertSnapshot(ReclaimNarrative.text(report, lang: .en) + "\n", named: "explain-\(run).en.txt")
    }
}
