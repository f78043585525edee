/// The name and version of one kind of JSON document swaplab writes (`swaplab.status/2`). The version rises when a
/// key is renamed or removed, a unit or a type changes; adding a key keeps it. docs/json.md documents each.
public struct JSONSchema: Sendable, Hashable, CustomStringConvertible {
    /// The document's kind: `status`, `vmstat`, `timeline`, …
    public let name: String
    public let version: Int

    public init(_ name: String, _ version: Int) {
        self.name = name
        self.version = version
    }

    /// `swaplab.NAME/VERSION`, the value of the document's `schema` key.
    public var description: String { "swaplab.\(name)/\(version)" }

    /// `status --json`: the machine now (version 1 was the camelCase shape of each engine).
    public static let status = JSONSchema("status", 2)
    /// `vmstat --json`: counters and their deltas since the last mark.
    public static let vmstat = JSONSchema("vmstat", 2)
    /// `watermarks --json`: zones, the wake point and the distance to it.
    public static let watermarks = JSONSchema("watermarks", 2)
    /// `explain --json`: the reclaim report.
    public static let explain = JSONSchema("explain", 2)
    /// `lab run --json`: what the lab observed (docs/lab.md).
    public static let lab = JSONSchema("lab", 2)
    /// `doctor --json`: what this machine allows (version 1 had the same keys without `schema`).
    public static let doctor = JSONSchema("doctor", 1)
    /// `allocs --json`: the live hogs.
    public static let allocs = JSONSchema("allocs", 2)
    /// `swap --json`: this machine's swap devices.
    public static let swap = JSONSchema("swap", 2)
    /// A timeline recording's header line (version 1 was `{"format":"swaplab-timeline","version":1,…}`).
    public static let timeline = JSONSchema("timeline", 2)

    /// Every schema, in the order docs/json.md lists them.
    public static let all: [JSONSchema] = [status, vmstat, watermarks, explain, lab, doctor, allocs, swap, timeline]
}

/// One JSON document: `schema` first, then the document's own keys. Every `--json` command prints one of these.
public struct JSONDocument: Sendable, Equatable {
    public var schema: JSONSchema
    /// The keys after `schema`, in order.
    public var body: [(String, OrderedJSON)]

    public init(_ schema: JSONSchema, _ body: [(String, OrderedJSON)]) {
        self.schema = schema
        self.body = body
    }

    public static func == (a: JSONDocument, b: JSONDocument) -> Bool { a.value == b.value }

    /// The whole document as a value, `schema` first.
    public var value: OrderedJSON { .object([("schema", .string(schema.description))] + body) }

    /// The document on one line, as `--json` prints it.
    public var text: String { value.rendered(.spaced) }
}

extension ZoneSnapshot {
    /// The zone as every document writes it (`status`, `watermarks`): kernel zone name, every count in 4 KiB pages,
    /// `protection_pages` the zone's `lowmem_reserve[]` as /proc/zoneinfo prints it (one entry per zone type).
    public var json: OrderedJSON {
        .object([
            ("node", .int(Int64(node))), ("zone", .string(zone.rawValue)), ("free_pages", .pages(free)),
            ("min_pages", .pages(min)), ("low_pages", .pages(low)), ("high_pages", .pages(high)),
            ("boost_pages", .pages(boost)), ("managed_pages", .pages(managed)), ("present_pages", .pages(present)),
            ("spanned_pages", .pages(spanned)), ("protection_pages", .array(protection.map { .int($0) })),
        ])
    }
}
