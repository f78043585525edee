#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A captured `trace_pipe` text read in chunks: each event is handed on as soon as its line is parsed, so a trace
/// of any size is read in the memory of one chunk (and of one line, when a line is longer than a chunk).
public enum TraceFile {
    /// What the lines held: events parsed, other lines (headers, blank, unparsable), events the ring buffer lost.
    public struct Counts: Equatable, Sendable {
        public var parsed: Int
        public var skipped: Int
        public var lost: Int
    }

    /// Reads `path` from start to end, calling `emit` for every event in order. The last line may lack its newline.
    public static func stream(
        path: String, chunkSize: Int = 1 << 20, _ emit: (TraceEvent) -> Void
    ) throws(SystemError) -> Counts {
        let fd = try Syscall.open(path, O_RDONLY)
        defer { Syscall.close(fd) }
        var parser = TraceLineParser()
        var buffer = [UInt8](repeating: 0, count: max(1, chunkSize))
        var kept = 0  // bytes of an unfinished line at the front of the buffer
        while true {
            if kept == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
            let r = buffer.withUnsafeMutableBytes { raw in
                Result { () throws(SystemError) -> Int in
                    try Syscall.read(fd, raw.baseAddress! + kept, raw.count - kept, path: path)
                }
            }
            let n = try r.get()
            if n == 0 { break }
            let filled = kept + n
            buffer.withUnsafeMutableBytes { raw in
                let used = parser.parse(buffer: UnsafeRawBufferPointer(rebasing: raw[0..<filled]), emit: emit)
                kept = filled - used
                if kept > 0 && used > 0 { memmove(raw.baseAddress!, raw.baseAddress! + used, kept) }
            }
        }
        if kept > 0 {
            buffer.withUnsafeBytes { raw in
                if case .event(let e) = parser.classify(UnsafeRawBufferPointer(rebasing: raw[0..<kept])) { emit(e) }
            }
        }
        return Counts(parsed: parser.parsed, skipped: parser.skipped, lost: parser.lost)
    }
}
