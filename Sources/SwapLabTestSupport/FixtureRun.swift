import Foundation
import SwapLabKernel
import SwapLabModel

/// One captured run under `fixtures/…/runs/<run>/`, turned into the things tests need: its trace text, its
/// `trace_stats.json`, and a `Timeline` built from `samples.csv` (+ the trace), as if it had been replayed.
///
/// `samples.csv` is read by its header names: `t` (CLOCK_MONOTONIC seconds, the trace's clock), `phase` (a
/// marker is placed wherever it changes, labelled with the new phase), `<Zone>_free|min|low|high|managed` for
/// each zone the header names, and every other numeric column as a counter under its header name
/// (`pswpout`, `pgsteal_kswapd`, `allocstall_normal`, `mi_MemFree_kB`, …). `kswapd_state` is not a counter and is
/// skipped. Each zone's `protection: (…)` comes from the run's `snap-before/zoneinfo.txt`.
public enum FixtureRun {
    /// What is wrong with a fixture file.
    public struct FixtureError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Which trace text of a run to use.
    public enum TraceChoice: Sendable {
        /// `trace_pipe.txt` when the run kept the whole capture, else the merge of head, milestones and
        /// sleep windows (identical lines kept once, ordered by timestamp).
        case best
        /// Only this file (`trace_pipe.head.txt`, …).
        case file(String)
        /// No trace: samples only (a live run without tracing).
        case none
    }

    /// The directory of `run`.
    public static func directory(_ run: String) -> URL { Fixtures.url("runs/\(run)") }

