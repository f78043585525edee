import SwapLabModel

/// Byte-level helpers for /proc text, so that readers walk lines as bytes without making a `String` per line or
/// per word (as `TraceLineParser` does for trace_pipe). Every function works on `bytes[start..<end]`.
///
/// The rules match what the String code they replace did on the ASCII text /proc prints: blanks are space and tab,
/// numbers are what `Int64(_:)` accepts (an optional `+` or `-`, then decimal digits, no overflow).
enum ProcBytes {
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let newline: UInt8 = 0x0A
    static let colon: UInt8 = 0x3A
    static let comma: UInt8 = 0x2C

    @inline(__always) static func isBlank(_ b: UInt8) -> Bool { b == space || b == tab }

    /// `start..<end` without leading spaces and tabs, and without trailing spaces, tabs and carriage returns.
    @inline(__always)
    static func trim(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> (start: Int, end: Int) {
        var s = start
        var e = end
        while s < e, isBlank(bytes[s]) { s += 1 }
        // A trailing "\r" too: a capture saved with CRLF line ends reads the same.
        while e > s, isBlank(bytes[e - 1]) || bytes[e - 1] == 0x0D { e -= 1 }
        return (s, e)
    }

    /// Whether `bytes[start..<end]` is exactly `literal`.
    @inline(__always)
    static func equals(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ literal: StaticString) -> Bool {
        end - start == literal.utf8CodeUnitCount && hasPrefix(bytes, start, end, literal)
    }

    /// Whether `bytes[start..<end]` starts with `literal`.
    @inline(__always)
    static func hasPrefix(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard end - start >= n else { return false }
        let p = literal.utf8Start
        for i in 0..<n where bytes[start + i] != p[i] { return false }
        return true
    }

    /// Whether `bytes[start..<end]` holds the same bytes as `other`.
    @inline(__always)
    static func equals(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ other: [UInt8]) -> Bool {
        guard end - start == other.count else { return false }
        for i in 0..<other.count where bytes[start + i] != other[i] { return false }
        return true
    }

    /// The first index of `byte` in `start..<end`, or nil.
    @inline(__always)
    static func firstIndex(of byte: UInt8, _ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int? {
        var i = start
        while i < end {
            if bytes[i] == byte { return i }
            i += 1
        }
        return nil
    }

    /// The next word at or after `from` before `end`, words being separated by runs of `separator` (and of
    /// `alsoSeparator` when given), as `split(separator:)` with empty words omitted gives them.
    @inline(__always)
    static func nextWord(
        _ bytes: UnsafeRawBufferPointer, from: Int, _ end: Int, separator: UInt8, alsoSeparator: UInt8? = nil
    ) -> (start: Int, end: Int)? {
        var s = from
        while s < end, bytes[s] == separator || bytes[s] == alsoSeparator { s += 1 }
        guard s < end else { return nil }
        var e = s
        while e < end, bytes[e] != separator, bytes[e] != alsoSeparator { e += 1 }
        return (s, e)
    }

    /// The number in `bytes[start..<end]` as `Int64(_:)` reads it, or nil.
    @inline(__always)
    static func int64(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int64? {
        ASCIINumber.int64(bytes, start, end)
    }

    /// `bytes[start..<end]` as a String (invalid UTF-8 repaired), for messages and dictionary keys.
    @inline(__always)
    static func string(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// Calls `body(lineNumber, start, end)` for every line of `bytes` split at `\n`, the empty text after a final
    /// newline included (as `split(separator: "\n", omittingEmptySubsequences: false)` gives them).
    @inline(__always)
    static func forEachLine<E: Error>(
        _ bytes: UnsafeRawBufferPointer, _ body: (Int, Int, Int) throws(E) -> Void
    ) throws(E) {
        var start = 0
        var number = 0
        let count = bytes.count
        while true {
            number += 1
            var end = start
            while end < count, bytes[end] != newline { end += 1 }
            try body(number, start, end)
            if end >= count { return }
            start = end + 1
        }
    }
}

extension ZoneType {
    /// The zone called `bytes[start..<end]`, case-insensitively (as `init(name:)`).
    init?(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) {
        for z in ZoneType.allCases {
            let name = z.rawValue.utf8
            guard name.count == end - start else { continue }
            var same = true
            for (i, c) in name.enumerated() {
                var b = bytes[start + i]
                if b >= 0x41 && b <= 0x5A { b += 0x20 }
                var l = c
                if l >= 0x41 && l <= 0x5A { l += 0x20 }
                if b != l {
                    same = false
                    break
                }
            }
            if same {
                self = z
                return
            }
        }
        return nil
    }
}
