/// JSON string literals, written one way for every JSON text swaplab builds by hand (timeline recordings, the
/// explainer's report, the shell's `--json` output), so the same string always reads the same.
public enum JSONString {
    /// `s` as a JSON string literal (RFC 8259 §7): quotation mark, backslash and control characters escaped
    /// (`\n`, `\r`, `\t` by name, the rest as `\u00xx`); every other character as it is, UTF-8 unescaped.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
