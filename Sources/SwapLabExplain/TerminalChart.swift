import SwapLabAnalysis
import SwapLabModel

/// The course figure in a terminal: free memory against min/low/high over time, with kswapd, direct reclaim
/// and swap lanes under it. Pure text; colour only when asked for.
public enum TerminalChart {
    /// Cells of the y labels left of the plot (`  2159 ┤`).
    static let gutter = 7
    /// The text shown when there is nothing to draw.
    public static let nothingYet =
        "nothing to draw yet: the timeline has no samples. Run something first (e.g. alloc 1G; run 2s), "
        + "or load a recording with: replay FILE"

    /// The chart of `timeline` as lines of text (each ends with a newline).
    public static func render(_ timeline: Timeline, options: ChartOptions) -> String {
        guard !timeline.samples.isEmpty else { return nothingYet + "\n" }
        if case .zone(let z, let n) = options.subject,
            !ChartData.zones(in: timeline).contains(where: { $0.zone == z && $0.node == n })
        {
            let names = ChartData.zones(in: timeline).map { $0.zone.rawValue }.joined(separator: ", ")
            return "nothing to draw: zone \(z.rawValue) of node \(n) is not in this timeline; zones: \(names)\n"
        }
        let subjects: [ChartOptions.Subject] =
            options.allZones
            ? ChartData.zones(in: timeline).map { .zone($0.zone, node: $0.node) }
            : [options.subject]
        let panels = subjects.compactMap {
            ChartData(
                timeline: timeline, subject: $0, pageRange: options.pageRange, timeRange: options.timeRange,
                overlay: options.overlay)
        }
        return render(panels: panels, timeline: timeline, options: options)
    }

    /// The chart of panels already built from `timeline` (one per subject), for a caller that reads the same
    /// chart data for more (`watch`'s latest transitions).
    public static func render(panels: [ChartData], timeline: Timeline, options: ChartOptions) -> String {
        guard var first = panels.first else { return nothingYet + "\n" }
        if first.reason == nil, panels.count == 1, options.subject == first.subject {
            first.reason = options.reason
        }
        var o = options
        o.width = Swift.max(options.width, 40)
        let panelHeight = panels.count > 1 ? Swift.max(4, options.height / panels.count) : Swift.max(3, options.height)
        // 7-bit output has no Hangul: ASCII glyphs speak English.
        let ascii = options.glyphs == .ascii
        var out = Canvas(color: options.color, ascii: ascii, words: ChartWords(ascii ? .en : options.lang))
        out.right = Swift.min(20, Swift.max(10, panels.map(out.rightWidth).max() ?? 10))
        out.header(first, timeline: timeline, options: o)
        for (i, p) in panels.enumerated() {
            if panels.count > 1 { out.text(" " + p.title, .bold) }
            out.plot(i == 0 ? first : p, options: o, height: panelHeight)
        }
        out.timeAxis(first, options: o)
        out.lanes(first, options: o)
        out.legend(first, options: o)
        return out.text
    }
}

/// ANSI colours of the chart (SGR codes).
enum ChartColor: String {
    case free = "1;36", high = "32", low = "33", min = "31", offScale = "35", kswapd = "1;33", direct = "1;31"
    case swapOut = "34", swapIn = "36", bold = "1", dim = "2"
    /// The simulator's line and kswapd lane beside this machine's (`lab run --compare`).
    case sim = "1;35"
    /// The raw marks under protected lines: dim.
    case faint = "2;37"
}

/// Glyphs of one glyph set.
struct ChartGlyphs {
    var high: Character
    var low: String  // a repeating pattern
    var min: String
    /// The raw marks drawn faint under the lines the kernel tests.
    var faint: Character
    var up: Character
    var down: Character
    var wake: Character
    var running: Character
    var sleep: Character
    var wakeAndSleep: Character
    var direct: Character
    var spark: [Character]  // 8 levels, lowest first
    var axisH: Character
    var axisTick: Character
    var axisCorner: Character
    var axisV: Character
    var axisLabelTick: Character
    /// The y axis where its scale breaks (the compressed rows above, the band below).
    var axisBreak: Character
    var dot: String
    /// The simulator's free line beside this machine's.
    var sim: Character

