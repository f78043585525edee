import Foundation

/// The `swaplab-timeline` JSON Lines recording format (documented in `docs/recording.md`).
///
/// Line 1 is a header `{"format":"swaplab-timeline","version":1,"machine":{…}}`; every further line is one
/// sample, event or marker with a `"type"` key, merged in time order. Keys are written in a fixed order so
/// the same timeline always gives the same bytes. Reading gives back exactly the timeline that was written:
/// each kind keeps its own order, so live events that step back slightly across CPUs survive unchanged.
public enum TimelineRecording {
    /// The value of the header's `format` key.
    public static let formatName = "swaplab-timeline"
    /// The version this build writes and the only one it reads.
    public static let version = 1

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
        out += #"{"format":"swaplab-timeline","version":1,"machine":"#
        out += machineJSON(timeline.machine)
        out += "}\n"
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
                out += sampleJSON(samples[s])
                s += 1
            } else if e < events.count && te <= tm {
                out += eventJSON(events[e])
                e += 1
            } else {
                out += markerJSON(markers[m])
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

    private static func machineJSON(_ m: MachineDescription) -> String {
        var parts = [#""engine":"# + JSONString.quoted(m.engine), #""summary":"# + JSONString.quoted(m.summary)]
        if let v = m.minFreeKbytes { parts.append(#""min_free_kbytes":\#(v)"#) }
        if let v = m.watermarkScaleFactor { parts.append(#""watermark_scale_factor":\#(v)"#) }
        if let v = m.swappiness { parts.append(#""swappiness":\#(v)"#) }
        if let v = m.swapPages { parts.append(#""swap_pages":\#(v.count)"#) }
        return "{" + parts.joined(separator: ",") + "}"
    }

    private static func sampleJSON(_ s: Sample) -> String {
        var out = #"{"type":"sample","t":"# + number(s.time) + #","zones":["#
        out += s.zones.map { z in
            #"{"node":\#(z.node),"zone":"# + JSONString.quoted(z.zone.rawValue)
                + #","free":\#(z.free.count),"min":\#(z.min.count),"low":\#(z.low.count),"#
                + #""high":\#(z.high.count),"managed":\#(z.managed.count)"#
                + (z.protection.map { #","protection":["# + $0.map(String.init).joined(separator: ",") + "]" } ?? "")
                + "}"
        }.joined(separator: ",")
        out += #"],"counters":{"#
        out += s.counters.keys.sorted().map { JSONString.quoted($0) + ":" + String(s.counters[$0] ?? 0) }.joined(
            separator: ",")
        return out + "}}"
    }

    private static func eventJSON(_ e: TraceEvent) -> String {
        var out = #"{"type":"event","t":"# + number(e.time) + #","comm":"# + JSONString.quoted(e.comm)
        out += #","pid":\#(e.pid),"cpu":\#(e.cpu)"#
        if let f = e.flags { out += #","flags":"# + JSONString.quoted(f) }
        out += #","name":"# + JSONString.quoted(e.name) + #","payload":"# + JSONString.quoted(e.payload) + "}"
        return out
    }

    private static func markerJSON(_ m: Marker) -> String {
        #"{"type":"marker","t":"# + number(m.time) + #","label":"# + JSONString.quoted(m.label) + "}"
    }

    /// The shortest decimal that reads back as exactly `v` (Swift's `description` of a `Double`); `v` is finite
    /// (`validate(_:)`).
    private static func number(_ v: Double) -> String { v.description }

    // MARK: - Reading

    /// The timeline recorded in `text`. Throws a `ReadError` naming the first bad line.
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
                    + #"{"format":"swaplab-timeline","version":1,…} ("# + explain(error) + ")")
        }
        guard header.format == formatName else {
            throw ReadError(
                line: 1, message: "not a swaplab recording: format is '\(header.format)', not '\(formatName)'")
        }
        guard header.version == version else {
            throw ReadError(
                line: 1,
                message: "this recording is version \(header.version); this swaplab reads version \(version) only. "
                    + "Re-record it with this swaplab, or use the swaplab that wrote it")
        }
        var timeline = Timeline(machine: header.machine.description)
        for (i, raw) in lines.enumerated().dropFirst() {
            let number = i + 1
            if raw.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let record: RecordLine
            do {
                record = try decoder.decode(RecordLine.self, from: Data(raw.utf8))
            } catch {
                throw ReadError(line: number, message: TimelineBounds.numberProblem(inLine: raw) ?? explain(error))
            }
            // Every number is checked against `TimelineBounds` as it enters, so nothing downstream can overflow.
            switch record {
            case .sample(let s):
                if let p = TimelineBounds.problem(in: s) { throw ReadError(line: number, message: p) }
                timeline.samples.append(s)
            case .event(let e):
                if let p = TimelineBounds.problem(in: e) { throw ReadError(line: number, message: p) }
                timeline.events.append(e)
            case .marker(let m):
                if let p = TimelineBounds.problem(in: m) { throw ReadError(line: number, message: p) }
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

    private struct Header: Decodable {
        var format: String
        var version: Int
        var machine: MachineLine
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

    private struct ZoneLine: Decodable {
        var node: Int
        var zone: String
        var free: Int64
        var min: Int64
        var low: Int64
        var high: Int64
        var managed: Int64
        var protection: [Int64]?
    }

    /// One line after the header, chosen by its `type` key.
    private enum RecordLine: Decodable {
        case sample(Sample)
        case event(TraceEvent)
        case marker(Marker)

        enum Keys: String, CodingKey {
            case type, t, zones, counters, comm, pid, cpu, flags, name, payload, label
        }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            let type = try c.decode(String.self, forKey: .type)
            let t = try c.decode(Double.self, forKey: .t)
            switch type {
            case "sample":
                let zones = try c.decode([ZoneLine].self, forKey: .zones).enumerated().map { i, z in
                    guard let zone = ZoneType(name: z.zone) else {
                        throw DecodingError.dataCorrupted(
                            .init(
                                codingPath: [Keys.zones],
                                debugDescription:
                                    "zone \(i) is '\(z.zone)'; expected DMA, DMA32, Normal, Movable or Device"))
                    }
                    return ZoneSample(
                        node: z.node, zone: zone, free: Pages(z.free), min: Pages(z.min), low: Pages(z.low),
                        high: Pages(z.high), managed: Pages(z.managed), protection: z.protection)
                }
                let counters = try c.decodeIfPresent([String: Int64].self, forKey: .counters) ?? [:]
                self = .sample(Sample(time: t, zones: zones, counters: counters))
            case "event":
                self = .event(
                    TraceEvent(
                        time: t, comm: try c.decode(String.self, forKey: .comm),
                        pid: try c.decode(Int.self, forKey: .pid),
                        cpu: try c.decodeIfPresent(Int.self, forKey: .cpu) ?? 0,
                        flags: try c.decodeIfPresent(String.self, forKey: .flags),
                        name: try c.decode(String.self, forKey: .name),
                        payload: try c.decodeIfPresent(String.self, forKey: .payload) ?? ""))
            case "marker":
                self = .marker(Marker(time: t, label: try c.decode(String.self, forKey: .label)))
            default:
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: [Keys.type],
                        debugDescription: "unknown type '\(type)'; expected sample, event or marker"))
            }
        }
    }
}