    /// The trace files the run has (`trace_pipe.txt` or the head/milestones/sleep-windows trio), sorted.
    public static func traceFiles(run: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory(run).path)) ?? []
        return names.filter { $0.hasPrefix("trace_pipe") && $0.hasSuffix(".txt") }.sorted()
    }

    /// True when the run kept the whole raw capture in `trace_pipe.txt` (`"kept_full": true`).
    public static func isWhole(run: String) -> Bool {
        (try? stats(run: run).keptFull) == true && traceFiles(run: run).contains("trace_pipe.txt")
    }

    /// The counts in `trace_stats.json`, which describe the **whole** raw capture.
    public struct TraceStats: Sendable {
        public var rawLines: Int
        public var keptFull: Bool
        public var events: [String: Int]
    }

    /// The run's `trace_stats.json`.
    public static func stats(run: String) throws -> TraceStats {
        let data = try Data(contentsOf: directory(run).appendingPathComponent("trace_stats.json"))
        guard let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let events = obj["events"] as? [String: Int]
        else { throw FixtureError(description: "runs/\(run)/trace_stats.json has no \"events\" object") }
        return TraceStats(
            rawLines: obj["raw_lines"] as? Int ?? 0, keptFull: obj["kept_full"] as? Bool ?? false, events: events)
    }

    /// The trace text chosen by `choice` ("" for `.none`).
    public static func traceText(run: String, choice: TraceChoice = .best) throws -> String {
        switch choice {
        case .none: return ""
        case .file(let name):
            return try String(contentsOf: directory(run).appendingPathComponent(name), encoding: .utf8)
        case .best:
            let files = traceFiles(run: run)
            if files.contains("trace_pipe.txt") { return try traceText(run: run, choice: .file("trace_pipe.txt")) }
            var seen = Set<Substring>()
            var lines: [(Double, Int, Substring)] = []
            var texts: [String] = []
            for f in files { texts.append(try traceText(run: run, choice: .file(f))) }
            for text in texts {
                for line in text.split(separator: "\n") where seen.insert(line).inserted {
                    let ts = TraceLineParser.parse(line: String(line))?.time ?? -1
                    lines.append((ts, lines.count, line))
                }
            }
            lines.sort { ($0.0, $0.1) < ($1.0, $1.1) }
            return lines.map { String($0.2) }.joined(separator: "\n") + "\n"
        }
    }

    /// Zone protection rows from the run's `snap-before/zoneinfo.txt`, keyed by `"<node>/<zone>"`.
    public static func protections(run: String) -> [String: [Int64]] {
        let url = directory(run).appendingPathComponent("snap-before/zoneinfo.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
        var result: [String: [Int64]] = [:]
        var current: String?
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("Node ") {
                // `Node 0, zone   DMA32`
                let parts = line.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
                if parts.count >= 4 { current = "\(parts[1])/\(parts[3])" }
            } else if line.hasPrefix("protection:"), let key = current {
                let inner = line.drop { $0 != "(" }.dropFirst().prefix { $0 != ")" }
                result[key] = inner.split(separator: ",").compactMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
            }
        }
        return result
    }

    /// Samples and phase markers from the run's `samples.csv` (node 0, as captured).
    public static func samples(run: String) throws -> (samples: [Sample], markers: [Marker]) {
        let url = directory(run).appendingPathComponent("samples.csv")
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows = text.split(whereSeparator: \.isNewline).map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        guard !rows.isEmpty else { throw FixtureError(description: "runs/\(run)/samples.csv is empty") }
        let header = rows.removeFirst().map { String($0).trimmingCharacters(in: .whitespaces) }
        guard let tIndex = header.firstIndex(of: "t") else {
            throw FixtureError(description: "runs/\(run)/samples.csv has no `t` column")
        }
        let phaseIndex = header.firstIndex(of: "phase")
        let protection = protections(run: run)
        // Zones named in the header, in zone order.
        let zones: [(ZoneType, [String: Int])] = ZoneType.allCases.compactMap { zone in
            var cols: [String: Int] = [:]
            for field in ["free", "min", "low", "high", "managed"] {
                if let i = header.firstIndex(of: "\(zone.rawValue)_\(field)") { cols[field] = i }
            }
            return cols.count == 5 ? (zone, cols) : nil
        }
        let zoneColumns = Set(
            zones.flatMap { z in
                ["free", "min", "low", "high", "boost", "managed"].compactMap {
                    header.firstIndex(of: "\(z.0.rawValue)_\($0)")
                }
            })
        let skip: Set<Int> = zoneColumns.union([tIndex]).union(phaseIndex.map { [$0] } ?? [])
            .union(header.firstIndex(of: "kswapd_state").map { [$0] } ?? [])
        var samples: [Sample] = []
        var markers: [Marker] = []
        var lastPhase: String?
        for (n, row) in rows.enumerated() {
            guard row.count == header.count, let t = Double(row[tIndex]) else {
                throw FixtureError(description: "runs/\(run)/samples.csv line \(n + 2) does not match the header")
            }
            func page(_ i: Int?) -> Pages { Pages(i.flatMap { Int64(row[$0]) } ?? 0) }
            let zs = zones.map { zone, cols in
                ZoneSample(
                    node: 0, zone: zone, free: page(cols["free"]), min: page(cols["min"]), low: page(cols["low"]),
                    high: page(cols["high"]), managed: page(cols["managed"]),
                    protection: protection["0/\(zone.rawValue)"])
            }
            var counters: [String: Int64] = [:]
            for (i, name) in header.enumerated() where !skip.contains(i) {
                if let v = Int64(row[i]) { counters[name] = v }
            }
            samples.append(Sample(time: t, zones: zs, counters: counters))
            if let p = phaseIndex.map({ String(row[$0]) }), p != lastPhase {
                markers.append(Marker(time: t, label: p))
                lastPhase = p
            }
        }
        return (samples, markers)
    }

    /// The run as a replayed timeline: samples, phase markers and the parsed trace events.
    public static func timeline(run: String, trace: TraceChoice = .best) throws -> Timeline {
        let (samples, markers) = try samples(run: run)
        let events = TraceLineParser.parse(text: try traceText(run: run, choice: trace)).events
        return Timeline(
            machine: MachineDescription(
                engine: "replay", summary: "fixture run \(run) (Linux 6.18.44, 24 GiB KVM guest)"),
            samples: samples, events: events, markers: markers)
    }

    /// The run named `run` or by its prefix (`D6b`), as the chart tests read it: samples and phase markers,
    /// and with `includeTrace` the events of `trace_pipe.txt` when the whole capture was kept, else of
    /// `trace_pipe.milestones.txt` (every wake, sleep, wakeup, direct-reclaim and oom line of the raw capture).
    public static func timeline(run: String, includeTrace: Bool) throws -> Timeline {
        let name = try resolve(run)
        let files = traceFiles(run: name)
        let choice: TraceChoice =
            !includeTrace
            ? .none
            : files.contains("trace_pipe.txt") ? .file("trace_pipe.txt") : .file("trace_pipe.milestones.txt")
        var t = try timeline(run: name, trace: choice)
        t.machine = MachineDescription(
            engine: "live", summary: "Linux 6.18.44 x86_64 KVM guest, 24 GiB, fixture \(name)")
        return t
    }

    /// The run folder whose name is `run` or starts with `run` followed by `-`.
    static func resolve(_ run: String) throws -> String {
        let all = Fixtures.runs
        if all.contains(run) { return run }
        let hits = all.filter { $0.hasPrefix(run + "-") }
        guard hits.count == 1, let hit = hits.first else {
            throw FixtureError(
                description: "no single fixture run named '\(run)'; runs: \(all.joined(separator: ", "))")
        }
        return hit
    }
}
