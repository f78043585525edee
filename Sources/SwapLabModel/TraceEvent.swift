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
        guard let r = fieldRange(key) else { return nil }
        let utf8 = payload.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: r.start)
        return payload[start..<utf8.index(start, offsetBy: r.end - r.start)]
    }

    /// The integer value of `key=`; accepts decimal and `0x` hex.
    public func intField(_ key: String) -> Int64? {
        withPayloadBytes { p -> Int64? in
            guard let r = Self.fieldRange(key, in: p) else { return nil }
            if r.end - r.start >= 2, p[r.start] == 0x30, p[r.start + 1] == 0x78 {  // `0x`
                return ASCIINumber.int64(p, r.start + 2, r.end, radix: 16)
            }
            return ASCIINumber.int64(p, r.start, r.end)
        }
    }

    /// Whether the payload holds `needle` anywhere (`RECLAIM_WB_ANON` in a `flags=` value).
    public func payloadContains(_ needle: StaticString) -> Bool {
        withPayloadBytes { p in
            let n = needle.utf8CodeUnitCount
            guard n > 0 else { return true }
            guard p.count >= n else { return false }
            // From the end: the flags a reader looks for close the kernel's payloads.
            let q = needle.utf8Start
            var i = p.count - n
            while i >= 0 {
                if p[i] == q[0] {
                    var j = 1
                    while j < n, p[i + j] == q[j] { j += 1 }
                    if j == n { return true }
                }
                i -= 1
            }
            return false
        }
    }

    /// The payload's UTF-8 bytes, without a copy for the native strings the parser makes.
    @inline(__always)
    func withPayloadBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let r = payload.utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return r }
        var copy = payload
        return copy.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    /// Byte offsets in the payload of the value of `key`: the tokens are split at single spaces, and the first
    /// token whose text before its first `=` or `:` is `key` gives the rest of the token.
    func fieldRange(_ key: String) -> (start: Int, end: Int)? {
        withPayloadBytes { Self.fieldRange(key, in: $0) }
    }

    @inline(__always)
    static func fieldRange(_ key: String, in p: UnsafeRawBufferPointer) -> (start: Int, end: Int)? {
        var key = key
        key.makeContiguousUTF8()  // a no-op for native and small strings
        let found = key.utf8.withContiguousStorageIfAvailable { k -> (start: Int, end: Int)? in
            var tokenStart = 0
            let end = p.count
            while tokenStart < end {
                var tokenEnd = tokenStart
                while tokenEnd < end, p[tokenEnd] != 0x20 { tokenEnd += 1 }
                var sep = tokenStart
                while sep < tokenEnd, p[sep] != 0x3D, p[sep] != 0x3A { sep += 1 }  // `=`, `:`
                if sep < tokenEnd, sep - tokenStart == k.count {
                    var same = true
                    for i in 0..<k.count where p[tokenStart + i] != k[i] {
                        same = false
                        break
                    }
                    if same { return (sep + 1, tokenEnd) }
                }
                tokenStart = tokenEnd + 1
            }
            return nil
        }
        return found ?? nil
    }

    /// The line as `trace_pipe` prints it in 6.x (`%16s-%-7d [%03d] FLAGS %5lu.%06lu: event: payload`).
    public var traceLine: String {
        let head = "\(comm)-\(pid)"
        let padded = String(repeating: " ", count: Swift.max(0, 16 + 1 + 7 - head.count)) + head
        let cpuText = String(cpu)
        let cpuField = String(repeating: "0", count: Swift.max(0, 3 - cpuText.count)) + cpuText
        // A counter clock's raw integer may be beyond Int64 microseconds: then whole units, as printed.
        let micros = Int64(exactly: (time * 1_000_000).rounded())
        let secs = micros.map { String($0 / 1_000_000) } ?? String(format: "%.0f", time.rounded(.down))
        let frac = micros.map { String($0 % 1_000_000) } ?? "0"
        let fracField = String(repeating: "0", count: Swift.max(0, 6 - frac.count)) + frac
        let secField = String(repeating: " ", count: Swift.max(0, 5 - secs.count)) + secs
        return "\(padded) [\(cpuField)] \(flags ?? ".....") \(secField).\(fracField): \(name): \(payload)"
    }
}
