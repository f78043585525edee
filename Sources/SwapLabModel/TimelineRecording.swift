import Foundation

/// The `swaplab-timeline` JSON Lines recording format (documented in `docs/recording.md`), written with the one JSON
/// encoder (`OrderedJSON`, compact layout).
///
/// Line 1 is a header `{"schema":"swaplab.timeline/2","machine":{…}}`; every further line is one sample, event or
/// marker with a `"type"` key, merged in time order. Version 1 recordings (`{"format":"swaplab-timeline",
/// "version":1,…}`, keys without units) are still read. Keys are written in a fixed order so
/// the same timeline always gives the same bytes. Reading gives back exactly the timeline that was written:
/// each kind keeps its own order, so live events that step back slightly across CPUs survive unchanged.
public enum TimelineRecording {
    /// The value of a version 1 header's `format` key.
    public static let formatName = "swaplab-timeline"
    /// The version this build writes (`JSONSchema.timeline`).
    public static let version = JSONSchema.timeline.version
    /// The versions this build reads.
    public static let readableVersions = 1...version

    /// What is wrong with a recording, with the line it was found on (1-based; 0 when the file is empty).
    public struct ReadError: LearnerError, Equatable {
        public var line: Int
        public var message: String

        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }

        public var problem: String { line == 0 ? message : "line \(line): \(message)" }
        public var description: String { problem }
    }

    /// What prevents writing a timeline (a time that is not a finite number).
    public struct WriteError: LearnerError, Equatable {
        public var description: String
        public var problem: String { description }
    }

    // MARK: - Writing

    /// The recording of `timeline` as text, one JSON object per line, ending with a newline.
    public static func text(of timeline: Timeline) throws(WriteError) -> String {
        try validate(timeline)
        var out = ""
        out.reserveCapacity(128 * (timeline.samples.count + timeline.events.count + 1))
        emit(timeline, chunkBytes: 1 << 16) { out += $0 }
        return out
    }

    /// Writes the recording of `timeline` in pieces of about `chunkBytes` (whole lines, each ending with a
    /// newline), handing each to `sink` as it is made: a recording of any length is written in the memory of one
    /// piece. The bytes are those of `text(of:)`. Throws a `WriteError` before writing anything when a time is not
    /// finite, or what `sink` throws.
    public static func write(_ timeline: Timeline, chunkBytes: Int = 1 << 16, to sink: (String) throws -> Void) throws {
        try validate(timeline)
        try emit(timeline, chunkBytes: chunkBytes, sink)
    }

    /// Throws unless every time in `timeline` is finite (JSON has no infinity or NaN).
    private static func validate(_ timeline: Timeline) throws(WriteError) {
        for s in timeline.samples where !s.time.isFinite { throw notFinite(s.time) }
        for e in timeline.events where !e.time.isFinite { throw notFinite(e.time) }
        for m in timeline.markers where !m.time.isFinite { throw notFinite(m.time) }
    }

    private static func notFinite(_ v: Double) -> WriteError {
        WriteError(description: "a time of \(v) cannot be recorded; times must be finite")
    }

    /// The lines of a validated timeline, in pieces of about `chunkBytes`.
    private static func emit(_ timeline: Timeline, chunkBytes: Int, _ sink: (String) throws -> Void) rethrows {
        var out = ""
        out.reserveCapacity(chunkBytes + 4096)
        headerJSON(timeline.machine).render(into: &out, .compact)
        out += "\n"
        // Merge the three time-ordered lists without sorting any of them, so each keeps its own order.
        var s = 0
        var e = 0
        var m = 0
        let samples = timeline.samples
        let events = timeline.events
        let markers = timeline.markers
        while s < samples.count || e < events.count || m < markers.count {
            let ts = s < samples.count ? samples[s].time : .infinity
            let te = e < events.count ? events[e].time : .infinity
            let tm = m < markers.count ? markers[m].time : .infinity
            if s < samples.count && ts <= te && ts <= tm {
                sampleJSON(samples[s]).render(into: &out, .compact)
                s += 1
            } else if e < events.count && te <= tm {
                eventJSON(events[e]).render(into: &out, .compact)
                e += 1
            } else {
                markerJSON(markers[m]).render(into: &out, .compact)
                m += 1
            }
            out += "\n"
            if out.utf8.count >= chunkBytes {
                try sink(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        if !out.isEmpty { try sink(out) }
    }

    /// The header line's value: `schema`, then the machine.
    static func headerJSON(_ m: MachineDescription) -> OrderedJSON {
        var machine: [(String, OrderedJSON)] = [("engine", .string(m.engine)), ("summary", .string(m.summary))]
        if let v = m.minFreeKbytes { machine.append(("min_free_kbytes", .int(v))) }
        if let v = m.watermarkScaleFactor { machine.append(("watermark_scale_factor", .int(v))) }
        if let v = m.swappiness { machine.append(("swappiness", .int(v))) }
        if let v = m.swapPages { machine.append(("swap_pages", .pages(v))) }
        return .object([("schema", .string(JSONSchema.timeline.description)), ("machine", .object(machine))])
    }

    static func sampleJSON(_ s: Sample) -> OrderedJSON {
        let zones: [OrderedJSON] = s.zones.map { z in
            var pairs: [(String, OrderedJSON)] = [
                ("node", .int(Int64(z.node))), ("zone", .string(z.zone.rawValue)), ("free_pages", .pages(z.free)),
                ("min_pages", .pages(z.min)), ("low_pages", .pages(z.low)), ("high_pages", .pages(z.high)),
                ("managed_pages", .pages(z.managed)),
            ]
            if let p = z.protection { pairs.append(("protection_pages", .array(p.map { .int($0) }))) }
            return .object(pairs)
        }
        let counters: [(String, OrderedJSON)] = s.counters.keys.sorted().map { ($0, .int(s.counters[$0] ?? 0)) }
        return .object([
            ("type", .string("sample")), ("t_s", .double(s.time)), ("zones", .array(zones)),
            ("counters", .object(counters)),
        ])
    }

    static func eventJSON(_ e: TraceEvent) -> OrderedJSON {
        var pairs: [(String, OrderedJSON)] = [
            ("type", .string("event")), ("t_s", .double(e.time)), ("comm", .string(e.comm)),
            ("pid", .int(Int64(e.pid))), ("cpu", .int(Int64(e.cpu))),
        ]
        if let f = e.flags { pairs.append(("flags", .string(f))) }
        pairs.append(("name", .string(e.name)))
        pairs.append(("payload", .string(e.payload)))
        return .object(pairs)
    }

    static func markerJSON(_ m: Marker) -> OrderedJSON {
        .object([("type", .string("marker")), ("t_s", .double(m.time)), ("label", .string(m.label))])
    }

    // MARK: - Reading

    /// The timeline recorded in `text`, version 1 or 2. Throws a `ReadError` naming the first bad line.
    public static func timeline(from text: String) throws(ReadError) -> Timeline {
        let decoder = JSONDecoder()
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard let first = lines.first, !first.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ReadError(line: 0, message: "the recording is empty; record one with: record FILE")
        }
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: Data(first.utf8))
        } catch {
            throw ReadError(
                line: 1,
                message: "not a swaplab recording: the first line must be "
                    + #"{"schema":"swaplab.timeline/2",…} ("# + explain(error) + ")")
        }
        let fileVersion = try header.fileVersion()
        guard readableVersions.contains(fileVersion) else {
            throw ReadError(
                line: 1,
                message: "this recording is version \(fileVersion); this swaplab reads versions "
                    + "\(readableVersions.lowerBound) to \(readableVersions.upperBound). "
                    + "Re-record it with this swaplab, or use the swaplab that wrote it")
        }
        let keys = fileVersion == 1 ? RecordingKeys.version1 : RecordingKeys.version2
        decoder.userInfo[RecordingKeys.userInfoKey] = keys
        var timeline = Timeline(machine: header.machine.description)
        for (i, raw) in lines.enumerated().dropFirst() {
            let number = i + 1
            if raw.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let record: RecordLine
            do {
                record = try decoder.decode(RecordLine.self, from: Data(raw.utf8))
            } catch {
                throw ReadError(
                    line: number, message: TimelineBounds.numberProblem(inLine: raw, keys: keys) ?? explain(error))
            }
            // Every number is checked against `TimelineBounds` as it enters, so nothing downstream can overflow.
            switch record {
            case .sample(let s):
                if let p = TimelineBounds.problem(in: s, keys: keys) { throw ReadError(line: number, message: p) }
                timeline.samples.append(s)
            case .event(let e):
                if let p = TimelineBounds.problem(in: e, keys: keys) { throw ReadError(line: number, message: p) }
                timeline.events.append(e)
            case .marker(let m):
                if let p = TimelineBounds.problem(in: m, keys: keys) { throw ReadError(line: number, message: p) }
                timeline.markers.append(m)
            }
        }
        return timeline
    }

    /// A decoding error in a few words: which key, what was wrong.
    private static func explain(_ error: Error) -> String {
        guard let d = error as? DecodingError else { return "not valid JSON" }
        func path(_ c: [CodingKey]) -> String {
            c.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch d {
        case .keyNotFound(let key, let ctx):
            let at = path(ctx.codingPath)
            return "missing key \"\(key.stringValue)\"" + (at.isEmpty ? "" : " in \(at)")
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx):
            return "wrong type at \"\(path(ctx.codingPath))\": \(ctx.debugDescription)"
        case .dataCorrupted(let ctx):
            let at = path(ctx.codingPath)
            return at.isEmpty ? "not valid JSON" : "bad value at \"\(at)\": \(ctx.debugDescription)"
        @unknown default:
            return "not readable"
        }
    }

    /// The header line of either version: `{"schema":"swaplab.timeline/2",…}` or
    /// `{"format":"swaplab-timeline","version":1,…}`.
    private struct Header: Decodable {
        var schema: String?
        var format: String?
        var version: Int?
        var machine: MachineLine

        /// The recording's version, or why the header names none.
        func fileVersion() throws(ReadError) -> Int {
            if let schema {
                let prefix = "swaplab.\(JSONSchema.timeline.name)/"
                guard schema.hasPrefix(prefix), let v = Int(schema.dropFirst(prefix.count)) else {
                    throw ReadError(
                        line: 1,
                        message: "not a swaplab recording: schema is '\(schema)', not '\(JSONSchema.timeline)'")
                }
                return v
            }
            guard let format else {
                throw ReadError(
                    line: 1, message: "not a swaplab recording: the first line has no \"schema\" (nor a \"format\")")
            }
            guard format == formatName else {
                throw ReadError(
                    line: 1, message: "not a swaplab recording: format is '\(format)', not '\(formatName)'")
            }
            guard let version else {
                throw ReadError(line: 1, message: "not a swaplab recording: missing key \"version\"")
            }
            return version
        }
    }

    private struct MachineLine: Decodable {
        var engine: String
        var summary: String
        var minFreeKbytes: Int64?
        var watermarkScaleFactor: Int64?
        var swappiness: Int64?
        var swapPages: Int64?

        enum CodingKeys: String, CodingKey {
            case engine, summary, swappiness
            case minFreeKbytes = "min_free_kbytes"
            case watermarkScaleFactor = "watermark_scale_factor"
            case swapPages = "swap_pages"
        }

        var description: MachineDescription {
            MachineDescription(
                engine: engine, summary: summary, minFreeKbytes: minFreeKbytes,
                watermarkScaleFactor: watermarkScaleFactor, swappiness: swappiness,
                swapPages: swapPages.map { Pages($0) })
        }
    }

    /// One zone of a sample, under the keys of the recording's version.
    private struct ZoneLine: Decodable {
        var node: Int
        var zone: String
        var free: Int64
        var min: Int64
        var low: Int64
        var high: Int64
        var managed: Int64
        var protection: [Int64]?

        init(from decoder: Decoder) throws {
            let keys = RecordingKeys.of(decoder)
            let c = try decoder.container(keyedBy: RecordingKeys.Key.self)
            func pages(_ field: String) throws -> Int64 { try c.decode(Int64.self, forKey: .init(keys.pages(field))) }
            node = try c.decode(Int.self, forKey: .init("node"))
            zone = try c.decode(String.self, forKey: .init("zone"))
            free = try pages("free")
            min = try pages("min")
            low = try pages("low")
            high = try pages("high")
            managed = try pages("managed")
            protection = try c.decodeIfPresent([Int64].self, forKey: .init(keys.pages("protection")))
        }
    }

    /// One line after the header, chosen by its `type` key.
    private enum RecordLine: Decodable {
        case sample(Sample)
        case event(TraceEvent)
        case marker(Marker)

        init(from decoder: Decoder) throws {
            let keys = RecordingKeys.of(decoder)
            let c = try decoder.container(keyedBy: RecordingKeys.Key.self)
            let type = try c.decode(String.self, forKey: .init("type"))
            let t = try c.decode(Double.self, forKey: .init(keys.time))
            switch type {
            case "sample":
                let zones = try c.decode([ZoneLine].self, forKey: .init("zones")).enumerated().map { i, z in
                    guard let zone = ZoneType(name: z.zone) else {
                        throw DecodingError.dataCorrupted(
                            .init(
                                codingPath: [RecordingKeys.Key("zones")],
                                debugDescription:
                                    "zone \(i) is '\(z.zone)'; expected DMA, DMA32, Normal, Movable or Device"))
                    }
                    return ZoneSample(
                        node: z.node, zone: zone, free: Pages(z.free), min: Pages(z.min), low: Pages(z.low),
                        high: Pages(z.high), managed: Pages(z.managed), protection: z.protection)
                }
                let counters = try c.decodeIfPresent([String: Int64].self, forKey: .init("counters")) ?? [:]
                self = .sample(Sample(time: t, zones: zones, counters: counters))
            case "event":
                self = .event(
                    TraceEvent(
                        time: t, comm: try c.decode(String.self, forKey: .init("comm")),
                        pid: try c.decode(Int.self, forKey: .init("pid")),
                        cpu: try c.decodeIfPresent(Int.self, forKey: .init("cpu")) ?? 0,
                        flags: try c.decodeIfPresent(String.self, forKey: .init("flags")),
                        name: try c.decode(String.self, forKey: .init("name")),
                        payload: try c.decodeIfPresent(String.self, forKey: .init("payload")) ?? ""))
            case "marker":
                self = .marker(Marker(time: t, label: try c.decode(String.self, forKey: .init("label"))))
            default:
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: [RecordingKeys.Key("type")],
                        debugDescription: "unknown type '\(type)'; expected sample, event or marker"))
            }
        }
    }
}

/// The keys a recording's lines use, by version: version 2 puts the unit in the name (`t_s`, `free_pages`), version 1
/// did not (`t`, `free`). The reader decodes with one and `TimelineBounds` names fields with it.
public struct RecordingKeys: Sendable, Hashable {
    /// The time key: `t_s` (version 2) or `t` (version 1).
    public var time: String
    /// Appended to a page count's field name: `_pages` (version 2) or nothing (version 1).
    public var pageSuffix: String

    public static let version1 = RecordingKeys(time: "t", pageSuffix: "")
    public static let version2 = RecordingKeys(time: "t_s", pageSuffix: "_pages")

    /// The key of the page count `field` (`free`, `min`, `low`, `high`, `managed`, `protection`).
    public func pages(_ field: String) -> String { field + pageSuffix }

    /// A key by its name.
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static let userInfoKey = CodingUserInfoKey(rawValue: "swaplab.recordingKeys")!

    /// The keys the reader set for `decoder` (version 2 when none).
    static func of(_ decoder: Decoder) -> RecordingKeys { decoder.userInfo[userInfoKey] as? RecordingKeys ?? .version2 }
}
