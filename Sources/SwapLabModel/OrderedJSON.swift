import Foundation

/// A JSON value whose object keys keep the order they were written in: the one value tree every JSON text swaplab
/// writes is built from (`--json` documents, timeline recordings), so key order is stable and documented
/// (`{"schema": "swaplab.status/2", "engine": "live", …}`) without depending on a dictionary's order.
public indirect enum OrderedJSON: Sendable, Equatable {
    case object([(String, OrderedJSON)])
    case array([OrderedJSON])
    case string(String)
    case int(Int64)
    /// A number already written as JSON text (`fixed`, `double`).
    case number(String)
    case bool(Bool)
    case null

    /// How a value is laid out as text. Both are one line: a `--json` command prints one document per line, so a
    /// script reads several commands' output as JSON Lines.
    public enum Layout: Sendable {
        /// `", "` between items and `": "` after keys: what every `--json` command prints.
        case spaced
        /// No spaces at all: timeline recordings, where size counts.
        case compact
    }

    public static func == (a: OrderedJSON, b: OrderedJSON) -> Bool { a.rendered(.compact) == b.rendered(.compact) }

    /// A page count (4 KiB pages) as a plain integer.
    public static func pages(_ p: Pages) -> OrderedJSON { .int(p.count) }

    /// The shortest decimal that reads back as exactly `value` (`null` when it is not finite).
    public static func double(_ value: Double) -> OrderedJSON { value.isFinite ? .number(String(value)) : .null }

    /// `value` with `decimals` digits after the point (`null` when it is not finite).
    public static func fixed(_ value: Double, _ decimals: Int) -> OrderedJSON {
        value.isFinite ? .number(String(format: "%.\(decimals)f", value)) : .null
    }

    /// `wrap(value)`, or `null` when there is no value.
    public static func nullable<T>(_ value: T?, _ wrap: (T) -> OrderedJSON) -> OrderedJSON {
        value.map(wrap) ?? .null
    }

    /// The value as text on one line, laid out as `layout` says. This is the one JSON renderer in swaplab.
    public func rendered(_ layout: Layout = .spaced) -> String {
        var out = ""
        render(into: &out, layout)
        return out
    }

    /// Appends the value's text to `out`.
    public func render(into out: inout String, _ layout: Layout) {
        let comma = layout == .spaced ? ", " : ","
        let colon = layout == .spaced ? ": " : ":"
        switch self {
        case .object(let pairs):
            out += "{"
            for (i, (key, value)) in pairs.enumerated() {
                if i > 0 { out += comma }
                out += JSONString.quoted(key)
                out += colon
                value.render(into: &out, layout)
            }
            out += "}"
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += comma }
                item.render(into: &out, layout)
            }
            out += "]"
        case .string(let s): out += JSONString.quoted(s)
        case .int(let v): out += String(v)
        case .number(let s): out += s
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        }
    }

    /// The value of `key` when this is an object that has it.
    public subscript(key: String) -> OrderedJSON? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }
}
