import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabModel
@testable import SwapLabREPL

/// One JSON vocabulary (docs/json.md): every `--json` command, run through the shell on both engines (the live one
/// read-only), prints exactly the keys docs/json.md lists, with the documented types, and the keys both engines
/// print have the same names and types.
@Suite struct JSONVocabularyTests {
    /// A JSON value as printed, keeping key order and whether a number was written as an integer.
    indirect enum Value {
        case object([(String, Value)])
        case array([Value])
        case string, int, number, bool, null

        /// The type word docs/json.md uses.
        var type: String {
            switch self {
            case .object: return "object"
            case .array: return "array"
            case .string: return "string"
            case .int: return "int"
            case .number: return "number"
            case .bool: return "bool"
            case .null: return "null"
            }
        }
    }

    /// A small strict JSON reader: enough to tell `3` (int) from `3.0` (number), which Foundation's does not.
    struct Reader {
        let bytes: [UInt8]
        var i = 0

        init(_ text: Substring) { bytes = Array(text.utf8) }

        struct Bad: Error { var at: Int }

        mutating func skipSpace() { while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 } }

        mutating func expect(_ c: UInt8) throws {
            skipSpace()
            guard i < bytes.count, bytes[i] == c else { throw Bad(at: i) }
            i += 1
        }