    init(_ g: ChartOptions.Glyphs) {
        sim = g == .ascii ? "o" : "•"
        if g == .ascii {
            high = "-"; low = "- "; min = "."; faint = ":"; up = "^"; down = "v"
            wake = "^"; running = "="; sleep = "v"; wakeAndSleep = "x"; direct = "#"
            spark = [".", ":", "-", "=", "+", "*", "#", "@"]
            axisH = "-"; axisTick = "+"; axisCorner = "+"; axisV = "|"; axisLabelTick = "+"; axisBreak = "~"; dot = "-"
        } else {
            high = "─"; low = "╌"; min = "┄"; faint = "·"; up = "↑"; down = "↓"
            wake = "▲"; running = "═"; sleep = "▼"; wakeAndSleep = "◆"; direct = "░"
            spark = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
            axisH = "─"; axisTick = "┬"; axisCorner = "└"; axisV = "│"; axisLabelTick = "┤"; axisBreak = "≈"; dot = "·"
        }
    }
}

/// A growing block of chart lines, with colour applied per run of cells.
struct Canvas {
    var color: Bool
    /// Only 7-bit characters: any other character of a label (a machine summary, a marker) becomes `?`.
    var ascii: Bool
    let words: ChartWords
    /// Cells right of the plot for the line labels and lane notes; a note that does not fit goes under the lanes.
    var right = 14
    var text = ""

    init(color: Bool, ascii: Bool, words: ChartWords) {
        self.color = color
        self.ascii = ascii
        self.words = words
    }

    mutating func text(_ s: String, _ c: ChartColor? = nil) {
        text += paint(ascii ? Canvas.sevenBit(s) : s, c) + "\n"
    }

    /// `s` with `·` and `–` as `-`, `…` as `...`, and every other non-ASCII character as `?`.
    static func sevenBit(_ s: String) -> String {
        var o = ""
        for u in s.unicodeScalars {
            switch u {
            case "·": o += "-"
            case "…": o += "..."
            case "–": o += "-"
            default: o += u.isASCII ? String(u) : "?"
            }
        }
        return o
    }

    func paint(_ s: String, _ c: ChartColor?) -> String {
        guard color, let c, !s.isEmpty else { return s }
        return "\u{1B}[\(c.rawValue)m" + s + "\u{1B}[0m"
    }

    /// Cells with colours joined into one line, switching colour only where it changes.
    func join(_ cells: [(Character, ChartColor?)]) -> String {
        var s = ""
        var run = ""
        var current: ChartColor?
        for (ch, c) in cells {
            if c != current {
                s += paint(run, current)
                run = ""
                current = c
            }
            run.append(ch)
        }
        return s + paint(run, current)
    }

    /// Plot width for a total width: the y labels and axis (7 cells), a space, and `right` cells of labels.
    func plotWidth(_ options: ChartOptions) -> Int {
        Swift.max(10, options.width - TerminalChart.gutter - 1 - right)
    }

    /// The widest right-edge label `d` can have (its lines' names with the widest value), in cells.
    func rightWidth(_ d: ChartData) -> Int {
        let values = d.points.flatMap { [$0.free, $0.highLine, $0.high] }
        let widest = values.map { ChartFormat.mebibytes($0).count }.max() ?? 4
        let names =
            words.lineNames(d) + (d.hasProtection ? words.rawNames : []) + [words.free]
            + (d.overlay == nil ? [] : [words.simShort])
        var notes = [
            words.kswapdNote(cycles: d.kswapd.count, passes: d.kswapdPasses, inferred: d.kswapdInferred),
            words.directNote(stalls: d.direct.count, inferred: d.directInferred),
        ]
        if let o = d.overlay {
            notes.append(words.kswapdNote(cycles: o.kswapd.count, passes: o.kswapdPasses, inferred: false))
        }
        return Swift.max(
            (names.map { DisplayWidth.of($0) }.max() ?? 4) + 1 + widest, notes.map { DisplayWidth.of($0) }.max() ?? 0)
    }

