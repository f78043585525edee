import Foundation

/// Parses `trace_pipe` text into `TraceEvent`s, byte by byte, without regular expressions.
///
/// Accepts the line prefixes of Linux 4.x–6.x as `trace_print_context()` and `trace_print_lat_fmt()` in
/// kernel/trace/trace_output.c print them (`reference/kernel.md` §3.2):
///
///     <comm>-<pid> [(<tgid>)] [<cpu>] [<flags>] <timestamp>: <event>: <payload>
///
/// - comm is right-aligned in 16 columns, may contain spaces and dashes, may be `<...>` or empty;
///   the pid is the digits after the **last** `-` before the `(tgid)` or `[cpu]` column;
/// - the `(tgid)` column (`options/record-tgid`) is optional and may be `(-------)`;
/// - flags (`options/irq-info`) are 4 characters (≤ 5.4), 5 (≥ 5.15), or absent;
/// - the timestamp is `%5lu.%06lu` seconds, or a raw integer for counter clocks (kept as its value);
/// - the event name may carry a `system:` prefix (stripped) and the payload may be empty.
///
/// Lines that are not events (`# …` headers, blank lines, `CPU:N [LOST N EVENTS]`) give no event:
/// they are counted in `skipped`, and the events the ring buffer dropped are added up in `lost`.
///
/// Numbers are bounded where they enter (issue 14): a line shaped like an event whose timestamp, pid or CPU no
/// kernel prints, or that is longer than any line `trace_pipe` prints, is refused (`Refusals`, counted in
/// `skipped` too) instead of being read with a wrapped or absurd value; lost-event counts add up without
/// overflow (held at `Int.max`, `lostIsLowerBound` then says so).
///
/// A parser keeps a few interned event names so that repeated names cost no allocation; use one
/// parser per stream (it is a value: no shared state).
public struct TraceLineParser: Sendable {
    /// Lines seen that were not events (headers, blank, lost-event notices, unparsable text).
    public private(set) var skipped = 0
    /// Events the kernel reported as lost (`CPU:N [LOST N EVENTS]`), added up; held at `Int.max` when they add up
    /// beyond it.
    public private(set) var lost = 0
    /// True when `lost` was held at `Int.max` (the notices add up past 64 bits): it is then a lower bound.
    public private(set) var lostIsLowerBound = false
    /// Event-shaped lines refused for a number or a length no kernel prints (also counted in `skipped`).
    public private(set) var refused = Refusals()
    /// Event lines parsed.
    public private(set) var parsed = 0

    /// Interned event names: bytes and the String made from them once.
    private var names: [(bytes: [UInt8], text: String)] = []
    /// Interned short comms (most lines come from a few tasks).
    private var comms: [(bytes: [UInt8], text: String)] = []

    public init() {}

    /// What one line holds.
    public enum Line: Equatable, Sendable {
        case event(TraceEvent)
        /// `CPU:N [LOST N EVENTS]`: the ring buffer overwrote N events on that CPU (held at `Int.max`).
        case lost(cpu: Int, count: Int)
        /// A line shaped like an event, refused for a value no kernel prints.
        case refused(Refusal)
        /// A `#` header, a blank line, or text that is not an event.
        case other
    }

    /// Why an event-shaped line was refused.
    public enum Refusal: String, Sendable, CaseIterable {
        /// Longer than `maxLineBytes`.
        case length
        /// A timestamp beyond 64 bits, or seconds beyond `maxWholeSeconds`.
        case time
        /// A pid beyond `Limits.maxPID`.
        case pid
        /// A CPU number beyond `Limits.maxCPU`.
        case cpu
    }

    /// Refused lines, by reason.
    public struct Refusals: Equatable, Sendable {
        public var length = 0
        public var time = 0
        public var pid = 0
        public var cpu = 0

        public init(length: Int = 0, time: Int = 0, pid: Int = 0, cpu: Int = 0) {
            self.length = length
            self.time = time
            self.pid = pid
            self.cpu = cpu
        }

        public var total: Int { length + time + pid + cpu }

        public mutating func count(_ r: Refusal) {
            switch r {
            case .length: length += 1
            case .time: time += 1
            case .pid: pid += 1
            case .cpu: cpu += 1
            }
        }
    }

    /// The longest line `trace_pipe` can print: one `struct trace_seq` holds a whole line, prefix and payload
    /// (include/linux/trace_seq.h: `PAGE_SIZE` until 6.7, `PAGE_SIZE * 2` in 6.8, 8 KiB since 6.9), so 128 KiB
    /// with 64 KiB pages is the most any kernel prints. Longer lines are refused, and `TraceFile` skips them
    /// without holding them in memory.
    public static let maxLineBytes = 128 * 1024

