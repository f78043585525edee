import SwapLabAnalysis
import SwapLabModel

/// The words of both chart renderers in the chart's language: titles, line names, lane labels and notes, legends.
/// Korean follows `reference/course-terms.md` (High/Low/Min, kswapd, direct reclaim and counter names stay as the
/// kernel spells them).
struct ChartWords {
    let ko: Bool

    init(_ lang: NarrativeLanguage) { ko = lang == .ko }

    func say(_ en: String, _ ko: String) -> String { self.ko ? ko : en }

    /// The names of the three lines, strongest first (high, low, min), for a zone with or without protection or a
    /// node; and of the raw marks drawn faint under protected lines.
    func lineNames(_ d: ChartData) -> [String] {
        if d.isNode { return [say("sleep", "잠듦"), say("wake", "깨어남"), "direct"] }
        if d.hasProtection {
            return [say("high+prot", "High+보호"), say("low+prot", "Low+보호"), say("min+prot", "Min+보호")]
        }
        return rawNames
    }

    var rawNames: [String] { [say("high", "High"), say("low", "Low"), say("min", "Min")] }
    var free: String { say("free", "여유") }
    /// This machine's free line and the simulator's, beside each other (`lab run --compare`).
    var real: String { say("real", "실제") }
    var simulator: String { say("simulator", "시뮬레이터") }
    /// The simulator's line at the right edge and its kswapd lane (7 cells at most).
    var simShort: String { say("sim", "시뮬") }
    var simLane: String { say("sim", "시뮬") }
    var hogStartsAt: String { say("t=0 at each run's hog start", "t=0은 각 실행에서 hog가 시작한 때") }
    var overlayExplained: String {
        say(
            "real: this machine's run; simulator: the same lab simulated from this machine as it was before it; "
                + "the sim lane is the simulator's kswapd",
            "실제: 이 컴퓨터에서 돌린 실습, 시뮬레이터: 실습 전 이 컴퓨터 상태에서 같은 실습을 시뮬레이션한 결과. "
                + "시뮬 줄은 시뮬레이터의 kswapd입니다")
    }

    /// The first header line's subject.
    func subject(_ d: ChartData, allZones: Bool) -> String {
        if allZones { return say("all zones, node 0", "모든 zone, node 0") }
        return d.isNode ? d.title + say(": free memory of its zones", ": zone 여유 메모리 합") : d.title
    }

    /// Why the subject is the zone it is, timed from the chart's start; nil when it was asked for.
    func reason(_ d: ChartData) -> String? {
        if d.reason == .closestToWaking {
            let line = d.hasProtection ? say("low+prot", "Low+보호") : "Low"
            return say(
                "why this zone: kswapd did not wake; this zone came closest to its \(line)",
                "이 zone을 그린 까닭: kswapd가 깨어나지 않았고, 이 zone이 \(line)에 가장 가까이 갔습니다")
        }
        guard let k = d.decision else { return nil }
        let t = ChartFormat.fixed(k.time - d.start, 2) + " s"
        let prot = d.hasProtection
        switch k.kind {
        case .sleep:
            let line = prot ? say("high+prot", "High+보호") : "High"
            return say(
                "why this zone: its free rose above \(line) and let kswapd sleep at \(t)",
                "이 zone을 그린 까닭: 여유 메모리가 \(line)를 넘어 kswapd가 \(t)에 잠들었습니다")
        case .wake:
            let line = prot ? say("low+prot", "Low+보호") : "Low"
            return say(
                "why this zone: its free fell to \(line) and woke kswapd at \(t)",
                "이 zone을 그린 까닭: 여유 메모리가 \(line)까지 내려가 kswapd가 \(t)에 깨어났습니다")
        }
    }

    /// The second header line's start.
    var axisTitle: String { say("free vs watermarks, MiB", "여유 메모리와 워터마크, MiB") }
    func startsAt(_ t: Double) -> String { say("t=0 at ", "t=0은 ") + ChartFormat.fixed(t, 3) + " s" }
    func samplesEvery(_ ms: String) -> String { say("samples every \(ms) ms", "\(ms) ms마다 샘플") }

    func above(_ size: String) -> String { say("free above the window (up to \(size))", "그래프 위로 벗어남 (최대 \(size))") }
    func below(_ size: String) -> String { say("below it (down to \(size))", "그래프 아래로 벗어남 (최소 \(size))") }
    func compressed(_ from: String, _ to: String) -> String {
        say("above the break: \(from) – \(to), compressed", "축이 끊긴 곳 위: \(from) – \(to) (줄여 그림)")
    }

    var marks: String { say("marks", "표시") }

    func kswapdNote(cycles: Int, passes: Int, inferred: Bool) -> String {
        if inferred {
            return cycles == 0
                ? say("idle (inferred)", "쉼 (추정)")
                : say("\(cycles) run\(cycles == 1 ? "" : "s") (inferred)", "\(cycles)번 실행 (추정)")
        }
        var note = say("\(cycles) cycle\(cycles == 1 ? "" : "s")", "주기 \(cycles)번")
        if passes > cycles { note += say(", \(passes) passes", ", pass \(passes)번") }
        return note
    }

    func directNote(stalls: Int, inferred: Bool) -> String {
        var note = stalls == 0 ? say("none", "없음") : say("\(stalls) stall\(stalls == 1 ? "" : "s")", "멈춤 \(stalls)번")
        if inferred { note += say(" (inferred)", " (추정)") }
        return note
    }

    var none: String { say("none", "없음") }
    var noSwapCounters: String { say("no pswpout/pswpin counters", "pswpout/pswpin 카운터 없음") }

    func peak(_ pagesPerSecond: Double, window: Double) -> String {
        let w = (window < 10 ? ChartFormat.fixed(window, 2) : ChartFormat.fixed(window, 0)) + " s"
        return say(
            "peak " + ChartFormat.rate(pagesPerSecond) + " over " + w,
            "최대 " + ChartFormat.rate(pagesPerSecond) + " (\(w) 구간)")
    }

    var offScale: String { say("off-scale", "범위 밖") }
    var wakes: String { say("kswapd wakes", "kswapd 깨어남") }
    var runs: String { say("runs", "정리 중") }
    var sleeps: String { say("sleeps", "잠듦") }
    var both: String { say("both", "둘 다") }
    var directReclaim: String { "direct reclaim" }
    var faintMarks: String { say("raw marks", "원래 워터마크") }

    /// What the strong lines are, under the legend.
    func linesExplained(_ d: ChartData) -> String? {
        if d.isNode {
            return say(
                "wake/sleep/direct: the levels `watermarks` computes from every zone's line",
                "깨어남/잠듦/direct: 각 zone의 선으로 `watermarks`가 계산한 수위")
        }
        guard d.hasProtection else { return nil }
        return say(
            "+prot: the mark plus lowmem_reserve, the line the kernel tests for this zone",
            "+보호: 워터마크 + lowmem_reserve, 커널이 이 zone에 실제로 비교하는 선")
    }
}
