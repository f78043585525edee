import Foundation
import SwapLabCore

/// A captured fixture run (`runs/<name>/`) turned into a `Timeline`, so tests can chart, explain, record and
/// replay real runs.
public enum FixtureRun {
    /// What went wrong reading a run, with the file and line.
    public struct ReadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Counters of `samples.csv` that are `/proc/vmstat` fields (the rest are meminfo `mi_*`, PSI, zone columns and
    /// the capture's own bookkeeping).
    static let notVmstat: Set<String> = [
        "t", "phase", "kswapd_state", "kswapd_ticks", "psi_some_avg10", "psi_some_total", "psi_full_avg10",
        "psi_full_total",
    ]

    /// The timeline of fixture run `run` (a folder name under `runs/`, or a unique prefix such as `D6b`).
    ///
    /// Samples come from `samples.csv` (per-zone free/min/low/high/managed in pages, every vmstat counter);
    /// each change of the `phase` column becomes a marker named after the phase (`balloon`, `hog`, …), so
    /// `chart --since hog` works on it. With `includeTrace`, events come from `trace_pipe.txt` when the whole
    /// capture was kept, else from `trace_pipe.milestones.txt` (every wake, sleep, wakeup, direct-reclaim and oom
    /// line of the raw capture).
    public static func timeline(run: String, includeTrace: Bool = true) throws -> Timeline {
        let name = try resolve(run)
        let csvPath = "runs/\(name)/samples.csv"
        let csv = try Fixtures.text(csvPath)
        var lines = csv.split(whereSeparator: \.isNewline)
        guard !lines.isEmpty else { throw ReadError(description: "\(csvPath) is empty") }
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let column = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        guard let tIndex = column["t"] else { throw ReadError(description: "\(csvPath): no 't' column") }
        let zones = ZoneType.allCases.filter { column["\($0.rawValue)_free"] != nil }
        let counterNames = header.filter { name in
            !notVmstat.contains(name) && !name.hasPrefix("mi_")
                && !zones.contains(where: { name.hasPrefix($0.rawValue + "_") })
        }
        var samples: [Sample] = []
        var markers: [Marker] = []
        var lastPhase: String?
        for (i, line) in lines.enumerated() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            func int(_ key: String) throws -> Int64 {
                guard let c = column[key], c < f.count, let v = Int64(f[c]) else {
                    throw ReadError(description: "\(csvPath) line \(i + 2): '\(key)' is not a whole number")
                }
                return v
            }
            guard tIndex < f.count, let t = Double(f[tIndex]) else {
                throw ReadError(description: "\(csvPath) line \(i + 2): 't' is not a number")
            }
            var zs: [ZoneSample] = []
            for z in zones {
                let p = z.rawValue + "_"
                zs.append(
                    ZoneSample(
                        node: 0, zone: z, free: Pages(try int(p + "free")), min: Pages(try int(p + "min")),
                        low: Pages(try int(p + "low")), high: Pages(try int(p + "high")),
                        managed: Pages(try int(p + "managed"))))
            }
            var counters: [String: Int64] = [:]
            for n in counterNames { counters[n] = try int(n) }
            samples.append(Sample(time: t, zones: zs, counters: counters))
            if let c = column["phase"], c < f.count {
                let phase = String(f[c])
                if phase != lastPhase {
                    markers.append(Marker(time: t, label: phase))
                    lastPhase = phase
                }
            }
        }
        var events: [TraceEvent] = []
        if includeTrace {
            for file in ["trace_pipe.txt", "trace_pipe.milestones.txt"] {
                let path = "runs/\(name)/\(file)"
                if FileManager.default.fileExists(atPath: Fixtures.url(path).path) {
                    events = FixtureTraceLines.events(in: try Fixtures.text(path))
                    break
                }
            }
        }
        let machine = MachineDescription(
            engine: "live", summary: "Linux 6.18.44 x86_64 KVM guest, 24 GiB, fixture \(name)")
        return Timeline(machine: machine, samples: samples, events: events, markers: markers)
    }

    /// The run folder whose name is `run` or starts with `run` followed by `-`.
    static func resolve(_ run: String) throws -> String {
        let all = Fixtures.runs
        if all.contains(run) { return run }
        let hits = all.filter { $0.hasPrefix(run + "-") }
        guard hits.count == 1, let hit = hits.first else {
            throw ReadError(description: "no single fixture run named '\(run)'; runs: \(all.joined(separator: ", "))")
        }
        return hit
    }
}

/// A small, tolerant splitter of `trace_pipe` lines, for tests only (the real parser is `TraceLineParser` in
/// Kernel/). Lines it cannot read are skipped.
public enum FixtureTraceLines {
    /// The events of every readable line of `text`.
    public static func events(in text: String) -> [TraceEvent] {
        text.split(whereSeparator: \.isNewline).compactMap { event(in: $0) }
    }

    /// One line: `<comm>-<pid> [<cpu>] <flags> <secs>.<usecs>: <event>: <payload>`.
    public static func event(in line: Substring) -> TraceEvent? {
        guard let open = line.range(of: " ["), let close = line[open.upperBound...].firstIndex(of: "]") else {
            return nil
        }
        let task = line[..<open.lowerBound].trimmingCharacters(in: .whitespaces)
        guard let dash = task.lastIndex(of: "-"), let pid = Int(task[task.index(after: dash)...]),
            let cpu = Int(line[open.upperBound..<close])
        else { return nil }
        let comm = String(task[..<dash])
        var rest = line[line.index(after: close)...].drop { $0 == " " }
        var flags: String?
        let words = rest.split(separator: " ", maxSplits: 1)
        if let w = words.first, !w.hasSuffix(":") {
            flags = String(w)
            rest = (words.count > 1 ? words[1] : "").drop { $0 == " " }
        }
        guard let colon = rest.firstIndex(of: ":"), let time = Double(rest[..<colon]) else { return nil }
        let after = rest[rest.index(after: colon)...].drop { $0 == " " }
        guard let nameEnd = after.range(of: ": ") ?? after.range(of: ":") else { return nil }
        let name = String(after[..<nameEnd.lowerBound])
        let payload = String(after[nameEnd.upperBound...])
        return TraceEvent(time: time, comm: comm, pid: pid, cpu: cpu, flags: flags, name: name, payload: payload)
    }
}
