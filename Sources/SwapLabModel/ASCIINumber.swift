/// Integers read from ASCII bytes, as `Int64(_:radix:)` reads them from text, for the readers that walk bytes
/// instead of making Strings (/proc files, trace payloads).
package enum ASCIINumber {
    /// The number in `bytes[start..<end]` as `Int64(_:radix:)` reads it (decimal unless `radix` is 16), or nil.
    @inline(__always)
    package static func int64(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, radix: Int64 = 10) -> Int64? {
        var i = start
        guard i < end else { return nil }
        var negative = false
        if bytes[i] == 0x2B || bytes[i] == 0x2D {  // `+`, `-`
            negative = bytes[i] == 0x2D
            i += 1
            guard i < end else { return nil }
        }
        // Accumulate as a negative number so that Int64.min parses, as Int64(_:) allows.
        var v: Int64 = 0
        while i < end {
            let b = bytes[i]
            var d = Int64(b &- 0x30)
            if b &- 0x30 >= 10 {
                guard radix == 16 else { return nil }
                let lower = b | 0x20
                guard lower >= 0x61 && lower <= 0x66 else { return nil }  // a-f, A-F
                d = Int64(lower - 0x61 + 10)
            }
            let (m, o1) = v.multipliedReportingOverflow(by: radix)
            let (s, o2) = m.subtractingReportingOverflow(d)
            if o1 || o2 { return nil }
            v = s
            i += 1
        }
        if negative { return v }
        let (p, o) = Int64(0).subtractingReportingOverflow(v)
        return o ? nil : p
    }

}
