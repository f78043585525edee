import ArgumentParser
import Foundation
import SwapLabAnalysis
import SwapLabExplain
import SwapLabKernel
import SwapLabModel

/// `watch`: the chart, each zone against its watermarks, counter deltas, PSI and the latest transitions,
/// redrawn every interval until Ctrl-C. A replayed recording plays back at its own pace.
struct WatchCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch free memory, watermarks, reclaim counters and kswapd live, redrawn in place until Ctrl-C.",
        discussion: """
            On a terminal the frame is redrawn in place; otherwise one frame is printed per interval without \
            escapes (--count frames, default 1). On the simulator time runs while watching. A replayed \
            recording plays back from its start (--speed).
            """)

    @Option(help: "Time between frames (e.g. 100ms, 1s).")
    var interval: String = "100ms"

    @Option(help: "Stop after this many frames.")
    var count: Int?

    @Option(help: "A zone (DMA, DMA32, Normal, …) or 'node'; default: the zone nearest its watermarks.")
    var zone: String?

    @Option(help: "Glyphs: block, braille or ascii.")
    var glyphs: String = "block"

    @Option(help: "Rows of the plot.")
    var height: Int = 12

    @Option(help: "Seconds of history to show (live and simulator).")
    var window: String = "60s"

    @Option(help: "Playback speed of a replayed recording.")
    var speed: Double = 1

    @Flag(help: "Print frames one after another, without redrawing in place.")
    var plain = false

    func run(in session: Session) throws {
        let step = try Quantity.seconds(interval)
        let windowSeconds = try Quantity.seconds(window)
        guard step >= 0.01, step <= 3600 else { throw ShellError.usage("--interval must be between 10ms and 1h") }
        guard speed > 0, speed <= 1000 else { throw ShellError.usage("--speed must be above 0 and at most 1000") }
        if let count, count < 1 { throw ShellError.usage("--count must be at least 1") }
        let inPlace = !plain && !session.output.isCapturing && Syscall.isTerminal(Syscall.standardOutput)
        let frames = count ?? (inPlace ? Int.max : 1)
        var renderer = WatchFrame(
            zone: zone, glyphs: glyphs, height: height, window: windowSeconds, step: step, speed: speed)
        // The engine gets ready for frames (this machine samples every 100 ms while watching) and lets its time
        // pass between them (the simulator runs its clock); a recording plays back on its own.
        let engine = session.activeEngine()
        if session.replay == nil { engine.beginWatching() }
        defer { engine.endWatching() }
        var first = true
        for frame in 0..<frames {
            if session.interrupted { break }
            if frame > 0 { engine.watchInterval(step) }
            let body = try renderer.render(session: session, frame: frame)
            if inPlace {
                // Home, then each line cleared to its end, then the rest of the screen: no flicker, one write.
                // The cursor sequences are swaplab's own; the frame's text is made safe by the output.
                var parts: [(text: String, control: Bool)] = [((first ? "\u{1B}[2J" : "") + "\u{1B}[H", true)]
                for (i, line) in body.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    parts.append(((i > 0 ? "\n" : "") + line, false))
                    parts.append(("\u{1B}[K", true))
                }
                parts.append(("\u{1B}[J", true))
                session.output.emitFrame(parts)
            } else {
                session.output.emit(body)
                if frame + 1 < frames { session.output.line() }
            }
            first = false
            if frame + 1 < frames { WatchCommand.pause(step, session: session) }
        }
        if inPlace { session.output.line() }
    }

    /// Sleeps `seconds` on the monotonic clock in naps of at most 100 ms, returning early on Ctrl-C.
    static func pause(_ seconds: Double, session: Session) {
        let end = Syscall.monotonicSeconds() + seconds
        while !session.interrupted {
            let left = end - Syscall.monotonicSeconds()
            if left <= 0 { return }
            Syscall.nap(seconds: Swift.min(left, 0.1))
        }
    }
}

/// One frame of `watch`, with the y-range kept for the whole run.
///
/// The chart's subject (the zone asked for, or the one nearest its watermarks when the first frame is drawn) stays
/// the same from frame to frame, and the y-range only widens: each frame adds the samples that arrived since the
/// last one to `extent`, instead of going over the whole run again ten times a second.
struct WatchFrame {
    var zone: String?
    var glyphs: String
    var height: Int
    var window: Double
    var step: Double
    var speed: Double
    /// The chart options once a subject is known (from the first frame that has one).
    private var chart: ChartOptions?
    /// The samples read so far, each once (`ChartFeed`).
    private var feed = ChartFeed()
    var crossings: [ChartTransitions.Item] { feed.crossings }

    init(zone: String?, glyphs: String, height: Int, window: Double, step: Double, speed: Double) {
        (self.zone, self.glyphs, self.height, self.window, self.step, self.speed) =
            (zone, glyphs, height, window, step, speed)
    }