    /// The largest whole seconds a `%5lu.%06lu` timestamp can show: the kernel divides a u64 of nanoseconds
    /// (`ns2usecs()` in kernel/trace/trace_output.c), so at most 18,446,744,073 s. Counter clocks print a raw
    /// integer instead, any u64. Every time read is therefore finite and below 2^64.
    public static let maxWholeSeconds: UInt64 = UInt64.max / 1_000_000_000

    // MARK: Entry points

    /// The events in a whole `trace_pipe` text, with the count of non-event lines and of lost events.
    public static func parse(text: String) -> (events: [TraceEvent], skipped: Int, lost: Int) {
        var parser = TraceLineParser()
        var events: [TraceEvent] = []
        var text = text
        text.withUTF8 { bytes in
            let raw = UnsafeRawBufferPointer(bytes)
            let used = parser.parse(buffer: raw) { events.append($0) }
            if used < raw.count {
                // The last line had no newline.
                if case .event(let e) = parser.classify(UnsafeRawBufferPointer(rebasing: raw[used...])) {
                    events.append(e)
                }
            }
        }
        return (events, parser.skipped, parser.lost)
    }

    /// The event on one line (with or without its newline), or nil for headers, blank and lost-event lines.
    public static func parse(line: String) -> TraceEvent? {
        var parser = TraceLineParser()
        return parser.parse(line: line)
    }

    /// The event on one line, or nil (counted in `skipped` / `lost`).
    public mutating func parse(line: String) -> TraceEvent? {
        var line = line
        return line.withUTF8 { bytes in
            if case .event(let e) = classify(UnsafeRawBufferPointer(bytes)) { return e }
            return nil
        }
    }

