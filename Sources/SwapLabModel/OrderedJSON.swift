import Foundation

/// A JSON value whose object keys keep the order they were written in, so `--json` output has stable, documented
/// key order (`{"engine": "live", "zones": […], …}`) without depending on a dictionary's order.
public indirect enum OrderedJSON: Sendable, Equatable {
    case object([(String, OrderedJSON)])
    case array([OrderedJSON])
    case string(String)
    case int(Int64)
    /// A number already written as JSON text (`fixed`, `double`).
    case number(String)
    case bool(Bool)
    case null

    public static func == (a: OrderedJSON, b: OrderedJSON) -> Bool { a.rendered() == b.rendered() }

    /// A page count as a plain integer.
    public static func pages(_ p: Pages) -> OrderedJSON { .int(p.count) }

    /// The shortest decimal that reads back as exactly `value` (`null` when it is not finite).
    public static func double(_ value: Double) -> OrderedJSON { value.isFinite ? .number(String(value)) : .null }

    /// `value` with `decimals` digits after the point.
    public static func fixed(_ value: Double, _ decimals: Int) -> OrderedJSON {
        .number(String(format: "%.\(decimals)f", value))
    }

    /// The value on one line, `", "` between items and `": "` after keys.
    public var oneLine: String {
        switch self {
        case .object(let pairs):
            return "{" + pairs.map { JSONString.quoted($0.0) + ": " + $0.1.oneLine }.joined(separator: ", ") + "}"
        case .array(let items): return "[" + items.map(\.oneLine).joined(separator: ", ") + "]"
        default: return rendered()
        }
    }

    /// The text, indented by two spaces per level (arrays of scalars stay on one line).
    public func rendered(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .object(let pairs):
            if pairs.isEmpty { return "{}" }
            let body = pairs.map { "\(inner)\(JSONString.quoted($0.0)): \($0.1.rendered(indent: inner))" }
            return "{\n" + body.joined(separator: ",\n") + "\n\(indent)}"
        case .array(let items):
            if items.isEmpty { return "[]" }
            if items.allSatisfy({ if case .object = $0 { return false } else { return true } }) {
                return "[" + items.map { $0.rendered() }.joined(separator: ", ") + "]"
            }
            return "[\n" + items.map { inner + $0.rendered(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .string(let s): return JSONString.quoted(s)
        case .int(let v): return String(v)
        case .number(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }
}