    /// The chart options for `full`: the subject fixed at the first frame that has one, the y-range widened by the
    /// samples that arrived since the last frame.
    mutating func chartOptions(for full: Timeline, output: Output, lang: NarrativeLanguage = .en) throws -> ChartOptions
    {
        guard var options = chart else {
            let (_, options) = try ChartCommand.prepare(
                full, since: nil, zone: zone, allZones: false, glyphs: glyphs, width: Swift.max(40, output.width),
                height: height, color: output.color, lang: lang)
            if case .auto = options.subject { return options }
            chart = options
            feed.take(full.samples, subject: options.subject)
            return options
        }
        feed.take(full.samples, subject: options.subject)
        options.pageRange = feed.extent.range
        options.width = Swift.max(40, output.width)  // the terminal may have been resized
        chart = options
        return options
    }

    /// The chart data of the window `shown` from what was read already, or nil when that does not line up with
    /// it (a replay, or samples the timeline dropped), so the caller builds it from the window instead.
    mutating func windowChart(_ shown: Timeline, options: ChartOptions) -> ChartData? {
        guard chart != nil else { return nil }
        return feed.window(shown, options: options)
    }

    /// The frame's text. A replay shows its first `frame × step × speed` seconds over the recording's whole axis.
    mutating func render(session: Session, frame: Int) throws -> String {
        let engine = session.activeEngine()
        let full = try session.currentTimeline()
        let w = session.words
        let (shown, timeRange, clock) = visiblePart(
            of: full, frame: frame, replay: session.replay != nil, engine: engine, w)
        var options = try chartOptions(for: full, output: session.output, lang: session.chartLanguage)
        options.timeRange = timeRange
        // The chart data is built once and read twice: for the chart and for the latest transitions below; on the
        // engine's own timeline from what earlier frames read already.
        let cached = session.replay == nil ? windowChart(shown, options: options) : nil
        let panel =
            cached
            ?? ChartData(
                timeline: shown, subject: options.subject, pageRange: options.pageRange, timeRange: options.timeRange)
        var text =
            panel.map { TerminalChart.render(panels: [$0], timeline: shown, options: options) }
            ?? TerminalChart.render(shown, options: options)
        let every = w(
            "every \(Int((step * 1000).rounded())) ms · Ctrl-C to stop",
            "\(Int((step * 1000).rounded())) ms마다 · 멈추려면 Ctrl-C")
        guard let last = shown.samples.last else { return text + "\(clock) · \(every)\n" }
        text += try meters(session: session, last: last, full: full)
        text += Self.zoneTable(last, w)
        text += counterDeltas(shown, last: last, width: session.output.width, w)
        text += " " + (session.replay == nil ? psi(engine.memoryPressure(), w) : psi(nil, w)) + "\n"
        let recent = ChartTransitions.recent(
            in: shown, limit: 3, chart: panel, crossings: cached == nil ? nil : crossings)
        text += Self.latest(recent, from: (timeRange ?? shown.span)?.lowerBound ?? 0, w)
        text += " \(clock) · \(every)\n"
        return text
    }

    /// htop's Mem and Swp meters: from the engine's status, or for a replayed recording from its last sample
    /// (its zones and page cache: the swap used is not recorded, so there is no swap bar).
    private func meters(session: Session, last: Sample, full: Timeline) throws -> String {
        let meters: WatchMeters
        if session.replay == nil {
            meters = WatchMeters(try session.activeEngine().status())
        } else {
            meters = WatchMeters(
                total: last.zones.reduce(.zero) { $0 + $1.managed }, free: last.zones.reduce(.zero) { $0 + $1.free },
                cache: last.counters["nr_file_pages"].map { Pages($0) }, swap: nil)
        }
        return meters.render(width: session.output.width, glyphs: glyphs, session.words)
    }

    /// The part of `full` the frame shows, the time axis it is drawn on (a replay's whole span) and the clock
    /// line: a replay up to `frame × step × speed` seconds, otherwise the last `window` seconds.
    private func visiblePart(
        of full: Timeline, frame: Int, replay: Bool, engine: any Engine, _ w: Words
    )
        -> (shown: Timeline, timeRange: ClosedRange<Double>?, clock: String)
    {
        if replay, let span = full.span {
            let now = Swift.min(span.upperBound, span.lowerBound + Double(frame) * step * speed)
            let shown = Timeline(
                machine: full.machine, samples: full.samples.filter { $0.time <= now },
                events: full.events.filter { $0.time <= now }, markers: full.markers.filter { $0.time <= now })
            let (at, length) = (
                String(format: "%.1f", now - span.lowerBound), String(format: "%.1f", span.upperBound - span.lowerBound)
            )
            var clock = w("replay \(at) / \(length) s", "재생 \(at) / \(length)초")
            if now >= span.upperBound { clock += w(" (end)", " (끝)") }
            return (shown, span, clock)
        } else if let span = full.span, span.upperBound - span.lowerBound > window {
            return (
                full.since(span.upperBound - window), nil,
                "\(engine.kind.rawValue) · "
                    + w("last \(String(format: "%.0f", window)) s", "최근 \(String(format: "%.0f", window))초")
            )
        }
        return (full, nil, engine.kind.rawValue)
    }

