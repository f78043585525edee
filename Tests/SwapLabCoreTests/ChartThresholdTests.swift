import Foundation
import SwapLabSimulator
import SwapLabTestSupport
import Testing

@testable import SwapLabAnalysis
@testable import SwapLabExplain
@testable import SwapLabModel

/// The chart draws the lines the kernel tests (issue 11): while kswapd must be running, the zone drawn is at or
/// below the line that keeps it running, high + lowmem_reserve of the zone that decided its last sleep.
///
/// kswapd runs while no eligible zone is above high + protection (`pgdat_balanced()` in mm/vmscan.c); it tests that
/// at the top of each priority loop and after its 100 ms nap, so a sample inside a cycle may show the node already
/// balanced (kswapd finishing a loop, or napping). The checks are therefore (1) at every pass start
/// (`mm_vmscan_kswapd_wake`: woken by `wakeup_kswapd()`, which traces only for an unbalanced node, or going round
/// again because the node was not balanced) and (2) at every sample inside a cycle at which the node is unbalanced,
/// found here from the raw zone numbers, not by the code under test.
@Suite struct ChartThresholdTests {
    /// One fixture run's numbers, taken from its raw files with the commands in the comments.
    struct Run: Sendable, CustomTestStringConvertible {
        var name: String
        /// The kswapd cycles, (first kswapd_wake, kswapd_sleep):
        /// `grep -E 'kswapd_(wake|sleep)' runs/<run>/trace_pipe.milestones.txt`.
        var cycles: [(wake: Double, sleep: Double)]
        /// Each pass (kswapd_wake) with DMA32's free pages in the last sample at or before it:
        /// `awk -F, 'NR>1 && $1<=T {f=$15} END {print f}' runs/<run>/samples.csv` ($15 is DMA32_free).
        var passes: [(time: Double, dma32Free: Int64)]
        /// DMA32's high ($18, the same in every sample of the run) and its protection against Normal, the third
        /// entry of `protection: (…)` in `snap-before/zoneinfo.txt`.
        var dma32High: Int64
        var dma32Protection: Int64 = 21071
        /// DMA's high ($12) and protection (third entry); Normal's high ($24), protection 0.
        var dmaHigh: Int64
        var dmaProtection: Int64 = 24090
        var normalHigh: Int64
        /// Samples inside a cycle with the node unbalanced, and those of them with DMA32 above its raw high:
        /// `awk -F, 'NR>1 { t=$1; if (in a cycle) { bal = ($9 > $12 + 24090) || ($15 > $18 + 21071) || ($21 > $24);
        /// if (!bal) { n++; if ($15 > $18) above++ } } }'`.
        var unbalancedInCycles: Int
        var aboveRawHighWhileUnbalanced: Int

        var testDescription: String { name }
    }

    static let runs = [
        Run(
            name: "D6b", cycles: [(1402.487281, 1402.720046), (1408.870774, 1409.208040)],
            passes: [(1402.487281, 77283), (1402.606084, 75309), (1408.870774, 76146)], dma32High: 79207,
            dmaHigh: 393, normalHigh: 552801, unbalancedInCycles: 3, aboveRawHighWhileUnbalanced: 1),
        Run(
            name: "D1b", cycles: [(737.524036, 739.200092), (741.908026, 745.652064)],
            passes: [
                (737.524036, 105743), (737.669942, 111938), (738.094900, 128763), (741.908026, 103544),
                (742.326131, 122289), (742.901492, 144967), (743.889254, 153477), (745.287540, 167287),
            ], dma32High: 156698, dmaHigh: 778, normalHigh: 1_093_621, unbalancedInCycles: 47,
            aboveRawHighWhileUnbalanced: 6),
    ]

    /// The chart point at or before `t`.
    static func point(atOrBefore t: Double, in d: ChartData) -> ChartPoint? { d.points.last { $0.time <= t } }

