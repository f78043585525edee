/// One tracepoint hit, shaped like a `trace_pipe` line:
/// `<comm>-<pid> [<cpu>] <flags> <timestamp>: <event>: <payload>`.
///
/// Simulated events use the kernel's own names and payload formats (`mm_vmscan_kswapd_wake: nid=0 order=0`),
/// so code that reads a timeline cannot tell a simulated trace from a real one.
public struct TraceEvent: Hashable, Sendable, Codable {
    /// Seconds on the timeline's clock (`CLOCK_MONOTONIC` for live traces with `trace_clock=mono`).
    public var time: Double
    /// The task name, at most 15 characters, may contain spaces and dashes; `<...>` when unknown.
    public var comm: String
    public var pid: Int
    public var cpu: Int
    /// The irq-info flags column (4 or 5 characters), or nil when the line had none.
    public var flags: String?
    /// The event name as printed, without the system (`mm_vmscan_kswapd_wake`, `mark_victim`).
    public var name: String
    /// Everything after `<event>: `, as printed.
    public var payload: String

    public init(
        time: Double, comm: String, pid: Int, cpu: Int = 0, flags: String? = nil, name: String, payload: String
    ) {
        self.time = time
        self.comm = comm
        self.pid = pid
        self.cpu = cpu
        self.flags = flags
        self.name = name
        self.payload = payload
    }

    /// The value of `key=` in the payload (`nid`, `order`, `gfp_flags`, …), nil when absent.
    /// Tolerates `key:value` as printed by some oom events (`file-rss:12kB`).
    public func field(_ key: String) -> Substring? {
        var rest = payload[...]
        while !rest.isEmpty {
            let tokenEnd = rest.firstIndex(of: " ") ?? rest.endIndex
            let token = rest[rest.startIndex..<tokenEnd]
            if let sep = token.firstIndex(where: { $0 == "=" || $0 == ":" }), token[token.startIndex..<sep] == key {
                return token[token.index(after: sep)...]
            }
            rest = tokenEnd == rest.endIndex ? "" : rest[rest.index(after: tokenEnd)...]
        }
        return nil
    }

    /// The integer value of `key=`; accepts decimal and `0x` hex.
    public func intField(_ key: String) -> Int64? {
        guard let v = field(key) else { return nil }
        if v.hasPrefix("0x") { return Int64(v.dropFirst(2), radix: 16) }
        return Int64(v)
    }

    /// The line as `trace_pipe` prints it in 6.x (`%16s-%-7d [%03d] FLAGS %5lu.%06lu: event: payload`).
    public var traceLine: String {
        let head = "\(comm)-\(pid)"
        let padded = String(repeating: " ", count: Swift.max(0, 16 + 1 + 7 - head.count)) + head
        let cpuText = String(cpu)
        let cpuField = String(repeating: "0", count: Swift.max(0, 3 - cpuText.count)) + cpuText
        let micros = Int64((time * 1_000_000).rounded())
        let secs = micros / 1_000_000
        let frac = String(micros % 1_000_000)
        let fracField = String(repeating: "0", count: 6 - frac.count) + frac
        let secField = String(repeating: " ", count: Swift.max(0, 5 - String(secs).count)) + String(secs)
        return "\(padded) [\(cpuField)] \(flags ?? ".....") \(secField).\(fracField): \(name): \(payload)"
    }
}
