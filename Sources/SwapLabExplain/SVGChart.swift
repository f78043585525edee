import SwapLabAnalysis
import SwapLabModel

/// The terminal chart's layout as a hand-written SVG for slides: free memory against min/low/high (three
/// dash styles, labelled), a time axis, and kswapd, direct-reclaim and swap lanes. Byte-stable: numbers are
/// formatted without a locale and no date is written.
public enum SVGChart {
    /// The SVG document of `timeline` (nil when there is nothing to draw: no samples, or no such zone).
    public static func render(_ timeline: Timeline, options: ChartOptions) -> String? {
        guard
            var d = ChartData(
                timeline: timeline, subject: options.subject, pageRange: options.pageRange,
                timeRange: options.timeRange,
                overlay: options.overlay)
        else {
            return nil
        }
        if d.reason == nil, options.subject == d.subject { d.reason = options.reason }
        var drawing = SVGDrawing(d, words: ChartWords(options.lang))
        drawing.header(timeline)
        drawing.yAxis()
        drawing.kswapdShading()
        drawing.watermarks()
        // Free memory last, so it is drawn over the watermarks.
        drawing.freeCurve()
        drawing.timeAxis()
        drawing.lanes()
        drawing.s += "</svg>\n"
        return drawing.s
    }

    /// `t` with `&`, `<`, `>` and `"` escaped for XML text and attributes.
    static func escape(_ t: String) -> String {
        var o = ""
        for c in t {
            switch c {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            default: o.append(c)
            }
        }
        return o
    }
}

/// One SVG document being written: the plot's geometry and scales, and the text so far. Parts are drawn in order,
/// each over the ones before.
private struct SVGDrawing {
    let width = 960.0
    /// Taller by one lane when the simulator's kswapd has its own.
    var height: Double { d.overlay == nil ? 600 : 632 }
    let plotLeft = 130.0
    let plotRight = 790.0
    let plotTop = 100.0
    let plotBottom = 366.0
    /// The top of the first lane under the plot, and each lane's height (lanes are 10 apart).
    var laneTop: Double { plotBottom + 56 }
    let laneH = 22.0
    let d: ChartData
    let words: ChartWords
    /// The page range shown, bottom and top.
    let lo: Double
    let hi: Double
    /// When free memory rises well above the window: the top of the compressed strip over it (else `hi`), and the
    /// strip's height in pixels (else 0), so the fall into the band stays in view.
    let top: Double
    let stripHeight: Double
    /// The y where the band's scale starts (the strip's bottom).
    var bandTop: Double { plotTop + stripHeight }
    /// The document so far.
    var s = ""
    /// Where the labels at the right edge already are, so they do not overlap.
    var labelYs: [Double] = []

    init(_ d: ChartData, words: ChartWords) {
        self.d = d
        self.words = words
        lo = d.pageRange.lowerBound
        hi = d.pageRange.upperBound
        let highest = d.points.map(\.free).max() ?? hi
        if highest > hi + (hi - lo) * 0.25 {
            top = highest + (highest - hi) * 0.02
            stripHeight = 56
        } else {
            top = hi
            stripHeight = 0
        }
    }

    /// A coordinate with one decimal, without a locale.
    func f(_ v: Double) -> String { ChartFormat.fixed(v, 1) }
    /// The x of time `t`.
    func x(_ t: Double) -> Double { plotLeft + (t - d.start) / (d.end - d.start) * (plotRight - plotLeft) }
    /// The y of a page count.
    /// (in the compressed strip above `hi`, when there is one).
    func y(_ pages: Double) -> Double {
        if stripHeight > 0, pages > hi { return bandTop - (pages - hi) / (top - hi) * stripHeight }
        return plotBottom - (pages - lo) / (hi - lo) * (plotBottom - bandTop)
    }
    /// `v` kept within 6 of the plot, so lines off the window run along its edge.
    func clampY(_ v: Double) -> Double { Swift.min(plotBottom + 6, Swift.max(plotTop - 6, v)) }
    func esc(_ t: String) -> String { SVGChart.escape(t) }

