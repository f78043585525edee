/// Terminal cell widths: Hangul and other East Asian wide characters take two cells, combining marks none.
public enum DisplayWidth {
    /// Cells taken by one Unicode scalar (a small `wcwidth()`).
    public static func of(_ s: Unicode.Scalar) -> Int {
        let v = s.value
        if v >= 0x20 && v < 0x7F { return 1 }  // printable ASCII, most of every text: no property lookup
        if v == 0 { return 0 }
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if s.properties.generalCategory == .nonspacingMark || s.properties.generalCategory == .enclosingMark
            || v == 0x200B || (v >= 0x1160 && v <= 0x11FF)
        {
            return 0
        }
        if (v >= 0x1100 && v <= 0x115F) || (v >= 0x2E80 && v <= 0x303E) || (v >= 0x3041 && v <= 0x33FF)
            || (v >= 0x3400 && v <= 0x4DBF) || (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0xA000 && v <= 0xA4CF)
            || (v >= 0xAC00 && v <= 0xD7A3) || (v >= 0xF900 && v <= 0xFAFF) || (v >= 0xFE30 && v <= 0xFE4F)
            || (v >= 0xFF00 && v <= 0xFF60) || (v >= 0xFFE0 && v <= 0xFFE6) || (v >= 0x1F300 && v <= 0x1F64F)
            || (v >= 0x1F900 && v <= 0x1F9FF) || (v >= 0x20000 && v <= 0x3FFFD)
        {
            return 2
        }
        return 1
    }

    /// Cells taken by `text`, ignoring ANSI colour escapes.
    public static func of(_ text: String) -> Int {
        stripEscapes(text).unicodeScalars.reduce(0) { $0 + of($1) }
    }

    /// `text` padded with spaces on the right (or left when `right` is true) to `width` cells.
    public static func pad(_ text: String, to width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - of(text)))
        return right ? fill + text : text + fill
    }

    /// The cells each character of `chars` takes; the characters of an ANSI escape sequence take none.
    static func cellWidths(_ chars: [Character]) -> [Int] {
        var widths: [Int] = []
        widths.reserveCapacity(chars.count)
        var inEscape = false
        for c in chars {
            var w = 0
            for s in c.unicodeScalars {
                if inEscape {
                    if (0x40...0x7E).contains(s.value) && s != "[" { inEscape = false }
                } else if s == "\u{1B}" {
                    inEscape = true
                } else if s != "\u{1}" {
                    w += of(s)
                }
            }
            widths.append(w)
        }
        return widths
    }

    /// `text` cut to at most `width` cells, ending with `…` when cut (never inside a wide character).
    public static func clip(_ text: String, to width: Int) -> String {
        guard of(text) > width else { return text }
        var out = ""
        var used = 0
        for c in text {
            let w = of(String(c))
            if used + w > width - 1 { break }
            out.append(c)
            used += w
        }
        return out + "…"
    }

    /// Wraps `text` to `width` cells at spaces (Hangul words wrap at spaces too; a word longer than a line is cut
    /// by cells, never inside a wide character). Existing line breaks are kept; leading spaces of a paragraph and
    /// runs of spaces between words are kept unless a line breaks there; every line after the first starts with
    /// `indent`.
    public static func wrap(_ text: String, width: Int, indent: String = "") -> [String] {
        let width = max(width, 10)
        let indentWidth = of(indent)
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = lines.isEmpty ? "" : indent
            var lineWidth = lines.isEmpty ? 0 : indentWidth
            var lineHasWord = false
            var gap = ""
            var word = ""
            func place() {
                defer {
                    gap = ""
                    word = ""
                }
                guard !word.isEmpty else { return }
                // Each character's cells, once (escape sequences take none): linear in the word's length.
                let chars = Array(word)
                let widths = cellWidths(chars)
                var remaining = widths.reduce(0, +)
                let gapWidth = gap.count
                if lineHasWord && lineWidth + gapWidth + remaining > width {
                    lines.append(line)
                    line = indent
                    lineWidth = indentWidth
                    gap = ""
                }
                line += gap
                lineWidth += gap.count
                var k = 0
                while lineWidth + remaining > width {
                    let start = k
                    var headWidth = 0
                    while k < chars.count, lineWidth + headWidth + widths[k] <= width {
                        headWidth += widths[k]
                        k += 1
                    }
                    if k == start && lineWidth <= indentWidth { break }  // a single cell wider than the line
                    lines.append(line + String(chars[start..<k]))
                    remaining -= headWidth
                    line = indent
                    lineWidth = indentWidth
                }
                line += String(chars[k...])
                lineWidth += remaining
                lineHasWord = true
            }
            for c in paragraph {
                if c == " " {
                    if !word.isEmpty { place() }
                    gap.append(c)
                } else {
                    word.append(c)
                }
            }
            place()
            lines.append(line)
        }
        return lines
    }

    /// `text` without ANSI escape sequences (and without libedit's `\u{1}` prompt markers).
    public static func stripEscapes(_ text: String) -> String {
        var out = ""
        var inEscape = false
        for s in text.unicodeScalars {
            if inEscape {
                if (0x40...0x7E).contains(s.value) && s != "[" { inEscape = false }
                continue
            }
            if s == "\u{1B}" {
                inEscape = true
                continue
            }
            if s == "\u{1}" { continue }
            out.unicodeScalars.append(s)
        }
        return out
    }
}
