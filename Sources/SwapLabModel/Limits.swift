/// The ranges swaplab accepts where numbers enter (the command line, /proc/zoneinfo captures, recordings, progress
/// files and lessons). Everything inside these ranges is computed without overflow; anything outside is refused with
/// a message naming the value and the range, before anything is built from it.
public enum Limits {
    /// The largest RAM, zone, swap or allocation size: 4 PiB (2^52 bytes), the x86-64 physical address space with
    /// 5-level paging (`MAX_PHYSMEM_BITS` 52 in arch/x86/include/asm/sparsemem.h).
    public static let maxBytes: Int64 = 1 << 52
    /// `maxBytes` in 4 KiB pages (2^40).
    public static let maxPages: Int64 = maxBytes / Pages.size
    /// The simulator's nodes are numbered 0…63.
    public static let simulatedNodes: ClosedRange<Int> = 0...63
    /// Node numbers a kernel can print: below `MAX_NUMNODES` (1 << `CONFIG_NODES_SHIFT`, at most 10).
    public static let kernelNodes: ClosedRange<Int> = 0...1023
    /// A `lowmem_reserve[]` entry (`protection: (…)`): at most every page of 64 nodes of `maxPages` zones.
    public static let maxProtection: Int64 = 1 << 48
    /// A /proc/vmstat counter in a recording: 2^56 (at a billion pages a second, 2 years of scanning); 128 of them
    /// still add up without overflow.
    public static let maxCounter: Int64 = 1 << 56
    /// A time on a timeline, in seconds either side of its clock's zero: about 31 years, so every span is finite.
    public static let maxTime: Double = 1e9
    /// A pid: `PID_MAX_LIMIT` on 64-bit (include/linux/threads.h).
    public static let maxPID = 4_194_304
    /// A CPU number: below `NR_CPUS` (at most 8192 on x86-64).
    public static let maxCPU = 8191
}

/// A computation whose result does not fit in 64 bits; `what` names the quantity.
public struct ArithmeticOverflow: LearnerError, Equatable, Sendable {
    public var what: String

    public init(_ what: String) { self.what = what }

    public var problem: String { "\(what) is too large to compute (it overflows 64 bits)" }
    public var remedy: String? { "use smaller sizes" }
    public var description: String { sentence }
}

/// Checked 64-bit arithmetic that reports overflow as an `ArithmeticOverflow` instead of trapping.
public enum Checked {
    /// `a + b`.
    @inline(__always)
    public static func add(
        _ a: Int64, _ b: Int64, _ what: @autoclosure () -> String
    ) throws(ArithmeticOverflow)
        -> Int64
    {
        let (r, o) = a.addingReportingOverflow(b)
        if o { throw ArithmeticOverflow(what()) }
        return r
    }

    /// `a - b`.
    @inline(__always)
    public static func subtract(
        _ a: Int64, _ b: Int64, _ what: @autoclosure () -> String
    )
        throws(ArithmeticOverflow) -> Int64
    {
        let (r, o) = a.subtractingReportingOverflow(b)
        if o { throw ArithmeticOverflow(what()) }
        return r
    }

    /// `a * b`.
    @inline(__always)
    public static func multiply(
        _ a: Int64, _ b: Int64, _ what: @autoclosure () -> String
    )
        throws(ArithmeticOverflow) -> Int64
    {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        if o { throw ArithmeticOverflow(what()) }
        return r
    }

    /// `a * b / d` with a 128-bit intermediate (the kernel's `(u64)a * b / d` without its wrap-around); `d` > 0.
    public static func multiplyDivide(
        _ a: Int64, _ b: Int64, _ d: Int64, _ what: @autoclosure () -> String
    )
        throws(ArithmeticOverflow) -> Int64
    {
        guard d > 0, a >= 0, b >= 0 else { throw ArithmeticOverflow(what()) }
        let wide = a.multipliedFullWidth(by: b)
        // The quotient fits in Int64 only when the 128-bit product is below d · 2^63.
        let limitHigh = d >> 1
        let limitLow: UInt64 = (d & 1) == 1 ? 1 << 63 : 0
        guard wide.high < limitHigh || (wide.high == limitHigh && wide.low < limitLow) else {
            throw ArithmeticOverflow(what())
        }
        return d.dividingFullWidth(wide).quotient
    }

    /// The sum of `values`.
    public static func sum<S: Sequence>(
        _ values: S, _ what: @autoclosure () -> String
    ) throws(ArithmeticOverflow)
        -> Int64 where S.Element == Int64
    {
        var total: Int64 = 0
        for v in values { total = try add(total, v, what()) }
        return total
    }
}

extension Int64 {
    /// `self + other`, held at `Int64.min`/`Int64.max` instead of overflowing (for totals shown to people, whose
    /// inputs were already bounded; never for kernel arithmetic).
    @inline(__always)
    public func saturatingAdd(_ other: Int64) -> Int64 {
        let (r, o) = addingReportingOverflow(other)
        return o ? (other > 0 ? .max : .min) : r
    }

    /// `self - other`, held at the limits instead of overflowing.
    @inline(__always)
    public func saturatingSubtract(_ other: Int64) -> Int64 {
        let (r, o) = subtractingReportingOverflow(other)
        return o ? (other < 0 ? .max : .min) : r
    }

    /// `self * other`, held at the limits instead of overflowing.
    @inline(__always)
    public func saturatingMultiply(_ other: Int64) -> Int64 {
        let (r, o) = multipliedReportingOverflow(by: other)
        return o ? ((self < 0) == (other < 0) ? .max : .min) : r
    }

    /// `|self|`, with `|Int64.min|` held at `Int64.max`.
    @inline(__always)
    public var saturatingMagnitude: Int64 { self == .min ? .max : Swift.abs(self) }
}