    /// The root element, title, description, background and the subtitle naming the machine.
    mutating func header(_ timeline: Timeline) {
        let title = words.say(
            "Free memory of \(d.title) against \(d.isNode ? "its wake and sleep points" : "its watermarks")",
            "\(d.title)의 여유 메모리와 \(d.isNode ? "깨어남·잠듦 수위" : "워터마크")")
        let names = words.lineNames(d)
        var desc = words.say(
            "Free memory (MiB) over time against the lines \(names.reversed().joined(separator: ", "))",
            "시간에 따른 여유 메모리(MiB)와 선 \(names.reversed().joined(separator: ", "))")
        if d.hasProtection { desc += words.say(", with the raw marks faint", ", 원래 워터마크는 흐리게") }
        desc +=
            "; kswapd: " + words.kswapdNote(cycles: d.kswapd.count, passes: d.kswapdPasses, inferred: d.kswapdInferred)
        desc +=
            "; direct reclaim: " + words.directNote(stalls: d.direct.count, inferred: d.directInferred)
            + words.say("; source: ", "; 출처: ") + "\(timeline.machine.engine), \(timeline.machine.summary)."
        s +=
            ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \##(f(width)) \##(f(height))" width="\##(f(width))" height="\##(f(height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" role="img" aria-labelledby="t d">"##
        s += "\n<title id=\"t\">\(esc(title))</title>\n<desc id=\"d\">\(esc(desc))</desc>\n"
        s += ##"<rect x="0" y="0" width="\##(f(width))" height="\##(f(height))" fill="#ffffff"/>"## + "\n"
        s +=
            ##"<text x="\##(f(plotLeft))" y="30.0" font-size="22" font-weight="bold" fill="#222222">\##(esc(title))</text>"##
            + "\n"
        var sub =
            "\(timeline.machine.engine) · \(timeline.machine.summary) · "
            + (d.overlay == nil ? "t = 0 at \(ChartFormat.fixed(d.start, 3)) s" : words.hogStartsAt)
        if let i = d.sampleInterval { sub += " · samples every \(ChartFormat.fixed(i * 1000, 0)) ms" }
        if sub.count > 118 { sub = String(sub.prefix(117)) + "…" }
        s += ##"<text x="\##(f(plotLeft))" y="56.0" font-size="13" fill="#555555">\##(esc(sub))</text>"## + "\n"
        if let why = words.reason(d) {
            s += ##"<text x="\##(f(plotLeft))" y="74.0" font-size="13" fill="#333333">\##(esc(why))</text>"## + "\n"
        }
    }

    /// The y grid with its MiB labels and the axis title.
    mutating func yAxis() {
        let spanMiB = (hi - lo) * 4096 / 1_048_576
        let step = ChartFormat.niceStep(atLeast: spanMiB / 5)
        let firstTick = (lo * 4096 / 1_048_576 / step).rounded(.up) * step
        s += "<g font-size=\"14\" fill=\"#555555\" text-anchor=\"end\">\n"
        for tick in ChartFormat.ticks(from: firstTick, step: step, while: { $0 * 1_048_576 / 4096 <= hi }) {
            let yy = y(tick * 1_048_576 / 4096)
            s +=
                ##"<line x1="\##(f(plotLeft))" y1="\##(f(yy))" x2="\##(f(plotRight))" y2="\##(f(yy))" stroke="#e6e6e6" stroke-width="1"/>"##
            s +=
                ##"<text x="\##(f(plotLeft - 8))" y="\##(f(yy + 5))">\##(step >= 1 ? ChartFormat.fixed(tick, 0) : ChartFormat.fixed(tick, 1))</text>"##
                + "\n"
        }
        if stripHeight > 0 {
            // The break: a dashed line across the plot and a zigzag on the axis; the strip's top value above it.
            s +=
                ##"<line x1="\##(f(plotLeft))" y1="\##(f(bandTop))" x2="\##(f(plotRight))" y2="\##(f(bandTop))" stroke="#bbbbbb" stroke-dasharray="4 3"/>"##
            s +=
                ##"<path d="M\##(f(plotLeft - 7)),\##(f(bandTop + 3)) l4,-6 l4,6 l4,-6" fill="none" stroke="#777777"/>"##
            s +=
                ##"<text x="\##(f(plotLeft - 8))" y="\##(f(plotTop + 5))">\##(ChartFormat.fixed(top * 4096 / 1_048_576, 0))</text>"##
                + "\n"
        }
        s += "</g>\n"
        s +=
            ##"<text x="60.0" y="\##(f((plotTop + plotBottom) / 2))" font-size="14" fill="#555555" transform="rotate(-90 60.0 \##(f((plotTop + plotBottom) / 2)))" text-anchor="middle">\##(esc(words.say("free memory, MiB", "여유 메모리, MiB")))</text>"##
            + "\n"
    }