    mutating func header(_ d: ChartData, timeline: Timeline, options: ChartOptions) {
        var head = " " + words.subject(d, allZones: options.allZones) + " · \(timeline.machine.engine)"
        if let w = timeline.machine.watermarkScaleFactor { head += " · wsf=\(w)" }
        if let i = d.sampleInterval { head += " · " + words.samplesEvery(ChartFormat.fixed(i * 1000, 0)) }
        text(fit(head, options.width), .bold)
        if !options.allZones, let why = words.reason(d) {
            for line in DisplayWidth.wrap(" " + why, width: options.width, indent: " ") { text(line) }
        }
        let start = d.overlay == nil ? words.startsAt(d.start) : words.hogStartsAt
        let sub = " " + words.axisTitle + " · " + start + " · " + timeline.machine.summary
        text(fit(sub, options.width), .dim)
    }

    /// `s` cut to `width` cells; in 7-bit output cut after its characters become ASCII, where `…` takes three.
    func fit(_ s: String, _ width: Int) -> String {
        guard ascii else { return DisplayWidth.clip(s, to: width) }
        let t = Canvas.sevenBit(s)
        return DisplayWidth.of(t) <= width ? t : DisplayWidth.clip(t, to: Swift.max(1, width - 2))
    }

    /// Column `c` of `w` covers [start + c·dt, start + (c+1)·dt).
    static func column(of t: Double, _ d: ChartData, width w: Int) -> Int {
        let dt = (d.end - d.start) / Double(w)
        guard dt > 0 else { return 0 }
        // Clamped as a Double first: a time far outside a tiny span must not overflow the conversion to Int.
        let k = ((t - d.start) / dt).rounded(.down)
        guard k.isFinite else { return k > 0 ? w - 1 : 0 }
        return Int(Swift.max(0, Swift.min(Double(w - 1), k)))
    }

    /// Per column (or sub-column): lowest and highest free (joined to the previous column so the line is
    /// continuous), the last free, and the watermarks of the last sample; nil where no sample has been seen yet.
    static func columns(_ d: ChartData, count w: Int) -> [(lo: Double, hi: Double, last: Double, p: ChartPoint)?] {
        columns(d.points, start: d.start, end: d.end, count: w)
    }

    /// `columns(_:count:)` of any points (the simulator's line too) over `start…end`.
    static func columns(
        _ points: [ChartPoint], start: Double, end: Double, count w: Int
    )
        -> [(lo: Double, hi: Double, last: Double, p: ChartPoint)?]
    {
        var cols: [(lo: Double, hi: Double, last: Double, p: ChartPoint)?] = Array(repeating: nil, count: w)
        var i = 0
        var previous: ChartPoint?
        let lastTime = points.last?.time ?? start
        for c in 0..<w {
            let colEnd = start + (end - start) * Double(c + 1) / Double(w)
            var lo = previous?.free ?? .infinity
            var hi = previous?.free ?? -.infinity
            var got = previous != nil
            while i < points.count, points[i].time < colEnd || (c == w - 1) {
                let p = points[i]
                lo = Swift.min(lo, p.free)
                hi = Swift.max(hi, p.free)
                previous = p
                got = true
                i += 1
            }
            let colStart = start + (end - start) * Double(c) / Double(w)
            if got, let p = previous, colStart <= lastTime {
                cols[c] = (lo, hi, p.free, p)
            }
        }
        return cols
    }

