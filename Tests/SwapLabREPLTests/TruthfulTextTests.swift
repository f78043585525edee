import Foundation
import SwapLabAnalysis
import SwapLabCourse
import SwapLabExplain
import SwapLabModel
import SwapLabREPL
import SwapLabTestSupport
import Testing

/// Issue 11, "Contradictions to remove" 1-9: explain, status, the summaries, the chart's swap lanes and the course's
/// feedback say what the counters and trace lines say, and agree with each other. Values come from deterministic
/// simulator runs (recounted here from the timeline's raw lines and samples) and from the real captures, where
/// the expected numbers were derived with awk on `samples.csv` (the command is in each test).
@Suite struct TruthfulTextTests {
    /// Runs `commands` (one per line of the list) in one fresh session; the text of all of them, unwrapped.
    static func run(_ commands: [String], width: Int = 2000) -> (session: Session, text: String) {
        let session = Session(output: Output(capturingWidth: width), stateDirectory: testStateDirectory())
        let shell = Shell(session: session)
        var text = ""
        for c in commands {
            _ = shell.execute(c)
            text += session.output.takeCaptured()
        }
        return (session, text)
    }

    /// The explain narrative of a fixture run (its samples and best trace), as one line.
    static func fixtureNarrative(_ run: String, lang: NarrativeLanguage = .en) throws -> String {
        ReclaimNarrative.text(ReclaimExplainer.analyze(try FixtureRun.timeline(run: run)), lang: lang)
    }

    static let oomRun = ["machine --ram 512M --swap 256M --wsf 200", "alloc 500M --name big", "run 300ms"]

    /// `nr_reclaimed=` of a raw payload.
    static func reclaimed(_ payload: String) -> Int64 {
        Int64(payload.firstMatch(of: /nr_reclaimed=(\d+)/).map { String($0.output.1) } ?? "0") ?? 0
    }

    // MARK: 1