    /// kswapd's running spans shaded behind the curve, as in the course figure, and the plot's clip path.
    mutating func kswapdShading() {
        s += "<g fill=\"#f9a825\" fill-opacity=\"0.16\">\n"
        for k in d.kswapd {
            let a = x(k.start)
            let b = x(k.end ?? d.end)
            s +=
                ##"<rect x="\##(f(a))" y="\##(f(plotTop))" width="\##(f(Swift.max(1.5, b - a)))" height="\##(f(plotBottom - plotTop))"/>"##
                + "\n"
        }
        s += "</g>\n"
        s +=
            ##"<clipPath id="plot"><rect x="\##(f(plotLeft))" y="\##(f(plotTop - 6))" width="\##(f(plotRight - plotLeft))" height="\##(f(plotBottom - plotTop + 12))"/></clipPath>"##
            + "\n"
    }

    /// The lines: with protection, the raw marks first (thin, grey, dotted) and the lines the kernel tests (mark +
    /// protection) over them; step lines (they move with boost), three dash styles, labels at the right edge.
    mutating func watermarks() {
        let names = words.lineNames(d)
        let rawMarks = d.hasProtection ? [\ChartPoint.high, \.low, \.min] : []
        let faint = " stroke-dasharray=\"1 4\" stroke-linecap=\"round\" stroke-opacity=\"0.8\""
        for key in rawMarks {
            line(key, name: nil, colour: "#9e9e9e", dash: faint, width: "1.5", fontSize: 12)
        }
        let marks: [(KeyPath<ChartPoint, Double>, String, String, String)] = [
            (\.highLine, "#2e7d32", "", "2.5"),
            (\.lowLine, "#ef6c00", " stroke-dasharray=\"12 6\"", "2.5"),
            (\.minLine, "#c62828", " stroke-dasharray=\"3 5\" stroke-linecap=\"round\"", "3"),
        ]
        for (i, (key, colour, dash, widthText)) in marks.enumerated() {
            line(key, name: names[i], colour: colour, dash: dash, width: widthText, fontSize: 15)
        }
        // The raw marks' labels after the strong lines' own, so these sit nearest their lines.
        for (i, key) in rawMarks.enumerated() { label(key, name: words.rawNames[i], colour: "#9e9e9e", fontSize: 12) }
    }

    /// One line over the points (a step line) and, with a name, its label at the right edge.
    mutating func line(
        _ key: KeyPath<ChartPoint, Double>, name: String?, colour: String, dash: String, width widthText: String,
        fontSize: Int
    ) {
        var pts: [String] = []
        var last: Double?
        for p in d.points {
            let v = clampY(y(p[keyPath: key]))
            if let l = last, l != v { pts.append("\(f(x(p.time))),\(f(l))") }
            if last != v { pts.append("\(f(x(p.time))),\(f(v))") }
            last = v
        }
        if let l = last { pts.append("\(f(plotRight)),\(f(l))") }
        if let first = d.points.first, x(first.time) > plotLeft, let v0 = pts.first?.split(separator: ",").last {
            pts.insert("\(f(plotLeft)),\(v0)", at: 0)
        }
        s +=
            ##"<polyline clip-path="url(#plot)" fill="none" stroke="\##(colour)" stroke-width="\##(widthText)"\##(dash) points="\##(pts.joined(separator: " "))"/>"##
            + "\n"
        if let name { label(key, name: name, colour: colour, fontSize: fontSize) }
    }