    /// One panel: the lines and the free-memory curve in a grid of `h` rows, the y labels at nice steps, the lines'
    /// and free memory's values at the right edge, and a note when free memory left the window or the scale breaks.
    mutating func plot(_ d: ChartData, options: ChartOptions, height h: Int) {
        let g = ChartGlyphs(options.glyphs)
        var p = PlotGrid(d, width: plotWidth(options), height: h, glyphs: g)
        let cols = Canvas.columns(d, count: p.w)
        p.drawWatermarks(cols)
        switch options.glyphs {
        case .braille: p.drawBrailleCurve()
        case .block, .ascii: p.drawBlockCurve(cols, ascii: options.glyphs == .ascii)
        }
        if let o = d.overlay { p.drawOverlay(Canvas.columns(o.points, start: d.start, end: d.end, count: p.w)) }
        let yLabels = p.yLabels()
        let labels = p.rightLabels(words)
        if p.compressedRows > 0 {
            let note = " \(g.axisBreak) " + words.compressed(ChartFormat.size(p.hi), ChartFormat.size(p.top))
            text(DisplayWidth.clip(note, to: options.width), .offScale)
        }
        if p.offUp || p.offDown {
            var parts: [String] = []
            if p.offUp { parts.append("\(g.up) " + words.above(ChartFormat.size(p.highest))) }
            if p.offDown { parts.append("\(g.down) " + words.below(ChartFormat.size(p.lowest))) }
            text(DisplayWidth.clip(" " + parts.joined(separator: "  "), to: options.width), .offScale)
        }
        for r in 0..<h {
            let axis = p.compressedRows > 0 && r == p.compressedRows - 1 ? g.axisBreak : g.axisV
            let label =
                yLabels[r].map { DisplayPad.left($0, 5) + " " + String(g.axisLabelTick) }
                ?? String(repeating: " ", count: 6) + String(axis)
            var line = label + join(p.grid[r])
            if let (t, c) = labels[r] { line += " " + paint(DisplayWidth.clip(t, to: right), c) }
            text += line + "\n"
        }
    }

    mutating func timeAxis(_ d: ChartData, options: ChartOptions) {
        let g = ChartGlyphs(options.glyphs)
        let w = plotWidth(options)
        let duration = d.end - d.start
        let step = ChartFormat.niceStep(atLeast: duration * 9 / Double(w))
        var axis = Array(repeating: g.axisH, count: w)
        var labels = Array(repeating: Character(" "), count: w + 4)
        for t in ChartFormat.ticks(from: 0, step: step, while: { $0 <= duration + 1e-9 }) {
            let c = Int((t / duration * Double(w)).rounded(.down))
            if c >= 0 && c < w {
                axis[c] = g.axisTick
                let s = ChartFormat.seconds(t, step: step)
                if c + s.count <= labels.count {
                    for (k, ch) in s.enumerated() { labels[c + k] = ch }
                }
            }
        }
        text(String(repeating: " ", count: 6) + String(g.axisCorner) + String(axis) + " s")
        text(String(repeating: " ", count: 7) + String(labels).trimmingTrailingSpaces())
    }

    /// A lane: its label, its cells, and its note at the right when the note fits there (else under the lanes).
    mutating func lane(_ name: String, _ cells: String, note: String, footer: inout [String]) {
        let label = DisplayWidth.pad(name, to: 7)
        if DisplayWidth.of(note) <= right {
            text += label + cells + " " + note + "\n"
        } else {
            text += (label + cells).trimmingTrailingSpaces() + "\n"
            footer.append(name + ": " + note)
        }
    }

    /// The markers lane: each label from its column, cut where the next one starts or at the plot's edge, so the
    /// row never runs past the plot.
    func markerLane(_ d: ChartData, width w: Int, glyphs g: ChartGlyphs) -> String {
        var lane = Array(repeating: Character(" "), count: w)
        var nextFree = 0
        for m in d.markers where m.time >= d.start && m.time <= d.end {
            let c = Swift.max(Canvas.column(of: m.time, d, width: w), nextFree)
            guard c < w else { break }
            // Wide characters take two cells: a label is cut by cells, so the row keeps its width.
            let label = DisplayWidth.clip(String(g.axisV) + m.label, to: Swift.max(1, w - c))
            var k = c
            for ch in label {
                let cw = DisplayWidth.of(String(ch))
                guard k + cw <= w else { break }
                lane[k] = ch
                if cw == 2 { lane[k + 1] = "\u{0}" }
                k += cw
            }
            nextFree = k + 1
        }
        return String(lane.filter { $0 != "\u{0}" }).trimmingTrailingSpaces()
    }

