/// The ranges a timeline read from outside (a recording for `replay`) must keep to, so everything downstream —
/// the chart, the explainer and lesson checks — computes with it without overflow and every span is finite:
/// times finite within `Limits.maxTime`, page counts 0…`Limits.maxPages`, protection 0…`Limits.maxProtection`,
/// counters 0…`Limits.maxCounter`, nodes, pids and CPUs as a kernel numbers them, texts of a bounded length.
/// Each check returns what is wrong, naming the field and the rule, or nil.
public enum TimelineBounds {
    /// The longest marker label, event payload, machine summary or task name kept.
    public static let maxText = 65_536
    /// The most zones in one sample (64 nodes of five zones) and counters in one sample.
    public static let maxZones = 320
    public static let maxCounters = 4096

    /// What is wrong with a time, or nil.
    public static func problem(time t: Double, field: String = "t_s") -> String? {
        guard t.isFinite, abs(t) <= Limits.maxTime else {
            return "\"\(field)\" is \(t); times must be finite seconds within ±\(Int(Limits.maxTime))"
        }
        return nil
    }

    /// What is wrong with a sample, or nil.
    public static func problem(in sample: Sample, keys: RecordingKeys = .version2) -> String? {
        if let p = problem(time: sample.time, field: keys.time) { return p }
        if sample.zones.count > maxZones { return "\"zones\" lists \(sample.zones.count) zones; at most \(maxZones)" }
        for (i, z) in sample.zones.enumerated() {
            let at = "zones[\(i)]"
            guard Limits.kernelNodes.contains(z.node) else {
                return "\"\(at).node\" is \(z.node); nodes are numbered 0…\(Limits.kernelNodes.upperBound)"
            }
            for (name, value) in [
                ("free", z.free), ("min", z.min), ("low", z.low), ("high", z.high),
                ("managed", z.managed),
            ]
            where value.count < 0 || value.count > Limits.maxPages {
                return "\"\(at).\(keys.pages(name))\" is \(value.count); page counts are 0…\(Limits.maxPages)"
            }
            if let protection = z.protection {
                let key = "\(at).\(keys.pages("protection"))"
                guard protection.count <= ZoneType.allCases.count + 3 else {
                    return "\"\(key)\" has \(protection.count) entries; at most one per zone type"
                }
                for v in protection where v < 0 || v > Limits.maxProtection {
                    return "\"\(key)\" holds \(v); protection is 0…\(Limits.maxProtection) pages"
                }
            }
        }
        if sample.counters.count > maxCounters {
            return "\"counters\" has \(sample.counters.count) entries; at most \(maxCounters)"
        }
        for (name, value) in sample.counters {
            if name.utf8.count > 128 { return "a counter name is \(name.utf8.count) bytes long; at most 128" }
            guard value >= 0, value <= Limits.maxCounter else {
                return "\"counters.\(name)\" is \(value); counters are 0…\(Limits.maxCounter)"
            }
        }
        return nil
    }

    /// What is wrong with an event, or nil.
    public static func problem(in event: TraceEvent, keys: RecordingKeys = .version2) -> String? {
        if let p = problem(time: event.time, field: keys.time) { return p }
        guard (0...Limits.maxPID).contains(event.pid) else {
            return "\"pid\" is \(event.pid); pids are 0…\(Limits.maxPID)"
        }
        guard (0...Limits.maxCPU).contains(event.cpu) else {
            return "\"cpu\" is \(event.cpu); CPUs are numbered 0…\(Limits.maxCPU)"
        }
        for (name, text) in [
            ("comm", event.comm), ("name", event.name), ("flags", event.flags ?? ""),
            ("payload", event.payload),
        ]
        where text.utf8.count > maxText {
            return "\"\(name)\" is \(text.utf8.count) bytes long; at most \(maxText)"
        }
        return nil
    }

    /// What is wrong with a marker, or nil.
    public static func problem(in marker: Marker, keys: RecordingKeys = .version2) -> String? {
        if let p = problem(time: marker.time, field: keys.time) { return p }
        guard marker.label.utf8.count <= maxText else {
            return "\"label\" is \(marker.label.utf8.count) bytes long; at most \(maxText)"
        }
        return nil
    }

    /// The rule a recording's integer field `key` keeps to, for messages.
    static func rule(forKey key: String) -> String {
        switch key.hasSuffix("_pages") && key != "swap_pages" ? String(key.dropLast(6)) : key {
        case "free", "min", "low", "high", "managed": return "page counts are whole numbers 0…\(Limits.maxPages)"
        case "protection": return "protection is whole numbers 0…\(Limits.maxProtection)"
        case "node": return "nodes are numbered 0…\(Limits.kernelNodes.upperBound)"
        case "pid": return "pids are whole numbers 0…\(Limits.maxPID)"
        case "cpu": return "CPUs are numbered 0…\(Limits.maxCPU)"
        case "version", "min_free_kbytes", "watermark_scale_factor", "swappiness", "swap_pages":
            return "it is a whole number"
        default: return "counters are whole numbers 0…\(Limits.maxCounter)"
        }
    }

    /// For a line that `JSONDecoder` refused as "not valid JSON" (Foundation says no more for a number that does not
    /// fit its field): the first number that is not a whole 64-bit integer where one is needed (every key but
    /// the time, `keys.time`), named with its key and the rule; nil when no such number is found.
    public static func numberProblem(inLine line: Substring, keys: RecordingKeys = .version2) -> String? {
        var key: String?
        var lastString: String?
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if c == "\"" {
                // A string: remember it, in case a ':' makes it a key.
                var j = line.index(after: i)
                var text = ""
                while j < line.endIndex, line[j] != "\"" {
                    if line[j] == "\\" { j = line.index(after: j); if j == line.endIndex { break } }
                    text.append(line[j])
                    j = line.index(after: j)
                }
                lastString = text
                i = j < line.endIndex ? line.index(after: j) : j
                continue
            }
            if c == ":" {
                key = lastString
            } else if c == "-" || c.isASCII && c.isNumber {
                var j = i
                while j < line.endIndex, "+-.eE0123456789".contains(line[j]) { j = line.index(after: j) }
                let number = line[i..<j]
                if key != keys.time {
                    let name = key ?? "?"
                    if number.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
                        return "\"\(name)\" is \(number); \(rule(forKey: name))"
                    }
                    if Int64(number) == nil {
                        return "\"\(name)\" is \(number), beyond 64 bits; \(rule(forKey: name))"
                    }
                }
                i = j
                continue
            }
            i = line.index(after: i)
        }
        return nil
    }
}
