import SwapLabModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A captured `trace_pipe` text read in chunks: each event is handed on as soon as its line is parsed, so a trace
/// of any size is read in the memory of one chunk (and of one line, when a line is longer than a chunk, up to
/// `TraceLineParser.maxLineBytes`: a longer line is no kernel's, and is skipped to its end without being kept).
public enum TraceFile {
    public typealias Counts = TraceLineCounts

    /// Reads `path` from start to end, calling `emit` for every event in order. The last line may lack its newline.
    public static func stream(
        path: String, chunkSize: Int = 1 << 20, _ emit: (TraceEvent) -> Void
    ) throws(SystemError) -> Counts {
        let fd = try Syscall.open(path, O_RDONLY)
        defer { Syscall.close(fd) }
        var parser = TraceLineParser()
        var buffer = [UInt8](repeating: 0, count: max(1, chunkSize))
        var kept = 0  // bytes of an unfinished line at the front of the buffer
        var skippingLongLine = false  // inside a line longer than any kernel prints: read on to its newline
        while true {
            if kept == buffer.count {
                if buffer.count <= TraceLineParser.maxLineBytes {
                    buffer.append(contentsOf: repeatElement(0, count: buffer.count))
                } else {
                    // The unfinished line is already longer than any kernel line: drop it and skip to its end.
                    skippingLongLine = true
                    kept = 0
                }
            }
            let r = buffer.withUnsafeMutableBytes { raw in
                Result { () throws(SystemError) -> Int in
                    try Syscall.read(fd, raw.baseAddress! + kept, raw.count - kept, path: path)
                }
            }
            let n = try r.get()
            if n == 0 { break }
            let filled = kept + n
            buffer.withUnsafeMutableBytes { raw in
                var start = 0
                if skippingLongLine {
                    guard let nl = memchr(raw.baseAddress! + kept, 0x0A, n) else {
                        kept = 0
                        return
                    }
                    start = raw.baseAddress!.distance(to: UnsafeMutableRawPointer(nl)) + 1
                    skippingLongLine = false
                    parser.countSkippedLongLine()
                }
                let used = parser.parse(buffer: UnsafeRawBufferPointer(rebasing: raw[start..<filled]), emit: emit)
                kept = filled - start - used
                if kept > 0 && start + used > 0 { memmove(raw.baseAddress!, raw.baseAddress! + start + used, kept) }
            }
        }
        if skippingLongLine {
            parser.countSkippedLongLine()
        } else if kept > 0 {
            buffer.withUnsafeBytes { raw in
                if case .event(let e) = parser.classify(UnsafeRawBufferPointer(rebasing: raw[0..<kept])) { emit(e) }
            }
        }
        return Counts(
            parsed: parser.parsed, skipped: parser.skipped, lost: parser.lost,
            lostIsLowerBound: parser.lostIsLowerBound, refused: parser.refused)
    }
}