    mutating func lanes(_ d: ChartData, options: ChartOptions) {
        let g = ChartGlyphs(options.glyphs)
        let w = plotWidth(options)
        func col(_ t: Double) -> Int { Canvas.column(of: t, d, width: w) }
        var footer: [String] = []
        if !d.markers.isEmpty {
            text(DisplayWidth.pad(words.marks, to: 7) + paint(markerLane(d, width: w, glyphs: g), .dim))
        }
        // kswapd: ▲ wake, ═ running, ▼ sleep.
        var k: [(Character, ChartColor?)] = Array(repeating: (" ", nil), count: w)
        for s in d.kswapd {
            let a = col(s.start)
            let b = s.end.map(col) ?? (w - 1)
            for c in a...Swift.max(a, b) { k[c] = (g.running, .kswapd) }
            if s.startSeen { k[a] = (g.wake, .kswapd) }
            if s.end != nil { k[b] = (a == b && s.startSeen ? g.wakeAndSleep : g.sleep, .kswapd) }
        }
        let kNote = words.kswapdNote(cycles: d.kswapd.count, passes: d.kswapdPasses, inferred: d.kswapdInferred)
        lane("kswapd", join(k), note: kNote, footer: &footer)
        if let o = d.overlay {
            var k: [(Character, ChartColor?)] = Array(repeating: (" ", nil), count: w)
            for s in o.kswapd {
                let a = col(s.start)
                let b = s.end.map(col) ?? (w - 1)
                for c in a...Swift.max(a, b) { k[c] = (g.running, .sim) }
                if s.startSeen { k[a] = (g.wake, .sim) }
                if s.end != nil { k[b] = (a == b && s.startSeen ? g.wakeAndSleep : g.sleep, .sim) }
            }
            let note = words.kswapdNote(cycles: o.kswapd.count, passes: o.kswapdPasses, inferred: false)
            lane(words.simLane, join(k), note: note, footer: &footer)
        }
        // Direct reclaim spans.
        var r: [(Character, ChartColor?)] = Array(repeating: (" ", nil), count: w)
        for s in d.direct {
            let a = col(s.start)
            let b = s.end.map(col) ?? (w - 1)
            for c in a...Swift.max(a, b) { r[c] = (g.direct, .direct) }
        }
        lane(
            "direct", join(r), note: words.directNote(stalls: d.direct.count, inferred: d.directInferred),
            footer: &footer)
        swapLanes(d, width: w, glyphs: g, footer: &footer)
        for line in footer {
            for l in DisplayWidth.wrap(line, width: options.width - 7, indent: "  ") { text("       " + l) }
        }
    }

    /// Swap sparklines: pages per column, scaled to the busiest column; the peak is a rate over one column, or
    /// 250 ms when a column is shorter: never between two samples µs apart.
    mutating func swapLanes(_ d: ChartData, width w: Int, glyphs g: ChartGlyphs, footer: inout [String]) {
        if d.swap.isEmpty {
            lane("swap", String(repeating: " ", count: w), note: words.noSwapCounters, footer: &footer)
            return
        }
        var outs = Array(repeating: Int64(0), count: w)
        var ins = Array(repeating: Int64(0), count: w)
        for s in d.swap {
            let c = Canvas.column(of: s.to, d, width: w)
            outs[c] = outs[c].saturatingAdd(s.out)
            ins[c] = ins[c].saturatingAdd(s.in)
        }
        let window = Swift.max((d.end - d.start) / Double(w), ChartData.minimumRateWindow)
        let peaks = d.peakSwapRates(window: window)
        for (name, values, peak, colour) in [
            ("swpout", outs, peaks.out, ChartColor.swapOut), ("swpin", ins, peaks.in, .swapIn),
        ] {
            let top = values.max() ?? 0
            var cells: [(Character, ChartColor?)] = []
            for v in values {
                if v <= 0 || top <= 0 {
                    cells.append((" ", nil))
                } else {
                    let level = Swift.max(0, Swift.min(7, Int((Double(v) / Double(top) * 8).rounded(.up)) - 1))
                    cells.append((g.spark[level], colour))
                }
            }
            lane(name, join(cells), note: top > 0 ? words.peak(peak, window: window) : words.none, footer: &footer)
        }
    }