    /// A line's name and last value at the right edge, stepped away from the labels already there: downwards for
    /// a strong line, to the nearest free place either way for a faint one (whose label is smaller).
    mutating func label(_ key: KeyPath<ChartPoint, Double>, name: String, colour: String, fontSize: Int) {
        guard let lp = d.points.last else { return }
        let at = clampY(y(lp[keyPath: key])) + 5
        var ly = at
        if fontSize >= 15 {
            while labelYs.contains(where: { abs($0 - ly) < 16 }) { ly += 16 }
        } else {
            let taken = labelYs
            func free(_ c: Double) -> Bool { !taken.contains { abs($0 - c) < 14 } }
            if !free(at) {
                ly = (1...20).flatMap { [at - Double($0) * 2, at + Double($0) * 2] }.first(where: free) ?? at
            }
        }
        labelYs.append(ly)
        let weight = fontSize >= 15 ? " font-weight=\"bold\"" : ""
        s +=
            ##"<text x="\##(f(plotRight + 8))" y="\##(f(ly))" font-size="\##(fontSize)"\##(weight) fill="\##(colour)">\##(esc(name)) \##(ChartFormat.mebibytes(lp[keyPath: key])) MiB</text>"##
            + "\n"
    }

    /// Free memory, at most two points per pixel column, its label and a note when it rose above the window; with
    /// the simulator's line beside it (dashed, in its own colour) when there is one.
    mutating func freeCurve() {
        if let o = d.overlay {
            s +=
                ##"<polyline clip-path="url(#plot)" fill="none" stroke="#ad1457" stroke-width="2.5" stroke-dasharray="7 4" stroke-linejoin="round" points="\##(polyline(o.points))"/>"##
                + "\n"
        }
        s +=
            ##"<polyline clip-path="url(#plot)" fill="none" stroke="#1565c0" stroke-width="3" stroke-linejoin="round" points="\##(polyline(d.points))"/>"##
            + "\n"
        let name = d.overlay == nil ? words.free : words.real
        if let last = d.points.last { curveLabel(name, last.free, colour: "#1565c0") }
        if let last = d.overlay?.points.last { curveLabel(words.simulator, last.free, colour: "#ad1457") }
        if d.overlay != nil { overlayLegend() }
        let highest = d.points.map(\.free).max() ?? 0
        if stripHeight > 0 {
            s +=
                ##"<text x="\##(f(plotRight - 4))" y="\##(f(plotTop - 8))" font-size="13" fill="#6a1b9a" text-anchor="end">≈ \##(esc(words.compressed(ChartFormat.size(hi), ChartFormat.size(top))))</text>"##
                + "\n"
        } else if highest > hi {
            s +=
                ##"<text x="\##(f(plotRight - 4))" y="\##(f(plotTop - 8))" font-size="13" fill="#6a1b9a" text-anchor="end">↑ \##(esc(words.above(ChartFormat.size(highest))))</text>"##
                + "\n"
        }
    }

    /// A free line's name and last value at the right edge, clear of the labels already there.
    mutating func curveLabel(_ name: String, _ free: Double, colour: String) {
        var ly = clampY(y(free)) + 5
        while labelYs.contains(where: { abs($0 - ly) < 16 }) { ly -= 16 }
        labelYs.append(ly)
        s +=
            ##"<text x="\##(f(plotRight + 8))" y="\##(f(ly))" font-size="15" font-weight="bold" fill="\##(colour)">\##(esc(name)) \##(ChartFormat.mebibytes(free)) MiB</text>"##
            + "\n"
    }

    /// The two lines' legend over the plot's left edge (a note on the compressed range takes the right): this
    /// machine's solid, the simulator's dashed.
    mutating func overlayLegend() {
        let x0 = plotLeft
        s +=
            ##"<g font-size="13" fill="#333333"><line x1="\##(f(x0))" y1="88.0" x2="\##(f(x0 + 24))" y2="88.0" stroke="#1565c0" stroke-width="3"/><text x="\##(f(x0 + 30))" y="92.0">\##(esc(words.real))</text>"##
            + ##"<line x1="\##(f(x0 + 100))" y1="88.0" x2="\##(f(x0 + 124))" y2="88.0" stroke="#ad1457" stroke-width="2.5" stroke-dasharray="7 4"/><text x="\##(f(x0 + 130))" y="92.0">\##(esc(words.simulator))</text></g>"##
            + "\n"
    }