    @Test(arguments: runs)
    func drawnZoneIsAtOrBelowItsLineWheneverKswapdMustRun(run: Run) throws {
        let timeline = try FixtureRun.timeline(run: run.name, includeTrace: true)
        let d = try #require(ChartData(timeline: timeline, subject: .auto))
        // DMA32 let kswapd sleep last: in the sample before the last sleep it is above its high + protection.
        #expect(d.title == "zone DMA32, node 0")
        let decision = try #require(d.decision)
        #expect(decision.kind == .sleep)
        #expect(decision.time == run.cycles.last!.sleep)
        let line = Double(run.dma32High + run.dma32Protection)
        #expect(Double(decision.threshold.count) == line)
        // (1) Every pass starts with DMA32 at or below the line drawn, and that line is high + protection.
        for pass in run.passes {
            let p = try #require(Self.point(atOrBefore: pass.time, in: d))
            #expect(p.free == Double(pass.dma32Free))
            #expect(p.highLine == line)
            #expect(p.free <= p.highLine, "kswapd began a pass at \(pass.time) with DMA32 drawn above its line")
        }
        // (2) Every sample inside a cycle with the node unbalanced (from the raw zone numbers).
        var unbalanced = 0
        var aboveRaw = 0
        for s in timeline.samples where run.cycles.contains(where: { s.time >= $0.wake && s.time < $0.sleep }) {
            let dma = try #require(s.zone(.dma)).free.count
            let dma32 = try #require(s.zone(.dma32)).free.count
            let normal = try #require(s.zone(.normal)).free.count
            let balanced =
                dma > run.dmaHigh + run.dmaProtection || dma32 > run.dma32High + run.dma32Protection
                || normal > run.normalHigh
            guard !balanced else { continue }
            unbalanced += 1
            let p = try #require(d.points.first { $0.time == s.time })
            #expect(p.free <= p.highLine, "kswapd must run at \(s.time), yet DMA32 is drawn above its line")
            if dma32 > run.dma32High { aboveRaw += 1 }
        }
        #expect(unbalanced == run.unbalancedInCycles)
        // Those the raw high would have drawn above the line while kswapd ran: what the chart used to show.
        #expect(aboveRaw == run.aboveRawHighWhileUnbalanced)
    }

