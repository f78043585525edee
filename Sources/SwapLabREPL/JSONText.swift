import Foundation
import SwapLabCore

/// A JSON value whose object keys keep the order they were written in, so `--json` output has stable,
/// documented key order (`{"engine": "live", "zones": […], …}`) without depending on a dictionary's order.
public indirect enum JSONText: Equatable, Sendable {
    case object([(String, JSONText)])
    case array([JSONText])
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case null

    public static func == (a: JSONText, b: JSONText) -> Bool { a.rendered == b.rendered }

    /// A page count as a plain integer.
    public static func pages(_ p: Pages) -> JSONText { .int(p.count) }

    /// The value on one line, `", "` between items and `": "` after keys.
    public var rendered: String {
        switch self {
        case .object(let pairs):
            return "{" + pairs.map { JSONText.quote($0.0) + ": " + $0.1.rendered }.joined(separator: ", ") + "}"
        case .array(let items): return "[" + items.map(\.rendered).joined(separator: ", ") + "]"
        case .string(let s): return JSONText.quote(s)
        case .int(let v): return String(v)
        case .double(let v): return v.isFinite ? String(v) : "null"
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    /// `s` as a JSON string literal.
    static func quote(_ s: String) -> String {
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
                    out += String(format: "\\u%04x", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
