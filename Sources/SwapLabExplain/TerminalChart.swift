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
            ChartData(timeline: timeline, subject: $0, pageRange: options.pageRange, timeRange: options.timeRange)
        }
        return render(panels: panels, timeline: timeline, options: options)
    }

    /// The chart of panels already built from `timeline` (one per subject), for a caller that reads the same
    /// chart data for more (`watch`'s latest transitions).
    public static func render(panels: [ChartData], timeline: Timeline, options: ChartOptions) -> String {
        guard let first = panels.first else { return nothingYet + "\n" }
        var o = options
        o.width = Swift.max(options.width, 40)
        let panelHeight = panels.count > 1 ? Swift.max(4, options.height / panels.count) : Swift.max(3, options.height)
        var out = Canvas(color: options.color, ascii: options.glyphs == .ascii)
        out.header(first, timeline: timeline, options: o)
        for (i, p) in panels.enumerated() {
            if panels.count > 1 { out.text(" " + p.title, .bold) }
            out.plot(p, options: o, height: panelHeight, isFirst: i == 0)
        }
        out.timeAxis(first, options: o)
        out.lanes(first, options: o)
        out.legend(options: o)
        return out.text
    }
}

/// ANSI colours of the chart (SGR codes).
enum ChartColor: String {
    case free = "1;36", high = "32", low = "33", min = "31", offScale = "35", kswapd = "1;33", direct = "1;31"
    case swapOut = "34", swapIn = "36", bold = "1", dim = "2"
}

/// Glyphs of one glyph set.
struct ChartGlyphs {
    var high: Character
    var low: String  // a repeating pattern
    var min: String
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
    var dot: String

    init(_ g: ChartOptions.Glyphs) {
        if g == .ascii {
            high = "-"; low = "- "; min = "."; up = "^"; down = "v"
            wake = "^"; running = "="; sleep = "v"; wakeAndSleep = "x"; direct = "#"
            spark = [".", ":", "-", "=", "+", "*", "#", "@"]
            axisH = "-"; axisTick = "+"; axisCorner = "+"; axisV = "|"; axisLabelTick = "+"; dot = "-"
        } else {
            high = "─"; low = "╌"; min = "┄"; up = "↑"; down = "↓"
            wake = "▲"; running = "═"; sleep = "▼"; wakeAndSleep = "◆"; direct = "░"
            spark = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
            axisH = "─"; axisTick = "┬"; axisCorner = "└"; axisV = "│"; axisLabelTick = "┤"; dot = "·"
        }
    }
}

/// A growing block of chart lines, with colour applied per run of cells.
struct Canvas {
    var color: Bool
    /// Only 7-bit characters: any other character of a label (a machine summary, a marker) becomes `?`.
    var ascii: Bool
    var text = ""

    init(color: Bool, ascii: Bool) {
        self.color = color
        self.ascii = ascii
    }

    mutating func text(_ s: String, _ c: ChartColor? = nil) {
        text += paint(ascii ? Canvas.sevenBit(s) : s, c) + "\n"
    }