    mutating func legend(_ d: ChartData, options: ChartOptions) {
        let g = ChartGlyphs(options.glyphs)
        func cycle(_ p: String) -> String { String((0..<3).map { Array(p)[$0 % p.count] }) }
        let curve = options.glyphs == .ascii ? "*" : options.glyphs == .braille ? "⣿" : "▆"
        let names = words.lineNames(d)
        var items = [
            paint(String(repeating: g.high, count: 3), .high) + " " + names[0],
            paint(cycle(g.low), .low) + " " + names[1], paint(cycle(g.min), .min) + " " + names[2],
        ]
        if d.hasProtection {
            items.append(paint(String(repeating: g.faint, count: 3), .faint) + " " + words.faintMarks)
        }
        items += [
            paint(curve, .free) + " " + (d.overlay == nil ? words.free : words.real),
            paint(String(g.up) + String(g.down), .offScale) + " " + words.offScale,
        ]
        let lanes = [
            paint(String(g.wake), .kswapd) + " " + words.wakes, paint(String(g.running), .kswapd) + " " + words.runs,
            paint(String(g.sleep), .kswapd) + " " + words.sleeps,
            paint(String(g.wakeAndSleep), .kswapd) + " " + words.both,
            paint(String(g.direct), .direct) + " " + words.directReclaim,
        ]
        var groups = [items, lanes]
        if d.overlay != nil {
            // The two free lines first, on a line of their own.
            let free = items.count - 2
            groups = [Array(items[free...]), Array(items[..<free]), lanes]
            groups[0].insert(paint(String(g.sim), .sim) + " " + words.simulator, at: 1)
        }
        for group in groups { legendLines(group, width: options.width) }
        if d.overlay != nil {
            for l in DisplayWidth.wrap(words.overlayExplained, width: options.width - 7, indent: "  ") {
                text("       " + l)
            }
        }
        if let explained = words.linesExplained(d) {
            for l in DisplayWidth.wrap(explained, width: options.width - 7, indent: "  ") { text("       " + l) }
        }
    }

    /// Legend items after a 7-cell indent, two spaces apart, as many on a line as fit in `width`.
    mutating func legendLines(_ items: [String], width: Int) {
        var line = ""
        for item in items {
            let candidate = line.isEmpty ? item : line + "  " + item
            if !line.isEmpty, 7 + DisplayWidth.of(DisplayWidth.stripEscapes(candidate)) > width {
                text += "       " + (ascii ? Canvas.sevenBit(line) : line) + "\n"
                line = item
            } else {
                line = candidate
            }
        }
        if !line.isEmpty { text += "       " + (ascii ? Canvas.sevenBit(line) : line) + "\n" }
    }
}

/// The cells of one panel's plot: the raw marks faint (under protected lines), the lines the kernel tests, then
/// the free-memory curve over them, remembering whether and how far free memory left the page window.
///
/// When free memory rises far above the window, the top `compressedRows` rows hold the range above it on a
/// compressed scale (the y axis shows a break), so the fall into the band stays in view.
private struct PlotGrid {
    let d: ChartData
    let g: ChartGlyphs
    /// Columns and rows.
    let w: Int
    let h: Int
    /// The bottom and top of the band window, its height, and the pages one of its rows holds.
    let lo: Double
    let hi: Double
    let span: Double
    let rowPages: Double
    /// Rows at the top for the compressed range `hi…top` (0: none).
    let compressedRows: Int
    let top: Double
    var grid: [[(Character, ChartColor?)]]
    /// Whether free memory went above or below the window, and how far.
    var offUp = false
    var offDown = false
    var highest = -Double.infinity
    var lowest = Double.infinity

    init(_ d: ChartData, width w: Int, height h: Int, glyphs g: ChartGlyphs) {
        self.d = d
        self.g = g
        self.w = w
        self.h = h
        lo = d.pageRange.lowerBound
        hi = d.pageRange.upperBound
        span = Swift.max(hi - lo, 1e-9)
        let maxFree = (d.points + (d.overlay?.points ?? [])).map(\.free).max() ?? hi
        // Compress only when free goes well above the window and there are rows to spare.
        if maxFree > hi + span * 0.25, h >= 6 {
            compressedRows = Swift.max(2, h / 4)
            top = maxFree + (maxFree - hi) * 0.02
        } else {
            compressedRows = 0
            top = hi
        }
        rowPages = span / Double(h - compressedRows)
        grid = Array(repeating: Array(repeating: (" ", nil), count: w), count: h)
    }