    /// Parses every complete (newline-terminated) line in `buffer`, calling `emit` for each event, and
    /// returns how many bytes it consumed: keep the rest (a partial line) for the next read. For the
    /// live reader of `trace_pipe`.
    public mutating func parse(buffer: UnsafeRawBufferPointer, emit: (TraceEvent) -> Void) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        var start = 0
        let end = buffer.count
        while start < end {
            guard let nl = memchr(base + start, 0x0A, end - start) else { break }
            let lineEnd = base.distance(to: UnsafeRawPointer(nl))
            let line = UnsafeRawBufferPointer(start: base + start, count: lineEnd - start)
            if case .event(let e) = classify(line) { emit(e) }
            start = lineEnd + 1
        }
        return start
    }

    /// Classifies one line given as UTF-8 bytes (a trailing `\n` or `\r\n` is ignored) and counts it.
    public mutating func classify(_ line: UnsafeRawBufferPointer) -> Line {
        let result = Self.scan(line, names: &names, comms: &comms)
        switch result {
        case .event: parsed += 1
        case .lost(_, let n):
            skipped += 1
            let (sum, overflow) = lost.addingReportingOverflow(n)
            if overflow || n == .max {
                lost = .max
                lostIsLowerBound = true
            } else {
                lost = sum
            }
        case .refused(let why):
            skipped += 1
            refused.count(why)
        case .other: skipped += 1
        }
        return result
    }

    /// Counts a line longer than `maxLineBytes` that the caller skipped without handing it over (`TraceFile`).
    public mutating func countSkippedLongLine() {
        skipped += 1
        refused.count(.length)
    }

    // MARK: The scanner

    private static let space: UInt8 = 0x20
    private static let tab: UInt8 = 0x09
    private static let colon: UInt8 = 0x3A
    private static let dash: UInt8 = 0x2D
    private static let dot: UInt8 = 0x2E

    @inline(__always) private static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inline(__always) private static func isBlank(_ b: UInt8) -> Bool { b == space || b == tab }

    /// Decodes one line: the prefix columns left to right (`cpuColumn`, `taskColumn`, `flagsColumn`, `timestamp`),
    /// then the event name and the payload. The indices are byte offsets into `line`.
    private static func scan(
        _ line: UnsafeRawBufferPointer, names: inout [(bytes: [UInt8], text: String)],
        comms: inout [(bytes: [UInt8], text: String)]
    ) -> Line {
        var end = line.count
        if end > maxLineBytes { return .refused(.length) }
        while end > 0, line[end - 1] == 0x0A || line[end - 1] == 0x0D || isBlank(line[end - 1]) { end -= 1 }
        var i = 0
        while i < end, isBlank(line[i]) { i += 1 }
        if i == end || line[i] == 0x23 { return .other }  // blank or `#` header
        if let lost = lostEvents(line, from: i, to: end) { return lost }

        guard let cpu = cpuColumn(line, from: i, to: end) else { return .other }
        guard let task = taskColumn(line, from: i, to: cpu.open) else { return .other }
        let comm = intern(line, from: i, to: task.pidStart - 1, table: &comms)
        guard let flags = flagsColumn(line, from: cpu.after, to: end),
            let stamp = timestamp(line, from: flags.next, to: end),
            let name = eventName(line, from: stamp.next, to: end)
        else { return .other }
        if stamp.tooLarge { return .refused(.time) }
        if task.pid > Limits.maxPID { return .refused(.pid) }
        if cpu.number > Limits.maxCPU { return .refused(.cpu) }
        let nameText = intern(line, from: name.start, to: name.end, table: &names)
        var q = name.end + 1
        while q < end, isBlank(line[q]) { q += 1 }
        let payload = q < end ? String(decoding: UnsafeRawBufferPointer(rebasing: line[q..<end]), as: UTF8.self) : ""
        return .event(
            TraceEvent(
                time: stamp.time, comm: comm, pid: task.pid, cpu: cpu.number, flags: flags.text, name: nameText,
                payload: payload))
    }

    /// The cpu column: the first `[digits]` preceded by a blank after `from`. Its `[`, the number (held at
    /// `Limits.maxCPU + 1`), and the index after its `]`; nil when the line has none.
    @inline(__always)
    private static func cpuColumn(
        _ line: UnsafeRawBufferPointer, from i: Int, to end: Int
    ) -> (open: Int, number: Int, after: Int)? {
        var cpuOpen = -1
        var j = i + 1
        while j < end {
            if line[j] == 0x5B, isBlank(line[j - 1]) {  // `[`
                var k = j + 1
                while k < end, isDigit(line[k]) { k += 1 }
                if k > j + 1, k < end, line[k] == 0x5D { cpuOpen = j; break }  // `]`
            }
            j += 1
        }
        guard cpuOpen > 0 else { return nil }
        var cpu = 0
        var k = cpuOpen + 1
        while line[k] != 0x5D {
            cpu = Swift.min(cpu * 10 + Int(line[k] &- 0x30), Limits.maxCPU + 1)
            k += 1
        }
        return (cpuOpen, cpu, k + 1)
    }

    /// Before the cpu column: `<comm>-<pid>` and an optional `(tgid)` column. Where the pid's digits start (the comm
    /// ends at the dash before them) and the pid (held at `Limits.maxPID + 1`); nil when there is no `-<pid>`.
    @inline(__always)
    private static func taskColumn(
        _ line: UnsafeRawBufferPointer, from i: Int, to cpuOpen: Int
    ) -> (pidStart: Int, pid: Int)? {
        var headEnd = cpuOpen
        while headEnd > i, isBlank(line[headEnd - 1]) { headEnd -= 1 }
        if headEnd > i, line[headEnd - 1] == 0x29 {  // `)`
            var p = headEnd - 1
            while p > i, line[p] != 0x28 { p -= 1 }  // `(`
            if line[p] == 0x28 {
                headEnd = p
                while headEnd > i, isBlank(line[headEnd - 1]) { headEnd -= 1 }
            }
        }
        var pidStart = headEnd
        while pidStart > i, isDigit(line[pidStart - 1]) { pidStart -= 1 }
        guard pidStart < headEnd, pidStart - 1 >= i, line[pidStart - 1] == dash else { return nil }
        var pid = 0
        for p in pidStart..<headEnd { pid = Swift.min(pid * 10 + Int(line[p] &- 0x30), Limits.maxPID + 1) }
        return (pidStart, pid)
    }

    /// After the cpu column: the optional flags (4 or 5 characters before a blank) and where the timestamp starts;
    /// nil when a token other than the timestamp has another length.
    @inline(__always)
    private static func flagsColumn(
        _ line: UnsafeRawBufferPointer, from afterCPU: Int, to end: Int
    ) -> (text: String?, next: Int)? {
        var p = afterCPU
        while p < end, isBlank(line[p]) { p += 1 }
        var tokenEnd = p
        while tokenEnd < end, !isBlank(line[tokenEnd]), line[tokenEnd] != colon { tokenEnd += 1 }
        guard tokenEnd < end, line[tokenEnd] != colon else { return (nil, p) }
        let n = tokenEnd - p
        guard n == 4 || n == 5 else { return nil }
        let flags = String(decoding: UnsafeRawBufferPointer(rebasing: line[p..<tokenEnd]), as: UTF8.self)
        p = tokenEnd
        while p < end, isBlank(line[p]) { p += 1 }
        return (flags, p)
    }

    /// The timestamp: digits [. digits] `:`; a u64 (counter clocks), or seconds up to `maxWholeSeconds` (else
    /// `tooLarge`). Its value and where the event name starts (after the `:` and blanks); nil when malformed.
    @inline(__always)
    private static func timestamp(
        _ line: UnsafeRawBufferPointer, from start: Int, to end: Int
    ) -> (time: Double, tooLarge: Bool, next: Int)? {
        var p = start
        var secs: UInt64 = 0
        var tooLarge = false
        while p < end, isDigit(line[p]) {
            let (m, o1) = secs.multipliedReportingOverflow(by: 10)
            let (v, o2) = m.addingReportingOverflow(UInt64(line[p] &- 0x30))
            if o1 || o2 { tooLarge = true }
            secs = v
            p += 1
        }
        guard p > start, p < end else { return nil }
        var time = Double(secs)
        if line[p] == dot {
            p += 1
            // The kernel prints 6 (or 9) decimals; further digits are read but add nothing.
            var frac: UInt64 = 0
            var scale: UInt64 = 1
            while p < end, isDigit(line[p]) {
                if scale < 1_000_000_000 {
                    frac = frac * 10 + UInt64(line[p] &- 0x30)
                    scale *= 10
                }
                p += 1
            }
            time += Double(frac) / Double(scale)
            if secs > maxWholeSeconds { tooLarge = true }
        }
        guard p < end, line[p] == colon else { return nil }
        p += 1
        while p < end, isBlank(line[p]) { p += 1 }
        return (time, tooLarge, p)
    }

    /// The event name, up to `: ` (or `:` at the end of the line), without a `system:` prefix; `end` is the index of
    /// its closing `:`. Nil when there is none or the name is empty.
    @inline(__always)
    private static func eventName(
        _ line: UnsafeRawBufferPointer, from nameStart: Int, to end: Int
    ) -> (start: Int, end: Int)? {
        var p = nameStart
        var nameEnd = -1
        var lastColonInName = -1
        while p < end {
            if line[p] == colon {
                if p + 1 == end || isBlank(line[p + 1]) { nameEnd = p; break }
                lastColonInName = p
            } else if isBlank(line[p]) {
                break
            }
            p += 1
        }
        guard nameEnd > nameStart else { return nil }
        return (lastColonInName >= 0 ? lastColonInName + 1 : nameStart, nameEnd)
    }

    /// `CPU:%d [LOST %lu EVENTS]` (kernel/trace/trace.c `print_trace_line()` / `trace_pipe` lost notice).
    private static func lostEvents(_ line: UnsafeRawBufferPointer, from i: Int, to end: Int) -> Line? {
        guard end - i >= 4, line[i] == 0x43, line[i + 1] == 0x50, line[i + 2] == 0x55, line[i + 3] == colon else {
            return nil
        }
        var p = i + 4
        var cpu = 0
        while p < end, isDigit(line[p]) {
            cpu = Swift.min(cpu * 10 + Int(line[p] &- 0x30), Limits.maxCPU + 1)
            p += 1
        }
        let marker: [UInt8] = Array(" [LOST ".utf8)
        guard end - p >= marker.count else { return nil }
        for (o, b) in marker.enumerated() where line[p + o] != b { return nil }
        p += marker.count
        // `%lu` may exceed Int: held at Int.max, which `classify` reports as a lower bound.
        var n = 0
        while p < end, isDigit(line[p]) {
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (v, o2) = m.addingReportingOverflow(Int(line[p] &- 0x30))
            n = o1 || o2 ? .max : v
            p += 1
        }
        return .lost(cpu: cpu, count: n)
    }

    /// The String for bytes `from..<to`, reusing one made before for the same bytes.
    @inline(__always)
    private static func intern(
        _ line: UnsafeRawBufferPointer, from: Int, to: Int, table: inout [(bytes: [UInt8], text: String)]
    ) -> String {
        let count = to - from
        if count <= 0 { return "" }
        let slice = UnsafeRawBufferPointer(rebasing: line[from..<to])
        guard let sliceBase = slice.baseAddress else { return "" }
        for entry in table where entry.bytes.count == count {
            let same = entry.bytes.withUnsafeBytes { stored in
                stored.baseAddress.map { memcmp($0, sliceBase, count) == 0 } ?? false
            }
            if same { return entry.text }
        }
        let s = String(decoding: slice, as: UTF8.self)
        // Kernel comms and event names are short; a long one is not kept (it would only slow every lookup).
        if table.count < 64 && count <= 64 { table.append((Array(slice), s)) }
        return s
    }
}

/// What the lines held: events parsed, other lines (headers, blank, unparsable, refused), events the ring buffer
/// lost, and the lines refused for a number or a length no kernel prints.
public struct TraceLineCounts: Equatable, Sendable {
    public var parsed: Int
    public var skipped: Int
    /// Held at `Int.max` when the notices add up beyond it (`lostIsLowerBound`).
    public var lost: Int
    public var lostIsLowerBound: Bool
    public var refused: TraceLineParser.Refusals

    public init(
        parsed: Int, skipped: Int, lost: Int, lostIsLowerBound: Bool = false,
        refused: TraceLineParser.Refusals = .init()
    ) {
        self.parsed = parsed
        self.skipped = skipped
        self.lost = lost
        self.lostIsLowerBound = lostIsLowerBound
        self.refused = refused
    }
}