    @Test func kswapdIsCreditedOnlyWithItsOwnReclaimOnTheSimulator() throws {
        let (session, text) = Self.run(Self.oomRun + ["explain --lang en"])
        let tl = try session.currentTimeline()
        // Recounted from the raw lines: kswapd0's own shrink_inactive results, and the counters around its cycle.
        let own = tl.events.filter { $0.comm == "kswapd0" && $0.name == "mm_vmscan_lru_shrink_inactive" }
        let file = own.filter { $0.payload.contains("RECLAIM_WB_FILE") }.reduce(0) { $0 + Self.reclaimed($1.payload) }
        let anon = own.filter { $0.payload.contains("RECLAIM_WB_ANON") }.reduce(0) { $0 + Self.reclaimed($1.payload) }
        let waker = try #require(tl.events.first { $0.name == "mm_vmscan_wakeup_kswapd" })
        let sleep = try #require(tl.events.first { $0.name == "mm_vmscan_kswapd_sleep" })
        let a = try #require(tl.samples.last { $0.time <= waker.time })
        let b = try #require(tl.samples.first { $0.time >= sleep.time })
        func delta(_ c: String) -> Int64 { (b.counters[c] ?? 0) - (a.counters[c] ?? 0) }
        #expect([file, anon] == [15_170, 61_091])
        #expect(file + anon == delta("pgsteal_kswapd"))
        #expect([delta("pgsteal_kswapd"), delta("pgsteal_direct"), delta("pswpout")] == [76_261, 7_399, 65_536])
        #expect(
            text.contains(
                "kswapd itself reclaimed 76,261 pages (pgsteal_kswapd): its own trace lines show 15,170 file and "
                    + "61,091 anon pages (lru_shrink_inactive)"))
        #expect(
            text.contains(
                "Direct reclaim reclaimed 7,399 more in the same span (pgsteal_direct). Both together swapped out "
                    + "65,536 pages (256 MiB, pswpout)."))
        // pgsteal_file (both reclaimers) is no longer given to kswapd.
        #expect(!text.contains("file pages dropped and"))
    }

    /// D2a, cycle 2 (hog's wake-up at 783.021 to the sleep at 790.364): from the sample at 782.997 to the first at
    /// or after the sleep, 790.397,
    /// `awk -F, '$1=="782.997"||$1=="790.397"{print $29,$31,$36}' samples.csv` gives pgsteal_kswapd
    /// 2170842 → 2652459, pgsteal_direct 0 → 21506, pswpout 1562490 → 1854403.
    @Test func directReclaimsShareIsToldApartOnARealRun() throws {
        let text = try Self.fixtureNarrative("D2a-direct-reclaim")
        #expect(text.contains("kswapd itself reclaimed 481,617 pages (pgsteal_kswapd)"))
        #expect(
            text.contains(
                "Direct reclaim reclaimed 21,506 more in the same span (pgsteal_direct). Both together swapped out "
                    + "291,913 pages (1.11 GiB, pswpout)."))
    }

    // MARK: 2

    @Test func anOpenCycleIsCalledOpenNotFinished() throws {
        let (session, text) = Self.run([
            "machine --ram 512M --swap 256M --wsf 200", "alloc 400M --name a --rate 50M/s", "explain --lang en",
        ])
        let events = try session.currentTimeline().events
        let sleeps = events.filter { $0.name == "mm_vmscan_kswapd_sleep" }.count
        let last = try #require(events.last { $0.name.hasPrefix("mm_vmscan_kswapd_") })
        #expect(sleeps == 5)
        #expect(last.name == "mm_vmscan_kswapd_wake")
        #expect(
            text.contains(
                "kswapd0 (node 0): 5 finished cycles of wake → passes → sleep, and one more still open at the end "
                    + "(awake, not yet asleep)."))
        let (_, early) = Self.run([
            "machine --ram 512M --swap 256M --wsf 200", "alloc 300M --name a", "run 10ms", "explain --lang ko",
        ])
        #expect(early.contains("사이클을 아직 하나도 마치지 못했습니다"))
    }

    // MARK: 3

    /// Every cycle's passes are its first, the nap wake-ups and the unbalanced rounds; the nap wake-ups are the
    /// `mm_vmscan_wakeup_kswapd` lines inside the cycle and equal kswapd_low_wmark_hit_quickly's rise.
    @Test func napWakesAreToldApartFromUnbalancedPasses() throws {
        let (session, text) = Self.run([
            "machine --ram 512M --swap 256M --wsf 200", "alloc 400M --name a --rate 100M/s", "explain --lang en",
        ])
        let tl = try session.currentTimeline()
        let report = ReclaimExplainer.analyze(tl)
        #expect(report.cycles.count == 3)
        // The timeline analysis the chart and the course read counts the same nap wake-ups.
        #expect(TimelineAnalysis(tl).cycles.map(\.napWakeups) == report.cycles.map(\.napWakeups))
        for c in report.cycles where c.sleep != nil {
            let wake = try #require(c.wake)
            let sleep = try #require(c.sleep)
            let inside = tl.events.filter {
                $0.name == "mm_vmscan_wakeup_kswapd" && $0.time > wake && $0.time < sleep
            }.count
            let low = try #require(c.counterDeltas["kswapd_low_wmark_hit_quickly"])
            let high = try #require(c.counterDeltas["kswapd_high_wmark_hit_quickly"])
            #expect(c.napWakeups == inside)
            #expect(Int64(inside) == low)
            #expect(Int64(c.passes) == 1 + low + high)
        }
        #expect(
            text.contains(
                "kswapd woke at 1.513 and ran 14 passes (balance_pgdat). 3 times it was woken during its 100 ms nap: "
                    + "the node had been balanced, then allocations took free below low again "
                    + "(kswapd_low_wmark_hit_quickly +3). 10 times it went straight into another pass without a nap, "
                    + "because the node was not balanced yet (kswapd_high_wmark_hit_quickly +10)."))
    }

    /// D1b: `awk -F, 'NR==2{b=$43} END{print $43-b}' samples.csv` gives kswapd_high_wmark_hit_quickly +6 over the
    /// run and kswapd_low_wmark_hit_quickly ($42) +0: 2 rounds in cycle 1 (3 passes), 4 in cycle 2 (5 passes).
    @Test func unbalancedPassesOnARealRunComeFromTheCounter() throws {
        let text = try Self.fixtureNarrative("D1b-kswapd-swapout-clean")
        #expect(
            text.contains(
                "ran 3 passes (balance_pgdat). 2 times it went straight into another pass without a nap, because the "
                    + "node was not balanced yet (kswapd_high_wmark_hit_quickly +2)."))
        #expect(text.contains("ran 5 passes (balance_pgdat). 4 times it went straight"))
        #expect(!text.contains("during its 100 ms nap"))
    }

    // MARK: 4

    @Test func theOOMVictimsResidentMemoryIsWhatMarkVictimPrints() throws {
        let (session, text) = Self.run(Self.oomRun + ["explain --lang en"])
        let victim = try #require(try session.currentTimeline().events.first { $0.name == "mark_victim" })
        func kB(_ key: String) throws -> Int64 {
            let m = try #require(victim.payload.firstMatch(of: try Regex("\(key)[=:](\\d+)kB")))
            let digits = m.output[1].substring.map(String.init) ?? ""
            return try #require(Int64(digits))
        }
        let anon = try kB("anon-rss"), file = try kB("file-rss"), shmem = try kB("shmem-rss")
        let pgtables = try kB("pgtables")
        #expect([anon, file, shmem, pgtables] == [266_860, 0, 0, 972])
        #expect(
            text.contains(
                "OOM killer: big (pid 1000) was killed at 1.064. It held 260.61 MiB resident (anon-rss 260.61 MiB, "
                    + "file-rss 0 B, shmem-rss 0 B) and 972 KiB of page tables, which the kill frees."))
        #expect(!text.contains("of anonymous memory"))
        #expect(Shell(session: session).execute("explain --json"))
        let json = session.output.takeCaptured()
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let v = try #require((obj["oom_victims"] as? [[String: Any]])?.first)
        #expect(
            [v["anon_rss_kib"], v["file_rss_kib"], v["shmem_rss_kib"], v["pgtables_kib"]].map { $0 as? Int }
                == [266_860, 0, 0, 972])
    }

    // MARK: 5

    /// The swap lane's peak is a rate over 250 ms windows (a column is 16 ms here), not over two samples µs
    /// apart: recounted from the samples, each interval's pswpout counted in the window its end falls in, over the
    /// window widened back to the start of an interval that began before it (its pages took that long).
    @Test func swapRatesAreOverFixedWindowsWithTheWindowStated() throws {
        let (session, text) = Self.run(Self.oomRun + ["chart --glyphs ascii"], width: 80)
        let tl = try session.currentTimeline()
        let span = try #require(tl.span)
        var windows: [Int: (pages: Int64, from: Double)] = [:]
        var pairPeak = 0.0
        for (a, b) in zip(tl.samples, tl.samples.dropFirst()) {
            let pages = (b.counters["pswpout"] ?? 0) - (a.counters["pswpout"] ?? 0)
            let k = Int(((b.time - span.lowerBound) / 0.25).rounded(.down))
            let start = span.lowerBound + Double(k) * 0.25
            let w = windows[k] ?? (0, start)
            windows[k] = (w.pages + pages, pages > 0 ? min(w.from, a.time) : w.from)
            if b.time > a.time { pairPeak = max(pairPeak, Double(pages) / (b.time - a.time)) }
        }
        let rates = windows.map { k, w in
            Double(w.pages) / max(0.25, span.lowerBound + Double(k + 1) * 0.25 - w.from)
        }
        let peak = (rates.max() ?? 0) * 4096 / 1_048_576
        #expect(Int(peak.rounded()) == 247)
        #expect(text.contains("peak 247 MiB/s over 0.25 s"))
        // Under the one swap device's rate, 1 page per SimConstants.swapOutCost (14 µs): 279 MiB/s.
        #expect(peak <= 4096 / 0.000_014 / 1_048_576)
        // Between two samples the rate is the device's too (a sample counts the writes finished by its time),
        // within the few pages a sample interval cuts through.
        #expect(pairPeak * 4096 / 1_048_576 < 300)
    }

    // MARK: 6

    @Test(arguments: [
        ("150ms", "napping", "it was in its 100 ms nap (status: napping)"),
        ("50ms", "running", "still reclaiming in a pass (status: running)"),
    ])
    func explainTellsTheKswapdStateStatusPrints(_ run: String, _ state: String, _ told: String) {
        let (_, text) = Self.run([
            "machine --ram 512M --swap 256M --wsf 200", "alloc 300M --name a", "run \(run)", "status",
            "explain --lang en",
        ])
        #expect(text.contains("kswapd0: \(state)\n"))
        #expect(text.contains(told))
        #expect(!text.contains("still running)"))
    }

    /// A node that gave up (node_unreclaimable 1) sleeps after its nap balanced or not: explain does not promise a
    /// balance check then. The state is the one `status` would print for such a node.
    @Test func aHopelessNapIsNotToldAsWaitingForBalance() throws {
        let (session, _) = Self.run(["machine --ram 512M --swap 256M --wsf 200", "alloc 300M --name a", "run 100ms"])
        var report = ReclaimExplainer.analyze(try session.currentTimeline())
        report.kswapdNow = [KswapdStatus(node: 0, state: .napping, failures: 16, nodeUnreclaimable: true)]
        let en = ReclaimNarrative.text(report, lang: .en)
        #expect(
            en.contains(
                "At the end kswapd had not slept yet: it was in its 100 ms nap (status: napping). node_unreclaimable "
                    + "1: after 16 passes without progress kswapd gave up on the node. So it sleeps when the nap ends, "
                    + "balanced or not."))
        #expect(!en.contains("sleeps if the node is still balanced"))
    }

    // MARK: 7

    @Test func summariesCountWakeupsPassesAndSleepsUnderTheirWords() throws {
        let (session, text) = Self.run(Self.oomRun)
        let events = try session.currentTimeline().events
        func count(_ name: String) -> Int { events.filter { $0.name == name }.count }
        let counts = [
            count("mm_vmscan_wakeup_kswapd"), count("mm_vmscan_kswapd_wake"), count("mm_vmscan_kswapd_sleep"),
        ]
        #expect(counts == [1, 4, 1])
        #expect(text.contains("kswapd: 1 wake-up, 4 passes;"))
        // One stall per try_to_free_pages() call, each traced as a begin/end pair: the summary counts the trace's.
        let stalls = count("mm_vmscan_direct_reclaim_begin")
        #expect(stalls == count("mm_vmscan_direct_reclaim_end"))
        #expect(stalls == 225)
        #expect(text.contains("\(stalls) direct-reclaim stalls; 1 OOM kill\n"))
        // The sleep came during `run 300ms`: said, not "no reclaim".
        #expect(text.hasSuffix("kswapd: 1 sleep\n"))
        #expect(!text.contains("run(s)"))
    }

    // MARK: 8

    @Test func feedbackNeverShowsRawOrUnfilledText() throws {
        let above = try #require(Comparison("> 0"))
        #expect(Template.fill("woke {count|time|times}", values: ["count": "1"]) == "woke 1 time")
        #expect(Template.fill("woke {count|time|times}", values: ["count": "3"]) == "woke 3 times")
        #expect(Template.placeholders(in: "{stalled.count|time|times} and {free}") == ["stalled.count", "free"])
        // A counter the window has no sample of: the reason, not "(pswpin +?)".
        let p = Predicate(
            id: "back", condition: .counter(name: "pswpin", delta: above),
            feedback: LocalizedText(en: "Nothing came back (pswpin +{delta}).", ko: "돌아온 것이 없습니다 (pswpin +{delta})."))
        let empty = Timeline(machine: MachineDescription(engine: "sim", summary: "test"))
        let none = Checker.evaluate(
            StepExpectation(all: [p]), input: CheckInput(timeline: empty, windowStart: -.infinity))
        #expect(none.firstFailure?.feedback(.en) == "Not checked yet: no sample in the window has the counter pswpin.")
        // A counter that did not move: said so, with what the step expects.
        let sample = Sample(time: 1, zones: [], counters: ["allocstall_movable": 0])
        let later = Sample(time: 2, zones: [], counters: ["allocstall_movable": 0])
        let still = Timeline(machine: MachineDescription(engine: "sim", summary: "test"), samples: [sample, later])
        let q = Predicate(id: "stall", condition: .counter(name: "allocstall_movable", delta: above))
        let outcome = Checker.evaluate(StepExpectation(all: [q]), input: CheckInput(timeline: still, windowStart: 0))
        #expect(
            outcome.firstFailure?.feedback(.en)
                == "allocstall_movable did not change in this step (it stayed at 0); the step expects a change > 0.")
        #expect(
            outcome.firstFailure?.feedback(.ko)
                == "이 단계에서 allocstall_movable는 바뀌지 않았습니다(그대로 0). 단계는 > 0만큼의 변화를 기대합니다.")
    }

    // MARK: 9

    /// D0 never woke kswapd. With DMA's and DMA32's protection against Normal (24090, 21071 in snap-before's
    /// zoneinfo), `awk -F, 'function m(a,b){return a<b?a:b} NR>1{f=$9+$15+$21;
    /// w=m($9,$11+24090)+m($15,$17+21071)+m($21,$23); if(b==""||f-w<b){b=f-w;t=$1;F=f;W=w}} END{print t,F,W,b}'
    /// samples.csv` gives t 1005.118, free 5093915, wake point 47962, distance 5045953 pages; with min ($10, $16,
    /// $22) the min point is 41796 and the distance 5052119.
    @Test func aQuietRunSaysWhyWithNumbers() throws {
        let text = try Self.fixtureNarrative("D0-course-recipe-default-settings")
        #expect(
            text.contains(
                "At its lowest (1005.118 s) the eligible zones had 19.43 GiB free, 19.25 GiB above the 187 MiB wake "
                    + "point (Σ min(free, low + protection)): an allocation must take more than 19.25 GiB to wake "
                    + "kswapd. `watermarks` shows the wake point now"))
        #expect(text.contains("19.27 GiB above the 163 MiB min point"))
        #expect(text.contains("No OOM kill (oom_kill +0): the OOM killer runs only when direct reclaim cannot free"))
        let report = ReclaimExplainer.analyze(try FixtureRun.timeline(run: "D0-course-recipe-default-settings"))
        #expect(
            report.closestToWake.map { [$0.free.count, $0.threshold.count, $0.distance.count] }
                == [5_093_915, 47_962, 5_045_953])
        #expect(report.closestToMin.map { [$0.threshold.count, $0.distance.count] } == [41_796, 5_052_119])
        let ko = try Self.fixtureNarrative("D0-course-recipe-default-settings", lang: .ko)
        #expect(ko.contains("kswapd를 깨우는 지점 187 MiB(Σ min(free, Low + protection))보다 19.25 GiB 위였습니다"))
    }

    /// The simulator records every wake and sleep: a quiet run is told as one where kswapd never woke, with the
    /// distance to the wake point and to min, and why no OOM kill came, not as a run without tracing. The numbers are
    /// recounted from the last sample: Σ min(free, low + protection) and Σ min(free, min + protection) over the zones,
    /// protection against Normal, the highest zone a user allocation may use here.
    @Test func aQuietRunOnTheSimulatorSaysWhyWithNumbers() throws {
        let (session, text) = Self.run(["machine --ram 4G", "alloc 200M --name a", "explain --lang en"])
        let last = try #require(try session.currentTimeline().samples.last)
        let zones = last.zones.filter { $0.managed.count > 0 }
        let free = zones.reduce(Int64(0)) { $0 + $1.free.count }
        func point(_ mark: (ZoneSample) -> Int64) -> Int64 {
            zones.reduce(Int64(0)) { $0 + min($1.free.count, mark($1) + ($1.protection?[2] ?? 0)) }
        }
        let wake = point { $0.low.count }
        let atMin = point { $0.min.count }
        #expect([free, wake, atMin] == [307_200, 7_838, 6_819])
        #expect(text.contains("kswapd never woke in this trace."))
        #expect(
            text.contains(
                "the eligible zones had 1.17 GiB free, 1.14 GiB above the 31 MiB wake point (Σ min(free, low + "
                    + "protection)): an allocation must take more than 1.14 GiB to wake kswapd."))
        #expect(text.contains("the eligible zones had 1.17 GiB free, 1.15 GiB above the 27 MiB min point"))
        #expect(
            text.contains(
                "No OOM kill (oom_kill +0): the OOM killer runs only when direct reclaim cannot free pages, and no "
                    + "task had to reclaim for itself."))
        #expect(!text.contains("No trace events"))
    }

    /// The live engine without tracing, on the captured /proc of D6b's run (snap-during): the wake point, min and no
    /// OOM kill told with numbers. From its zoneinfo (`awk '/pages free/…'`): free 3840 + 116470 + 464786 = 585096;
    /// low 278, 56020, 390974 and min 163, 32833, 229147 with protection against Normal 24090, 21071, 0, so the
    /// wake point is 3840 + 77091 + 390974 = 471905 (113191 pages, 442 MiB, below free) and the min point
    /// 3840 + 53904 + 229147 = 286891 (298205 pages, 1.14 GiB).
    @Test func aQuietRunOnTheLiveEngineSaysWhyWithNumbers() throws {
        let root = try EngineTests.d6bRoot()
        defer { FakeRoot.remove(root) }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-test-\(UUID().uuidString)")
        let sh = Shell(
            session: Session(output: Output(capturingWidth: 2000), systemRoot: root.path, stateDirectory: state))
        for c in ["engine live", "mark a", "mark b", "explain --lang en"] { #expect(sh.execute(c)) }
        let text = sh.session.output.takeCaptured()
        #expect(text.contains("kswapd did not run."))
        #expect(
            text.contains(
                "the eligible zones had 2.23 GiB free, 442 MiB above the 1.80 GiB wake point (Σ min(free, low + "
                    + "protection)): an allocation must take more than 442 MiB to wake kswapd."))
        #expect(text.contains("the eligible zones had 2.23 GiB free, 1.14 GiB above the 1.09 GiB min point"))
        #expect(
            text.contains(
                "No OOM kill (oom_kill +0): the OOM killer runs only when direct reclaim cannot free pages, and no "
                    + "task had to reclaim for itself (allocstall +0)."))
    }
}