    /// The points of a free line, at most two per pixel column (its lowest and highest), as SVG coordinates.
    func polyline(_ points: [ChartPoint]) -> String {
        var pts: [String] = []
        let pixels = Int(plotRight - plotLeft)
        var bucket = -1
        var bucketMin: ChartPoint?
        var bucketMax: ChartPoint?
        func flush() {
            guard let a = bucketMin, let b = bucketMax else { return }
            let ordered = a.time <= b.time ? [a, b] : [b, a]
            for p in (a == b ? [a] : ordered) { pts.append("\(f(x(p.time))),\(f(clampY(y(p.free))))") }
        }
        for p in points {
            let raw = (x(p.time) - plotLeft) / (plotRight - plotLeft) * Double(pixels)
            let b = raw.isFinite ? Int(Swift.max(-1, Swift.min(Double(pixels + 1), raw))) : (raw > 0 ? pixels + 1 : -1)
            if b != bucket {
                flush()
                bucket = b
                bucketMin = p
                bucketMax = p
            } else {
                if p.free < bucketMin!.free { bucketMin = p }
                if p.free > bucketMax!.free { bucketMax = p }
            }
        }
        flush()
        return pts.joined(separator: " ")
    }

    /// The frame and the time axis.
    mutating func timeAxis() {
        s +=
            ##"<rect x="\##(f(plotLeft))" y="\##(f(plotTop))" width="\##(f(plotRight - plotLeft))" height="\##(f(plotBottom - plotTop))" fill="none" stroke="#888888" stroke-width="1"/>"##
            + "\n"
        let duration = d.end - d.start
        let tstep = ChartFormat.niceStep(atLeast: duration / 10)
        s += "<g font-size=\"14\" fill=\"#555555\" text-anchor=\"middle\">\n"
        for t in ChartFormat.ticks(from: 0, step: tstep, while: { $0 <= duration + 1e-9 }) {
            let xx = x(d.start + t)
            s +=
                ##"<line x1="\##(f(xx))" y1="\##(f(plotBottom))" x2="\##(f(xx))" y2="\##(f(plotBottom + 6))" stroke="#888888"/>"##
            s +=
                ##"<text x="\##(f(xx))" y="\##(f(plotBottom + 22))">\##(ChartFormat.seconds(t, step: tstep))</text>"##
                + "\n"
        }
        s += "</g>\n"
        s +=
            ##"<text x="\##(f(plotRight))" y="\##(f(plotBottom + 40))" font-size="14" fill="#555555" text-anchor="end">\##(esc(words.say("time, s", "시간, s")))</text>"##
            + "\n"
    }

    /// The lanes under the plot: kswapd, direct reclaim, swap-out, swap-in, then the marks.
    mutating func lanes() {
        kswapdLane(0)
        let next = d.overlay == nil ? 1 : 2
        if let o = d.overlay {
            let note = words.kswapdNote(cycles: o.kswapd.count, passes: o.kswapdPasses, inferred: false)
            laneLabel(1, "kswapd (" + words.simulator + ")", note)
            kswapdBars(o.kswapd, lane: 1, fill: "#f48fb1")
        }
        directLane(next)
        swapLanes(first: next + 1)
        markLane(next + 3)
    }

    /// The label at the left of lane `i` and its note at the right.
    mutating func laneLabel(_ i: Int, _ text: String, _ note: String) {
        let ly = laneTop + Double(i) * (laneH + 10) + 16
        s +=
            ##"<text x="\##(f(plotLeft - 8))" y="\##(f(ly))" font-size="15" fill="#333333" text-anchor="end">\##(esc(text))</text>"##
        s +=
            ##"<text x="\##(f(plotRight + 8))" y="\##(f(ly))" font-size="14" fill="#555555">\##(esc(note))</text>"##
            + "\n"
    }

    /// The top of lane `i`.
    func laneY(_ i: Int) -> Double { laneTop + Double(i) * (laneH + 10) }

