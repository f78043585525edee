/// A number of 4 KiB pages. Pages and bytes never mix: convert explicitly with `bytes` or `init(bytes:)`.
///
/// The kernel counts memory in pages (`PAGE_SIZE` = 4096 on x86-64, `PAGE_SHIFT` = 12); /proc/zoneinfo and
/// /proc/vmstat print page counts, /proc/meminfo prints kB.
public struct Pages: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Bytes in one page (`PAGE_SIZE`).
    public static let size: Int64 = 4096
    public var count: Int64

    public init(_ count: Int64) { self.count = count }
    public init(_ count: Int) { self.count = Int64(count) }
    /// Whole pages in `bytes`, rounded down.
    public init(bytes: Int64) { self.count = bytes / Pages.size }
    /// Whole pages in `kB` kibibytes, rounded down (`kB >> (PAGE_SHIFT - 10)`).
    public init(kibibytes: Int64) { self.count = kibibytes >> 2 }

    public static let zero = Pages(0)
    /// Bytes in these pages; held at `Int64.max` rather than overflowing (counts from outside are bounded by
    /// `Limits.maxPages` where they enter, so only a bug could reach the limit).
    public var bytes: Int64 { count.saturatingMultiply(Pages.size) }
    /// Kibibytes in these pages, held at the limits like `bytes`.
    public var kibibytes: Int64 { count.saturatingMultiply(4) }
    public var mebibytes: Double { Double(count) * 4096 / 1_048_576 }

    public static func < (a: Pages, b: Pages) -> Bool { a.count < b.count }
    public static func + (a: Pages, b: Pages) -> Pages { Pages(a.count + b.count) }
    public static func - (a: Pages, b: Pages) -> Pages { Pages(a.count - b.count) }
    public static func += (a: inout Pages, b: Pages) { a.count += b.count }
    public static func -= (a: inout Pages, b: Pages) { a.count -= b.count }
    public var description: String { "\(count) pages" }

    public init(from decoder: Decoder) throws { count = try decoder.singleValueContainer().decode(Int64.self) }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(count)
    }
}