        mutating func string() throws -> String {
            try expect(UInt8(ascii: "\""))
            var out: [UInt8] = []
            while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                if bytes[i] == UInt8(ascii: "\\") { i += 1 }
                out.append(bytes[i])
                i += 1
            }
            try expect(UInt8(ascii: "\""))
            return String(decoding: out, as: UTF8.self)
        }

        mutating func literal(_ word: String) throws {
            guard bytes[i...].starts(with: Array(word.utf8)) else { throw Bad(at: i) }
            i += word.utf8.count
        }

        mutating func value() throws -> Value {
            skipSpace()
            guard i < bytes.count else { throw Bad(at: i) }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var pairs: [(String, Value)] = []
                skipSpace()
                if bytes[i] == UInt8(ascii: "}") {
                    i += 1
                    return .object(pairs)
                }
                repeat {
                    let key = try string()
                    try expect(UInt8(ascii: ":"))
                    pairs.append((key, try value()))
                    skipSpace()
                    i += 1
                } while bytes[i - 1] == UInt8(ascii: ",")
                guard bytes[i - 1] == UInt8(ascii: "}") else { throw Bad(at: i) }
                return .object(pairs)
            case UInt8(ascii: "["):
                i += 1
                var items: [Value] = []
                skipSpace()
                if bytes[i] == UInt8(ascii: "]") {
                    i += 1
                    return .array(items)
                }
                repeat {
                    items.append(try value())
                    skipSpace()
                    i += 1
                } while bytes[i - 1] == UInt8(ascii: ",")
                guard bytes[i - 1] == UInt8(ascii: "]") else { throw Bad(at: i) }
                return .array(items)
            case UInt8(ascii: "\""):
                _ = try string()
                return .string
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            default:
                let start = i
                while i < bytes.count, "+-.eE0123456789".utf8.contains(bytes[i]) { i += 1 }
                guard i > start else { throw Bad(at: i) }
                return bytes[start..<i].contains { ".eE".utf8.contains($0) } ? .number : .int
            }
        }

        /// The whole line as one value; nothing may follow it.
        static func read(_ line: Substring) throws -> Value {
            var r = Reader(line)
            let v = try r.value()
            r.skipSpace()
            guard r.i == r.bytes.count else { throw Bad(at: r.i) }
            return v
        }
    }

    /// One row of docs/json.md.
    struct Row {
        var type: String
        var engines: Set<String>
        var nullable: Bool { type.hasSuffix(" or null") }
        var baseType: String { nullable ? String(type.dropLast(8)) : type }
    }

    /// docs/json.md's tables by schema (`swaplab.status/2`), each key path to its row.
    static func documented() throws -> [String: [String: Row]] {
        let doc = try String(
            contentsOf: Fixtures.repositoryRoot.appendingPathComponent("docs/json.md"), encoding: .utf8)
        var out: [String: [String: Row]] = [:]
        var schema: String?
        for line in doc.split(separator: "\n") {
            if line.hasPrefix("## ") {
                schema = line.split(separator: "`").dropFirst(3).first.map(String.init)
                continue
            }
            guard let schema, line.hasPrefix("| `") else { continue }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let key = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            let engines = Set(cells[3].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            out[schema, default: [:]][key] = Row(type: cells[1], engines: engines)
        }
        return out
    }

    /// Every key path in `value` with the type printed there: `a.b` inside objects, `a[].b` inside arrays of
    /// objects; a `map` (documented so) is not entered.
    static func paths(_ value: Value, rows: [String: Row], prefix: String = "") -> [(String, String)] {
        guard case .object(let pairs) = value else { return [] }
        var out: [(String, String)] = []
        for (key, v) in pairs {
            let path = prefix.isEmpty ? key : prefix + "." + key
            if rows[path]?.baseType == "map" {
                if case .object(let entries) = v, entries.allSatisfy({ $0.1.type == "int" }) {
                    out.append((path, "map"))
                } else {
                    out.append((path, v.type))
                }
                continue
            }
            out.append((path, v.type))
            switch v {
            case .object: out += paths(v, rows: rows, prefix: path)
            case .array(let items):
                for item in items { out += paths(item, rows: rows, prefix: path + "[]") }
            default: break
            }
        }
        return out
    }

    /// A printed document: its schema, engine (when it has one) and value.
    struct Printed {
        var schema: String
        var engine: String?
        var value: Value
        var source: String
    }

    /// The JSON lines `script` prints in a fresh shell on `engine`.
    static func run(_ script: String, engine: EngineKind) throws -> [Printed] {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-json-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let session = Session(output: Output(capturingWidth: 100_000), stateDirectory: state)
        session.engine = engine
        let shell = Shell(session: session)
        var out: [Printed] = []
        for line in script.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            #expect(shell.execute(line), "\(line): \(session.output.captured)")
            let text = session.output.takeCaptured()
            guard line.contains("--json") else { continue }
            let json = try #require(text.split(separator: "\n").last { $0.hasPrefix("{") }, "\(line): \(text)")
            out.append(try printed(json, source: "\(engine): \(line)"))
        }
        return out
    }

    static func printed(_ line: Substring, source: String) throws -> Printed {
        let value = try Reader.read(line)
        guard case .object(let pairs) = value, pairs.first?.0 == "schema" else {
            throw Reader.Bad(at: 0)
        }
        func text(_ key: String) -> String? {
            guard let range = line.range(of: "\"\(key)\": \"") else { return nil }
            return String(line[range.upperBound...].prefix { $0 != "\"" })
        }
        return Printed(schema: text("schema") ?? "", engine: text("engine"), value: value, source: source)
    }

    /// What the shell prints: both engines, every `--json` command; the live engine only reads.
    static func everything() throws -> [Printed] {
        let lazy = try FakeRoot.fromSnapshot("snapshots/baseline-lazy-zone")
        defer { FakeRoot.remove(lazy) }
        let trace = FixtureRun.directory("D1b-kswapd-swapout-clean").appendingPathComponent(
            "trace_pipe.milestones.txt")
        var all = try run(
            "machine --ram 512M --swap 256M --wsf 200; mark start; alloc 500M --name big; run 300ms; "
                + "alloc 100M --name small; status --json; vmstat --json; watermarks --json; explain --json; "
                + "explain --trace \(trace.path) --json",
            engine: .sim)
        all += try run("watermarks --json", engine: .sim)
        all += try run(
            "status --json; vmstat --json; watermarks --json; watermarks --json --root \(lazy.path); allocs --json; "
                + "swap --json; doctor --json",
            engine: .live)
        // A hog and a swapfile would change this machine: their rows are built as the commands build them.
        let hog = TaskStatus(
            name: "hog", pid: 4242, resident: Pages(100), swapped: Pages(28), state: .idle,
            requested: Pages(bytes: 524_288), fill: .random)
        all.append(try printed(Substring(LiveJSON.allocs([hog]).text), source: "allocs row"))
        let device = SwapDevice(
            path: "/var/lib/swaplab/swapfile-1", type: "file", size: Pages(16383), used: .zero, priority: -2,
            isSwaplabs: true)
        all.append(try printed(Substring(LiveJSON.swap([device]).text), source: "swap row"))
        return all
    }

    @Test func docsListExactlyTheKeysPrintedWithTheirTypesAndEngines() throws {
        let docs = try Self.documented()
        let all = try Self.everything()
        // Every schema but the recording's (recording.md) and the lab's (lab.md) has its table here.
        #expect(
            Set(docs.keys)
                == Set(JSONSchema.all.map(\.description)).subtracting([
                    JSONSchema.timeline.description, JSONSchema.lab.description,
                ]))
        var seen: [String: Set<String>] = [:]
        for p in all {
            let rows = try #require(docs[p.schema], "\(p.source): schema \(p.schema) is not in docs/json.md")
            for (path, type) in Self.paths(p.value, rows: rows) {
                seen[p.schema, default: []].insert(path)
                guard let row = rows[path] else {
                    Issue.record("\(p.source): \(path) is printed but not in docs/json.md")
                    continue
                }
                #expect(type == row.baseType || (type == "null" && row.nullable), "\(p.source): \(path) is \(type)")
                if let engine = p.engine, !row.engines.contains("any") {
                    #expect(row.engines.contains(engine), "\(p.source): \(path) printed on \(engine)")
                }
            }
        }
        for (schema, rows) in docs {
            let missing = Set(rows.keys).subtracting(seen[schema] ?? [])
            #expect(missing.isEmpty, "\(schema): documented but never printed: \(missing.sorted())")
        }
    }

    @Test func bothEnginesPrintTheSameKeysWithTheSameTypes() throws {
        let docs = try Self.documented()
        let all = try Self.everything()
        for schema in [JSONSchema.status, .vmstat, .watermarks] {
            let sim = try #require(all.first { $0.schema == schema.description && $0.engine == "sim" })
            let live = try #require(all.first { $0.schema == schema.description && $0.engine == "live" })
            let rows = docs[schema.description] ?? [:]
            var simTypes: [String: String] = [:]
            for (path, type) in Self.paths(sim.value, rows: rows) where type != "null" { simTypes[path] = type }
            var shared = 0
            for (path, type) in Self.paths(live.value, rows: rows) where type != "null" {
                guard let other = simTypes[path] else { continue }
                shared += 1
                #expect(type == other, "\(schema) \(path): live \(type), sim \(other)")
            }
            // The top-level keys are the same, but for those docs/json.md gives to one engine.
            func top(_ v: Value) -> [String] {
                guard case .object(let pairs) = v else { return [] }
                return pairs.map(\.0).filter { rows[$0]?.engines.count != 1 }
            }
            #expect(top(sim.value) == top(live.value), "\(schema)")
            #expect(shared >= top(sim.value).count, "\(schema): \(shared) shared keys")
        }
        // explain: the simulator's timeline and a real kernel's capture give the same keys and types.
        let explains = all.filter { $0.schema == JSONSchema.explain.description }
        #expect(explains.count == 2)
        let rows = docs[JSONSchema.explain.description] ?? [:]
        var first: [String: String] = [:]
        for (path, type) in Self.paths(explains[0].value, rows: rows) where type != "null" { first[path] = type }
        for (path, type) in Self.paths(explains[1].value, rows: rows) where type != "null" {
            if let other = first[path] { #expect(type == other, "explain \(path)") }
        }
    }

    @Test func everyDocumentStartsWithItsSchema() throws {
        let status = try Self.run("machine --ram 1G; status --json", engine: .sim)
        #expect(status.map(\.schema) == ["swaplab.status/2"])
        #expect(JSONDocument(.vmstat, [("a", .int(1))]).text == #"{"schema": "swaplab.vmstat/2", "a": 1}"#)
        let tree: OrderedJSON = .object([("k", .array([.int(1), .double(0.5), .null])), ("s", .string("a\"b"))])
        #expect(tree.rendered(.spaced) == #"{"k": [1, 0.5, null], "s": "a\"b"}"#)
        #expect(tree.rendered(.compact) == #"{"k":[1,0.5,null],"s":"a\"b"}"#)
    }
}