    /// kswapd's cycles: a bar each, ▲ where its wake was seen and ▼ where it slept.
    mutating func kswapdLane(_ lane: Int) {
        let kNote = words.kswapdNote(cycles: d.kswapd.count, passes: d.kswapdPasses, inferred: d.kswapdInferred)
        laneLabel(lane, d.overlay == nil ? "kswapd" : "kswapd (" + words.real + ")", kNote)
        kswapdBars(d.kswapd, lane: lane, fill: "#f9a825")
    }

    /// A bar per kswapd cycle in lane `lane`, ▲ where its wake was seen and ▼ where it slept.
    mutating func kswapdBars(_ spans: [ChartSpan], lane: Int, fill: String) {
        for k in spans {
            let a = x(k.start)
            let b = x(k.end ?? d.end)
            s +=
                ##"<rect x="\##(f(a))" y="\##(f(laneY(lane) + 4))" width="\##(f(Swift.max(2, b - a)))" height="\##(f(laneH - 8))" fill="\##(fill)"/>"##
            if k.startSeen {
                s +=
                    ##"<text x="\##(f(a))" y="\##(f(laneY(lane) + 17))" font-size="16" fill="#e65100" text-anchor="middle">▲</text>"##
            }
            if k.end != nil {
                s +=
                    ##"<text x="\##(f(b))" y="\##(f(laneY(lane) + 17))" font-size="16" fill="#4e342e" text-anchor="middle">▼</text>"##
            }
            s += "\n"
        }
    }

    /// Direct reclaim's stalls, a bar each.
    mutating func directLane(_ lane: Int) {
        laneLabel(
            lane, "direct reclaim", words.directNote(stalls: d.direct.count, inferred: d.directInferred))
        for r in d.direct {
            let a = x(r.start)
            let b = x(r.end ?? d.end)
            s +=
                ##"<rect x="\##(f(a))" y="\##(f(laneY(lane) + 4))" width="\##(f(Swift.max(2, b - a)))" height="\##(f(laneH - 8))" fill="#c62828" fill-opacity="0.7"/>"##
                + "\n"
        }
    }

    /// Swap-out and swap-in rates over fixed windows (250 ms, or a 200th of the span when that is longer), never
    /// between two samples µs apart; each bar is one window. Two lanes from `first`.
    mutating func swapLanes(first: Int) {
        var lane = first - 1
        let window = Swift.max((d.end - d.start) / 200, ChartData.minimumRateWindow)
        let windows = d.swapWindows(window: window)
        let peaks = d.peakSwapRates(window: window)
        for (name, isOut, colour, peak) in [
            ("swap-out", true, "#1565c0", peaks.out), ("swap-in", false, "#00838f", peaks.in),
        ] {
            lane += 1
            laneLabel(lane, name, peak > 0 ? words.peak(peak, window: window) : words.none)
            var bars = ""
            for sw in windows where sw.end > sw.start {
                let v = Double(isOut ? sw.outPages : sw.inPages) / window
                guard v > 0, peak > 0 else { continue }
                let hgt = Swift.max(1.5, v / peak * (laneH - 2))
                let a = x(sw.start)
                let b = x(sw.end)
                bars +=
                    ##"<rect x="\##(f(a))" y="\##(f(laneY(lane) + laneH - hgt))" width="\##(f(Swift.max(2, b - a)))" height="\##(f(hgt))"/>"##
            }
            s += "<g fill=\"\(colour)\">" + bars + "</g>\n"
        }
    }

    /// The marks, as light ticks with their labels where there is room.
    mutating func markLane(_ lane: Int) {
        if !d.markers.isEmpty {
            laneLabel(lane, words.marks, "")
            var nextFree = -Double.infinity
            for m in d.markers where m.time >= d.start && m.time <= d.end {
                let xx = x(m.time)
                s +=
                    ##"<line x1="\##(f(xx))" y1="\##(f(laneY(lane) + 2))" x2="\##(f(xx))" y2="\##(f(laneY(lane) + 8))" stroke="#777777"/>"##
                if xx + 3 >= nextFree {
                    s +=
                        ##"<text x="\##(f(xx + 3))" y="\##(f(laneY(lane) + 19))" font-size="13" fill="#555555">\##(esc(m.label))</text>"##
                    nextFree = xx + 3 + Double(m.label.count) * 8 + 8
                }
                s += "\n"
            }
        }
    }
}