    /// D6b at 1408.985, inside the second cycle with the node unbalanced (Normal 431434 ≤ its high 552801): DMA32's
    /// free (85492) is above its raw high (79207), so a chart of raw marks showed DMA32 above its line while kswapd
    /// had to run; high + protection (100278) is above it
    /// (`awk -F, '$1==1408.985 {print $15, $18, $21, $24}' runs/D6b-sawtooth-normal-swap/samples.csv`).
    @Test func rawHighWouldShowDMA32AboveItsLineWhileKswapdRuns() throws {
        let d = try #require(
            ChartData(timeline: try FixtureRun.timeline(run: "D6b", includeTrace: true), subject: .auto))
        let p = try #require(d.points.first { $0.time == 1408.985 })
        #expect(p.free == 85492 && p.high == 79207 && p.protection == 21071)
        #expect(p.free > p.high && p.free <= p.highLine)
    }

    /// The simulator's course machine under a 3 GiB allocation: at every pass start and at every sample inside a
    /// cycle where no eligible zone is above high + protection (computed here from the samples, with the protection
    /// against Movable, `gfp_zone(GFP_HIGHUSER_MOVABLE)`), the zone drawn is at or below its line.
    @Test func onTheSimulatorTheDrawnZoneIsAtOrBelowItsLineWheneverKswapdMustRun() throws {
        let sim = try Simulator(config: .course())
        _ = try sim.startAllocation(name: "hog", size: Pages(bytes: 3 << 30))
        // One swap device for every writer: the 3 GiB take about 15 s to settle, so the cycle closes by 20 s.
        sim.run(seconds: 20)
        let timeline = sim.timeline()
        let d = try #require(ChartData(timeline: timeline, subject: .auto))
        let decision = try #require(d.decision)
        #expect(d.title == "zone \(decision.zone.rawValue), node 0")
        var cycles: [(wake: Double, sleep: Double)] = []
        var wake: Double?
        var passes: [Double] = []
        for e in timeline.events {
            if e.name == "mm_vmscan_kswapd_wake" {
                passes.append(e.time)
                if wake == nil { wake = e.time }
            } else if e.name == "mm_vmscan_kswapd_sleep", let w = wake {
                cycles.append((w, e.time))
                wake = nil
            }
        }
        #expect(!cycles.isEmpty && passes.count > cycles.count, "the allocation made kswapd run several passes")
        for t in passes {
            let p = try #require(Self.point(atOrBefore: t, in: d))
            #expect(p.free <= p.highLine, "a pass began at \(t) with the zone drawn above its line")
        }
        var unbalanced = 0
        var aboveRaw = 0
        for s in timeline.samples where cycles.contains(where: { s.time >= $0.wake && s.time < $0.sleep }) {
            let balanced = s.zones.contains { z in
                z.managed.count > 0 && z.free.count > z.high.count + (z.protection?[3] ?? 0)
            }
            guard !balanced else { continue }
            unbalanced += 1
            let p = try #require(d.points.first { $0.time == s.time })
            #expect(p.free <= p.highLine, "kswapd must run at \(s.time), yet the zone is drawn above its line")
            if p.free > p.high { aboveRaw += 1 }
        }
        #expect(unbalanced > 100, "the check saw kswapd at work: \(unbalanced) samples")
        // With the raw high alone the zone would be drawn above its line while kswapd had to run.
        #expect(aboveRaw > 0, "\(aboveRaw) samples above the raw high")
    }

    /// The SVG names its lines as the kernel tests them and draws the raw marks faint: D6b's DMA32, high 79207 +
    /// protection 21071 = 100278 pages (392 MiB), low 56020 + 21071 = 77091 (301 MiB), min 32833 + 21071 = 53904
    /// (211 MiB); raw high 309, low 219, min 128 MiB (`awk -F, 'NR==2 {print $16, $17, $18}' samples.csv`).
    @Test func svgLabelsTheLinesTheKernelTestsAndDrawsTheRawMarksFaint() throws {
        let timeline = try FixtureRun.timeline(run: "D6b", includeTrace: true)
        let svg = try #require(SVGChart.render(timeline, options: ChartOptions()))
        for label in ["high+prot 392 MiB", "low+prot 301 MiB", "min+prot 211 MiB"] {
            #expect(svg.contains("font-weight=\"bold\"") && svg.contains(">\(label)</text>"), "\(label)")
        }
        for label in ["high 309 MiB", "low 219 MiB", "min 128 MiB"] {
            #expect(svg.contains("font-size=\"12\" fill=\"#9e9e9e\">\(label)</text>"), "faint \(label)")
        }
        let faint = svg.split(separator: "\n").filter {
            $0.hasPrefix("<polyline") && $0.contains("stroke=\"#9e9e9e\"") && $0.contains("stroke-dasharray=\"1 4\"")
        }
        #expect(faint.count == 3, "the raw min, low and high are dotted grey lines")
        #expect(svg.contains("why this zone: its free rose above high+prot and let kswapd sleep at 18.62 s"))
    }

    /// D6b's DMA32 starts at 772751 free pages (3019 MiB, `awk -F, 'NR>1 {if ($15>m) m=$15} END {print m}'`), six
    /// times the top of its band: the rows above the break hold that range compressed, so the curve is drawn from
    /// the first column, falls through the break and into the band, and nothing is cut off at the top.
    @Test func freeFarAboveTheBandIsCompressedAboveABreakNotCutOff() throws {
        let timeline = try FixtureRun.timeline(run: "D6b", includeTrace: true)
        let text = TerminalChart.render(timeline, options: ChartOptions(glyphs: .ascii, width: 96, height: 16))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix(" ~ above the break: 523 MiB - 3068 MiB, compressed") })
        #expect(!text.contains("free above the window"))
        // The plot's rows: a y label or the axis in the first seven cells.
        let rows = lines.filter { $0.count > 7 && ["|", "+", "~"].contains(Array($0)[6]) && !$0.contains("-+-") }
        #expect(rows.count == 16)
        let breakRow = try #require(rows.firstIndex { Array($0)[6] == "~" })
        #expect(breakRow == 3, "16 / 4 = 4 rows above the break; the axis shows it on the lowest of them")
        // Free memory in the first column is in the top row (its highest), and the curve reaches the band below.
        #expect(Array(rows[0])[7] == "*")
        #expect(rows[(breakRow + 1)...].contains { $0.dropFirst(7).contains("*") })
    }

    /// D0 holds no kswapd event (its trace_pipe.txt has three oom_score_adj_update lines): kswapd never woke, so
    /// the chart draws the zone that came closest to its wake threshold, relative to it, and says so. DMA32's
    /// lowest free was 31.2 times above low + protection, Normal's 213 times (`awk -F, 'NR>1 {
    /// d=($15-($17+21071))/($17+21071); n=($21-$23)/$23; ... }' runs/D0-course-recipe-default-settings/samples.csv`).
    @Test func withoutAWakeTheZoneClosestToWakingIsDrawnAndTheTitleSaysSo() throws {
        let timeline = try FixtureRun.timeline(run: "D0-course-recipe-default-settings", includeTrace: true)
        let d = try #require(ChartData(timeline: timeline, subject: .auto))
        #expect(d.title == "zone DMA32, node 0")
        #expect(d.reason == .closestToWaking)
        let text = TerminalChart.render(timeline, options: ChartOptions(glyphs: .ascii, width: 80))
        #expect(text.contains(" why this zone: kswapd did not wake; this zone came closest to its low+prot\n"))
    }

    /// Under `lang ko` the title's reason, the axis title, the lines, the lanes and the legend are Korean (course
    /// terms: High/Low/Min, kswapd and direct reclaim stay); ASCII glyphs, which cannot show Hangul, stay English.
    @Test func koreanChartSpeaksKoreanAndASCIIStaysEnglish() throws {
        let timeline = try FixtureRun.timeline(run: "D6b", includeTrace: true)
        var options = ChartOptions(width: 80, height: 16)
        options.lang = .ko
        let ko = TerminalChart.render(timeline, options: options)
        for words in [
            // Wrapped at 80 columns, continued with one space.
            " 이 zone을 그린 까닭: 여유 메모리가 High+보호를 넘어 kswapd가 18.62 s에\n 잠들었습니다",
            " 여유 메모리와 워터마크, MiB", "High+보호 392", "표시 ", "주기 2번, pass 3번", "없음", "kswapd 깨어남",
            "░ direct reclaim", "원래 워터마크",
        ] {
            #expect(ko.contains(words), "\(words)")
        }
        #expect(!ko.contains("why this zone"))
        options.glyphs = .ascii
        let ascii = TerminalChart.render(timeline, options: options)
        #expect(ascii.contains(" why this zone: its free rose above high+prot and let kswapd sleep at 18.62 s"))
        #expect(ascii.unicodeScalars.allSatisfy { $0.isASCII })
    }

    /// `chart --zone node` draws `watermarks`' wake point: at D6b's second wake-up (1408.870728) the sample before
    /// it (1408.785) has DMA 3840 (≤ its low 278 + 24090), DMA32 76146 (≤ 56020 + 21071 = 77091), Normal 392789 (>
    /// 390974): the wake point is 3840 + 76146 + 390974 = 470960 pages, free 3840 + 76146 + 392789 = 472775. The
    /// sleep point is free − max(free − (high + protection)) over the zones that can be balanced (DMA's 393 + 24090
    /// is above its 3840 managed pages): DMA32 76146 − 100278 = −24132, Normal 392789 − 552801 = −160012, so
    /// 472775 + 24132 = 496907.
    @Test func nodeChartDrawsTheWakeAndSleepPoints() throws {
        let timeline = try FixtureRun.timeline(run: "D6b", includeTrace: true)
        let d = try #require(ChartData(timeline: timeline, subject: .node(0)))
        let p = try #require(Self.point(atOrBefore: 1408.870728, in: d))
        #expect(p.time == 1408.785)
        #expect(p.free == 472775)
        #expect(p.low == 470960)
        #expect(p.high == 496907)
        #expect(p.protection == 0)
        let words = ChartWords(.ko)
        #expect(words.lineNames(d) == ["잠듦", "깨어남", "direct"])
    }
}