    /// Row (0 = top) and fraction within it of a page value; nil when off-scale.
    func position(_ v: Double) -> (row: Int, frac: Double)? {
        let bandRows = h - compressedRows
        let p = (v - lo) / rowPages
        if p >= 0, p <= Double(bandRows) {
            let k = Swift.min(bandRows - 1, Int(p.rounded(.down)))
            return (h - 1 - k, p - Double(k))
        }
        guard compressedRows > 0, v > hi, v <= top else { return nil }
        let q = (v - hi) / ((top - hi) / Double(compressedRows))
        let k = Swift.min(compressedRows - 1, Int(q.rounded(.down)))
        return (compressedRows - 1 - k, q - Double(k))
    }

    /// The sub-row (4 per row, 0 = top) of a page value within the drawn range, for braille dots.
    func subRow(_ v: Double) -> Int {
        guard let pos = position(Swift.min(Swift.max(v, lo), top)) else { return h * 4 - 1 }
        return pos.row * 4 + (3 - Swift.max(0, Swift.min(3, Int((pos.frac * 4).rounded(.down)))))
    }

    /// The raw marks faint when the zone has protection, then the lines the kernel tests, each in its own style.
    mutating func drawWatermarks(_ cols: [(lo: Double, hi: Double, last: Double, p: ChartPoint)?]) {
        for (c, col) in cols.enumerated() {
            guard let p = col?.p else { continue }
            if d.hasProtection {
                for value in [p.high, p.low, p.min] {
                    guard let pos = position(value) else { continue }
                    grid[pos.row][c] = (g.faint, .faint)
                }
            }
            for (value, pattern, colour) in [
                (p.highLine, String(g.high), ChartColor.high), (p.lowLine, g.low, .low), (p.minLine, g.min, .min),
            ] {
                guard let pos = position(value) else { continue }
                let chars = Array(pattern)
                grid[pos.row][c] = (chars[c % chars.count], colour)
            }
        }
    }

    /// The free-memory curve in braille dots, two sub-columns and four sub-rows per cell.
    mutating func drawBrailleCurve() {
        let sub = Canvas.columns(d, count: w * 2)
        var dots = Array(repeating: Array(repeating: UInt32(0), count: w), count: h)
        for (sc, col) in sub.enumerated() {
            guard let col else { continue }
            highest = Swift.max(highest, col.hi)
            lowest = Swift.min(lowest, col.lo)
            let c = sc / 2
            let upper = Swift.min(col.hi, top)
            let bottom = Swift.max(col.lo, lo)
            if col.hi > top { offUp = true; grid[0][c] = (g.up, .offScale) }
            if col.lo < lo { offDown = true; grid[h - 1][c] = (g.down, .offScale) }
            guard upper >= bottom else { continue }
            for r in subRow(upper)...subRow(bottom) {
                let bits: [UInt32] = sc % 2 == 0 ? [0x01, 0x02, 0x04, 0x40] : [0x08, 0x10, 0x20, 0x80]
                dots[r / 4][c] |= bits[r % 4]
            }
        }
        for r in 0..<h {
            for c in 0..<w where dots[r][c] != 0 && grid[r][c].0 != g.up && grid[r][c].0 != g.down {
                grid[r][c] = (Character(Unicode.Scalar(0x2800 + dots[r][c])!), .free)
            }
        }
    }

    /// The free-memory curve in eighth blocks (or `*` and `|` in ASCII), from each column's lowest to highest.
    mutating func drawBlockCurve(_ cols: [(lo: Double, hi: Double, last: Double, p: ChartPoint)?], ascii: Bool) {
        let eighths: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        for (c, col) in cols.enumerated() {
            guard let col else { continue }
            highest = Swift.max(highest, col.hi)
            lowest = Swift.min(lowest, col.lo)
            let upper = Swift.min(col.hi, top)
            let bottom = Swift.max(col.lo, lo)
            if upper >= bottom, let pt = position(upper), let pb = position(bottom) {
                let lastRow = position(Swift.min(Swift.max(col.last, lo), top))?.row ?? pt.row
                for r in pt.row...pb.row {
                    let ch: Character
                    if ascii {
                        ch = pt.row == pb.row || r == lastRow ? "*" : "|"
                    } else if r == pt.row {
                        ch = eighths[Swift.max(0, Swift.min(7, Int((pt.frac * 8).rounded(.up)) - 1))]
                    } else if r == pb.row {
                        ch = pb.frac < 0.5 ? "█" : "▀"
                    } else {
                        ch = "█"
                    }
                    grid[r][c] = (ch, .free)
                }
            }
            if col.hi > top { offUp = true; grid[0][c] = (g.up, .offScale) }
            if col.lo < lo { offDown = true; grid[h - 1][c] = (g.down, .offScale) }
        }
    }

