/// Terminal cell widths: Hangul and other East Asian wide characters take two cells, combining marks none.
public enum DisplayWidth {
    /// Cells taken by one Unicode scalar (a small `wcwidth()`).
    public static func of(_ s: Unicode.Scalar) -> Int {
        let v = s.value
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
        var width = 0
        var inEscape = false
        for s in text.unicodeScalars {
            if inEscape {
                if s == "m" { inEscape = false }
                continue
            }
            if s == "\u{1B}" {
                inEscape = true
                continue
            }
            width += of(s)
        }
        return width
    }

    /// `text` padded with spaces on the right (or left when `right` is true) to `width` cells.
    public static func pad(_ text: String, to width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - of(text)))
        return right ? fill + text : text + fill
    }

    /// Wraps `text` to `width` cells at spaces (Hangul words wrap at spaces too; an over-long word is cut by cells).
    /// Existing line breaks are kept; every line after the first starts with `indent`.
    public static func wrap(_ text: String, width: Int, indent: String = "") -> [String] {
        let width = max(width, 10)
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0
            let prefix = lines.isEmpty ? "" : indent
            line = prefix
            lineWidth = of(prefix)
            let startWidth = lineWidth
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                var w = String(word)
                var ww = of(w)
                let sep = lineWidth > startWidth || (lineWidth == startWidth && line.count > prefix.count) ? 1 : 0
                if lineWidth + sep + ww <= width {
                    if sep == 1 { line += " " }
                    line += w
                    lineWidth += sep + ww
                    continue
                }
                if lineWidth > startWidth {
                    lines.append(line)
                    line = indent
                    lineWidth = of(indent)
                }
                while lineWidth + ww > width {
                    var head = ""
                    var hw = 0
                    var rest = Substring(w)
                    while let c = rest.first, lineWidth + hw + of(String(c)) <= width {
                        head.append(c)
                        hw += of(String(c))
                        rest = rest.dropFirst()
                    }
                    if head.isEmpty { break }
                    lines.append(line + head)
                    line = indent
                    lineWidth = of(indent)
                    w = String(rest)
                    ww = of(w)
                }
                line += w
                lineWidth += ww
            }
            lines.append(line)
        }
        return lines
    }
}