    /// `s` with `·` as `-`, `…` as `...`, and every other non-ASCII character as `?`.
    static func sevenBit(_ s: String) -> String {
        var o = ""
        for u in s.unicodeScalars {
            switch u {
            case "·": o += "-"
            case "…": o += "..."
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

    /// Plot width for a total width.
    static func plotWidth(_ options: ChartOptions, labelWidth: Int) -> Int {
        Swift.max(10, options.width - TerminalChart.gutter - 1 - labelWidth)
    }

    static let labelWidth = 14

    mutating func header(_ d: ChartData, timeline: Timeline, options: ChartOptions) {
        var head = " " + (options.allZones ? "all zones, node 0" : d.title) + " · \(timeline.machine.engine)"
        if let w = timeline.machine.watermarkScaleFactor { head += " · wsf=\(w)" }
        if let i = d.sampleInterval { head += " · samples every " + ChartFormat.fixed(i * 1000, 0) + " ms" }
        text(clip(head, options.width), .bold)
        let sub =
            " free vs watermarks, MiB · t=0 at " + ChartFormat.fixed(d.start, 3) + " s · "
            + timeline.machine.summary
        text(clip(sub, options.width), .dim)
    }

    func clip(_ s: String, _ width: Int) -> String {
        s.count <= width ? s : String(s.prefix(Swift.max(0, width - 1))) + "…"
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
        var cols: [(lo: Double, hi: Double, last: Double, p: ChartPoint)?] = Array(repeating: nil, count: w)
        var i = 0
        var previous: ChartPoint?
        let lastTime = d.points.last?.time ?? d.start
        for c in 0..<w {
            let colEnd = d.start + (d.end - d.start) * Double(c + 1) / Double(w)
            var lo = previous?.free ?? .infinity
            var hi = previous?.free ?? -.infinity
            var got = previous != nil
            while i < d.points.count, d.points[i].time < colEnd || (c == w - 1) {
                let p = d.points[i]
                lo = Swift.min(lo, p.free)
                hi = Swift.max(hi, p.free)
                previous = p
                got = true
                i += 1
            }
            let colStart = d.start + (d.end - d.start) * Double(c) / Double(w)
            if got, let p = previous, colStart <= lastTime {
                cols[c] = (lo, hi, p.free, p)
            }
        }
        return cols
    }

    /// One panel: the watermarks and the free-memory curve in a grid of `h` rows, the y labels at nice steps, the
    /// watermark and free values at the right edge, and a note when free memory left the window.
    mutating func plot(_ d: ChartData, options: ChartOptions, height h: Int, isFirst: Bool) {
        let g = ChartGlyphs(options.glyphs)
        var p = PlotGrid(d, width: Canvas.plotWidth(options, labelWidth: Canvas.labelWidth), height: h, glyphs: g)
        let cols = Canvas.columns(d, count: p.w)
        p.drawWatermarks(cols)
        switch options.glyphs {
        case .braille: p.drawBrailleCurve()
        case .block, .ascii: p.drawBlockCurve(cols, ascii: options.glyphs == .ascii)
        }
        let yLabels = p.yLabels()
        let right = p.rightLabels()
        if p.offUp || p.offDown {
            var note = " "
            if p.offUp { note += "\(g.up) free above the window (up to \(ChartFormat.size(p.highest)))  " }
            if p.offDown { note += "\(g.down) below it (down to \(ChartFormat.size(p.lowest)))" }
            text(clip(note.trimmingTrailingSpaces(), options.width), .offScale)
        }
        for r in 0..<h {
            let label =
                yLabels[r].map { DisplayPad.left($0, 5) + " " + String(g.axisLabelTick) }
                ?? String(repeating: " ", count: 6) + String(g.axisV)
            var line = label + join(p.grid[r])
            if let (t, c) = right[r] { line += " " + paint(t, c) }
            text += line + "\n"
        }
    }

    mutating func timeAxis(_ d: ChartData, options: ChartOptions) {
        let g = ChartGlyphs(options.glyphs)
        let w = Canvas.plotWidth(options, labelWidth: Canvas.labelWidth)
        let duration = d.end - d.start
        let step = ChartFormat.niceStep(atLeast: duration * 9 / Double(w))
        var axis = Array(repeating: g.axisH, count: w)
        var labels = Array(repeating: Character(" "), count: w + 8)
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

    mutating func lanes(_ d: ChartData, options: ChartOptions) {
        let g = ChartGlyphs(options.glyphs)
        let w = Canvas.plotWidth(options, labelWidth: Canvas.labelWidth)
        func col(_ t: Double) -> Int { Canvas.column(of: t, d, width: w) }
        // Markers (phases of a run, `mark` labels).
        if !d.markers.isEmpty {
            var lane = Array(repeating: Character(" "), count: w)
            var nextFree = 0
            for m in d.markers where m.time >= d.start && m.time <= d.end {
                let c = Swift.max(col(m.time), nextFree)
                guard c < w else { break }
                let s = Array(String(g.axisV) + m.label)
                for (k, ch) in s.enumerated() where c + k < w { lane[c + k] = ch }
                nextFree = c + s.count + 1
            }
            text(DisplayPad.right("marks", 7) + paint(String(lane).trimmingTrailingSpaces(), .dim))
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
        let cycles = d.kswapd.count
        var kNote: String
        if d.kswapdInferred {
            kNote = cycles == 0 ? "idle (inferred)" : "\(cycles) run\(cycles == 1 ? "" : "s") (inferred)"
        } else {
            kNote = "\(cycles) cycle\(cycles == 1 ? "" : "s")"
            if d.kswapdPasses > cycles { kNote += ", \(d.kswapdPasses) passes" }
        }
        text(DisplayPad.right("kswapd", 7) + join(k) + " " + kNote)
        // Direct reclaim spans.
        var r: [(Character, ChartColor?)] = Array(repeating: (" ", nil), count: w)
        for s in d.direct {
            let a = col(s.start)
            let b = s.end.map(col) ?? (w - 1)
            for c in a...Swift.max(a, b) { r[c] = (g.direct, .direct) }
        }
        var dNote = d.direct.isEmpty ? "none" : "\(d.direct.count) stall\(d.direct.count == 1 ? "" : "s")"
        if d.directInferred { dNote += " (inferred)" }
        text(DisplayPad.right("direct", 7) + join(r) + " " + dNote)
        // Swap sparklines: pages per column, scaled to the busiest column.
        if d.swap.isEmpty {
            text(DisplayPad.right("swap", 7) + String(repeating: " ", count: w) + " no pswpout/pswpin counters")
            return
        }
        var outs = Array(repeating: Int64(0), count: w)
        var ins = Array(repeating: Int64(0), count: w)
        for s in d.swap {
            outs[col(s.to)] += s.out
            ins[col(s.to)] += s.in
        }
        // Rates over one column, or 250 ms when a column is shorter: never between two samples µs apart.
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
            let note = top > 0 ? ChartFormat.peak(peak, window: window) : "none"
            text(DisplayPad.right(name, 7) + join(cells) + " " + note)
        }
    }

    mutating func legend(options: ChartOptions) {
        let g = ChartGlyphs(options.glyphs)
        func cycle(_ p: String) -> String { String((0..<3).map { Array(p)[$0 % p.count] }) }
        let curve = options.glyphs == .ascii ? "*" : options.glyphs == .braille ? "⣿" : "▆"
        let l1 =
            "       " + paint(String(repeating: g.high, count: 3), .high) + " high  "
            + paint(cycle(g.low), .low) + " low  " + paint(cycle(g.min), .min) + " min  " + paint(curve, .free)
            + " free  "
            + paint(String(g.up) + String(g.down), .offScale) + " off-scale"
        let l2 =
            "       " + paint(String(g.wake), .kswapd) + " kswapd wakes  " + paint(String(g.running), .kswapd)
            + " runs  " + paint(String(g.sleep), .kswapd) + " sleeps  " + paint(String(g.wakeAndSleep), .kswapd)
            + " both  " + paint(String(g.direct), .direct)
            + " direct reclaim"
        text += l1 + "\n" + l2 + "\n"
    }
}

/// The cells of one panel's plot: watermarks first, each in its own style, then the free-memory curve over them,
/// remembering whether and how far free memory left the page window.
private struct PlotGrid {
    let d: ChartData
    let g: ChartGlyphs
    /// Columns and rows.
    let w: Int
    let h: Int
    /// The bottom of the page window, its height, and the pages one row holds.
    let lo: Double
    let span: Double
    let rowPages: Double
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
        span = Swift.max(d.pageRange.upperBound - lo, 1e-9)
        rowPages = span / Double(h)
        grid = Array(repeating: Array(repeating: (" ", nil), count: w), count: h)
    }

    /// Row (0 = top) and fraction within it of a page value; nil when off-scale.
    func position(_ v: Double) -> (row: Int, frac: Double)? {
        let p = (v - lo) / rowPages
        guard p >= 0, p <= Double(h) else { return nil }
        let k = Swift.min(h - 1, Int(p.rounded(.down)))
        return (h - 1 - k, p - Double(k))
    }

    /// The watermark lines, each in its own style; the curve is drawn over them.
    mutating func drawWatermarks(_ cols: [(lo: Double, hi: Double, last: Double, p: ChartPoint)?]) {
        for (c, col) in cols.enumerated() {
            guard let p = col?.p else { continue }
            for (value, pattern, colour) in [
                (p.high, String(g.high), ChartColor.high), (p.low, g.low, .low), (p.min, g.min, .min),
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
            let top = Swift.min(col.hi, d.pageRange.upperBound)
            let bottom = Swift.max(col.lo, lo)
            if col.hi > d.pageRange.upperBound { offUp = true; grid[0][c] = (g.up, .offScale) }
            if col.lo < lo { offDown = true; grid[h - 1][c] = (g.down, .offScale) }
            guard top >= bottom else { continue }
            let subRows = h * 4
            func subRow(_ v: Double) -> Int {
                let p = Int(((v - lo) / span * Double(subRows)).rounded(.down))
                return subRows - 1 - Swift.max(0, Swift.min(subRows - 1, p))
            }
            for r in subRow(top)...subRow(bottom) {
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
            let top = Swift.min(col.hi, d.pageRange.upperBound)
            let bottom = Swift.max(col.lo, lo)
            if top >= bottom, let pt = position(top), let pb = position(bottom) {
                let lastRow = position(Swift.min(Swift.max(col.last, lo), d.pageRange.upperBound))?.row ?? pt.row
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
            if col.hi > d.pageRange.upperBound { offUp = true; grid[0][c] = (g.up, .offScale) }
            if col.lo < lo { offDown = true; grid[h - 1][c] = (g.down, .offScale) }
        }
    }

    /// The y labels (MiB) at nice steps, by row.
    func yLabels() -> [Int: String] {
        let step = ChartFormat.niceStep(atLeast: span * 4096 / 1_048_576 / Double(Swift.max(2, h / 3)))
        var yLabels: [Int: String] = [:]
        let firstTick = (lo * 4096 / 1_048_576 / step).rounded(.up) * step
        let top = d.pageRange.upperBound
        for tick in ChartFormat.ticks(from: firstTick, step: step, while: { $0 * 1_048_576 / 4096 <= top }) {
            if let pos = position(tick * 1_048_576 / 4096), yLabels[pos.row] == nil {
                yLabels[pos.row] = step >= 1 ? ChartFormat.fixed(tick, 0) : ChartFormat.fixed(tick, 1)
            }
        }
        return yLabels
    }

    /// The watermark names and values, and free memory's, at the right edge, each on a free row near its own.
    func rightLabels() -> [Int: (String, ChartColor)] {
        var right: [Int: (String, ChartColor)] = [:]
        if let last = d.points.last {
            for (name, value, colour) in [
                ("high", last.high, ChartColor.high), ("low", last.low, .low), ("min", last.min, .min),
            ] {
                guard let pos = position(value) else { continue }
                let label = (name + "    ").prefix(5) + ChartFormat.mebibytes(value) + " MiB"
                for r in [pos.row, pos.row - 1, pos.row + 1, pos.row - 2, pos.row + 2]
                where r >= 0 && r < h && right[r] == nil {
                    right[r] = (String(label), colour)
                    break
                }
            }
            if let pos = position(last.free) {
                for r in [pos.row, pos.row - 1, pos.row + 1] where r >= 0 && r < h && right[r] == nil {
                    right[r] = ("free " + ChartFormat.mebibytes(last.free) + " MiB", .free)
                    break
                }
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