    /// The simulator's free line over the rest: a dot in each row it passes through in a column, where this
    /// machine's curve is not (where the two lines meet, this machine's is drawn).
    mutating func drawOverlay(_ cols: [(lo: Double, hi: Double, last: Double, p: ChartPoint)?]) {
        for (c, col) in cols.enumerated() {
            guard let col else { continue }
            let upper = Swift.min(Swift.max(col.hi, lo), top)
            let bottom = Swift.min(Swift.max(col.lo, lo), top)
            guard let pt = position(upper), let pb = position(bottom) else { continue }
            for r in pt.row...pb.row where grid[r][c].1 != .free && grid[r][c].1 != .offScale {
                grid[r][c] = (g.sim, .sim)
            }
        }
    }

    /// The y labels (MiB) at nice steps, by row; with compressed rows, the top of the compressed range on row 0.
    func yLabels() -> [Int: String] {
        let bandRows = h - compressedRows
        let step = ChartFormat.niceStep(atLeast: span * 4096 / 1_048_576 / Double(Swift.max(2, bandRows / 3)))
        var yLabels: [Int: String] = [:]
        let firstTick = (lo * 4096 / 1_048_576 / step).rounded(.up) * step
        for tick in ChartFormat.ticks(from: firstTick, step: step, while: { $0 * 1_048_576 / 4096 <= hi }) {
            if let pos = position(tick * 1_048_576 / 4096), pos.row >= compressedRows, yLabels[pos.row] == nil {
                let text = step >= 1 ? ChartFormat.fixed(tick, 0) : ChartFormat.fixed(tick, 1)
                yLabels[pos.row] = text.count <= 5 ? text : ChartFormat.compact(tick)
            }
        }
        if compressedRows > 0 { yLabels[0] = ChartFormat.compact(top * 4096 / 1_048_576) }
        return yLabels
    }

    /// The lines' names and values, and free memory's, at the right edge, each on a free row near its own: free
    /// first, then the lines the kernel tests, then the raw marks where room is left.
    func rightLabels(_ words: ChartWords) -> [Int: (String, ChartColor)] {
        var right: [Int: (String, ChartColor)] = [:]
        guard let last = d.points.last else { return right }
        let names = words.lineNames(d)
        var wanted: [(String, Double, ChartColor, [Int])] = [
            (d.overlay == nil ? words.free : words.real, last.free, .free, [0, -1, 1]),
            (names[0], last.highLine, .high, [0, -1, 1, -2, 2]), (names[1], last.lowLine, .low, [0, -1, 1, -2, 2]),
            (names[2], last.minLine, .min, [0, -1, 1, -2, 2]),
        ]
        if let o = d.overlay?.points.last {
            wanted.insert((words.simShort, o.free, .sim, [0, 1, -1, 2, -2]), at: 1)
        }
        if d.hasProtection {
            let raw = words.rawNames
            wanted += [
                (raw[0], last.high, .faint, [0, 1, -1]), (raw[1], last.low, .faint, [0, 1, -1]),
                (raw[2], last.min, .faint, [0, 1, -1]),
            ]
        }
        for (name, value, colour, offsets) in wanted {
            guard let pos = position(value) else { continue }
            for r in offsets.map({ pos.row + $0 }) where r >= 0 && r < h && right[r] == nil {
                right[r] = (name + " " + ChartFormat.mebibytes(value), colour)
                break
            }
        }
        return right
    }
}

/// Padding by character count (chart text is single-width).
enum DisplayPad {
    static func left(_ s: String, _ n: Int) -> String { String(repeating: " ", count: Swift.max(0, n - s.count)) + s }
    static func right(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: Swift.max(0, n - s.count)) }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