    /// Each zone of the latest sample against the lines the kernel tests for a user allocation (mark +
    /// `lowmem_reserve`, as the chart draws them), with what that level means: `free <= min + protection` fails
    /// the slow path's check (`__zone_watermark_ok()` in mm/page_alloc.c), `<= low + protection` the fast path's,
    /// `> high + protection` balances the node (`pgdat_balanced()` in mm/vmscan.c).
    static func zoneTable(_ last: Sample, _ w: Words = .en) -> String {
        func mib(_ p: Pages) -> String {
            let v = p.mebibytes
            return DisplayWidth.pad(
                (v >= 10 ? String(Int(v.rounded())) : String(format: "%.1f", v)) + " MiB", to: 10, right: true)
        }
        var text = " zone          free  min+prot  low+prot high+prot  state\n"
        for node in Set(last.zones.map(\.node)).sorted() {
            for z in KswapdDecision.thresholds(last, node: node).zones {
                let min = (last.zone(z.zone, node: node)?.min ?? .zero) + z.protection
                let state: String
                if z.free <= min {
                    state = w("≤ min: direct reclaim", "≤ min: direct reclaim 구간")
                } else if !z.passesLow {
                    state = w("≤ low: kswapd may wake", "≤ low: kswapd가 깨어날 수 있음")
                } else if !z.isBalanced {
                    state = w("between low and high", "low와 high 사이")
                } else {
                    state = w("> high: balanced", "> high: 균형 잡힘")
                }
                text +=
                    " " + DisplayWidth.pad(z.zone.rawValue, to: 7) + mib(z.free) + mib(min) + mib(z.wakeThreshold)
                    + mib(z.balancedThreshold) + "  " + state + "\n"
            }
        }
        return text
    }

    /// The /proc/vmstat counter deltas over the last interval (at least one sample apart).
    private func counterDeltas(_ shown: Timeline, last: Sample, width: Int, _ w: Words) -> String {
        let since = last.time - Swift.max(step * speed, 1e-9)
        let base =
            shown.samples.last { $0.time <= since }
            ?? (shown.samples.count > 1 ? shown.samples[shown.samples.count - 2] : last)
        let dt = last.time - base.time
        func delta(_ name: String) -> Int64? {
            guard let a = base.counters[name], let b = last.counters[name] else { return nil }
            return b - a
        }
        let stalls = last.counters.keys.filter { $0.hasPrefix("allocstall_") }.compactMap(delta).reduce(0, +)
        var parts: [String] = []
        for n in [
            "pgscan_kswapd", "pgsteal_kswapd", "pgscan_direct", "pgsteal_direct", "pswpout", "pswpin", "pgmajfault",
        ] {
            if let d = delta(n) { parts.append("\(n) +\(d)") }
        }
        parts.append("allocstall +\(stalls)")
        let ms = String(format: "%.0f", dt * 1000)
        let text = " " + w("per \(ms) ms: ", "\(ms) ms 동안: ") + parts.joined(separator: "  ")
        return DisplayWidth.wrap(text, width: width, indent: "   ").joined(separator: "\n") + "\n"
    }

    /// The latest watermark crossings, timed from `t0`.
    private static func latest(_ recent: [ChartTransitions.Item], from t0: Double, _ w: Words) -> String {
        guard !recent.isEmpty else {
            return w(" latest: nothing has crossed a watermark yet\n", " 최근: 아직 워터마크를 넘은 것이 없음\n")
        }
        let head = w(" latest: ", " 최근: ")
        var text = ""
        for (i, item) in recent.enumerated() {
            let t = String(format: "%.2f", item.time - t0)
            text +=
                (i == 0 ? head : String(repeating: " ", count: DisplayWidth.of(head))) + "t=" + w("\(t) s  ", "\(t)초  ")
                + item.text(w.language == .ko ? .ko : .en) + "\n"
        }
        return text
    }

    /// The PSI line: memory pressure as the engine has it, nil for a replayed recording.
    func psi(_ pressure: MemoryPressure?, _ w: Words = .en) -> String {
        switch pressure {
        case nil: return w("PSI memory: not known for a replayed timeline", "PSI memory: 재생한 timeline에서는 알 수 없음")
        case .notModelled:
            return w("PSI memory: not known for a simulated timeline", "PSI memory: 시뮬레이션에서는 알 수 없음")
        case .unavailable(let path):
            return w(
                "PSI memory: not available (no \(path); the kernel needs CONFIG_PSI=y and psi=1)",
                "PSI memory: 읽을 수 없음 (\(path) 없음. 커널에 CONFIG_PSI=y와 psi=1이 필요합니다)")
        case .averages(let some, let full):
            // psi_show() prints averages with two decimals; print them as the file has them.
            let lines = [("some", some)] + (full.map { [("full", $0)] } ?? [])
            return "PSI memory (avg10): "
                + lines.map { "\($0.0) \(String(format: "%.2f", $0.1))%" }.joined(separator: ", ")
        }
    }
}
