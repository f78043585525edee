/// One zone's watermarks in pages, without boost.
public struct Watermarks: Hashable, Sendable, Codable {
    public var min: Pages
    public var low: Pages
    public var high: Pages
    /// `WMARK_PROMO` (6.1+): high + delta, used only with NUMA memory tiering.
    public var promo: Pages

    public init(min: Pages, low: Pages, high: Pages, promo: Pages) {
        self.min = min
        self.low = low
        self.high = high
        self.promo = promo
    }
}

/// The kernel's watermark arithmetic, exactly as Linux 6.18 computes it.
public enum WatermarkFormula {
    /// `calculate_min_free_kbytes()` in mm/page_alloc.c: `int_sqrt(lowmem_kbytes * 16)` clamped to
    /// 128…262144 kB (65536 before 5.15). `lowmemManaged` is what `nr_free_buffer_pages()` returns at boot.
    /// The product is held at `Int64.max` rather than overflowing: its square root is far above the clamp anyway.
    public static func minFreeKbytes(lowmemManaged: Pages, upperClamp: Int64 = 262_144) -> Int64 {
        let lowmemKB = lowmemManaged.kibibytes
        let v = intSqrt(lowmemKB.saturatingMultiply(16))
        return Swift.min(Swift.max(v, 128), upperClamp)
    }

    /// `set_recommended_min_free_kbytes()` in mm/khugepaged.c when PMD THP is enabled:
    /// `11 * pageblock_nr_pages * nr_zones` pages (pageblock = 512 pages on x86-64), capped at 5 % of lowmem,
    /// used only when larger than the sqrt value. 3 lowmem zones give 67584 kB.
    public static func thpRecommendedMinFreeKbytes(populatedLowmemZones: Int, lowmemManaged: Pages) -> Int64 {
        let pageblock: Int64 = 512
        // At most five zones a node and 64 nodes: the products stay far inside 64 bits.
        let zones = Int64(Swift.min(Swift.max(populatedLowmemZones, 0), 64 * 5))
        var recommended = pageblock * zones * 2 + pageblock * zones * 3 * 3
        recommended = Swift.min(recommended, lowmemManaged.count / 20)
        return recommended.saturatingMultiply(4)
    }

    /// `int_sqrt()` from lib/math/int_sqrt.c: the floor of the square root.
    public static func intSqrt(_ x: Int64) -> Int64 {
        if x < 2 { return x }
        // √Int64.max < 3037000500, so r * r and (r + 1) * (r + 1) below stay inside 64 bits.
        var r = Swift.min(Int64(Double(x).squareRoot()), 3_037_000_499)
        while r * r > x { r -= 1 }
        while r < 3_037_000_499 && (r + 1) * (r + 1) <= x { r += 1 }
        return r
    }

    /// `mult_frac(x, n, d)`: `(x / d) * n + ((x % d) * n) / d`; an overflow is reported, not wrapped.
    public static func multFrac(_ x: Int64, _ n: Int64, _ d: Int64) throws(ArithmeticOverflow) -> Int64 {
        let whole = try Checked.multiply(x / d, n, "mult_frac(\(x), \(n), \(d))")
        let part = try Checked.multiply(x % d, n, "mult_frac(\(x), \(n), \(d))") / d
        return try Checked.add(whole, part, "mult_frac(\(x), \(n), \(d))")
    }

    /// `__setup_per_zone_wmarks()` in mm/page_alloc.c (6.18): per-zone min/low/high/promo from
    /// `min_free_kbytes`, `watermark_scale_factor` and each zone's managed pages.
    /// Zones are given in `enum zone_type` order; the result has one entry per zone, same order. The kernel's
    /// `(u64)pages_min * managed / lowmem` is computed with a 128-bit intermediate; a result that does not fit in
    /// 64 bits (absurd sizes) is reported as `ArithmeticOverflow`, never wrapped or trapped.
    public static func perZone(
        managed zones: [(ZoneType, Pages)], minFreeKbytes: Int64, scaleFactor: Int64
    ) throws(ArithmeticOverflow) -> [Watermarks] {
        let pagesMin = Swift.max(0, minFreeKbytes >> 2)
        let lowmem = try Checked.sum(zones.filter { $0.0.isLowmem }.map { $0.1.count }, "the lowmem pages")
        var result: [Watermarks] = []
        result.reserveCapacity(zones.count)
        for (zone, managed) in zones {
            let m = managed.count
            let what = "the watermarks of a \(zone.rawValue) zone of \(m) pages"
            let tmp = lowmem > 0 ? try Checked.multiplyDivide(pagesMin, Swift.max(0, m), lowmem, what) : 0
            let minMark: Int64
            if !zone.isLowmem {
                minMark = Swift.min(Swift.max(m / 1024, 32), 128)
            } else {
                minMark = tmp
            }
            let delta = Swift.max(tmp >> 2, try multFrac(m, scaleFactor, 10_000))
            let low = try Checked.add(minMark, delta, what)
            let high = try Checked.add(low, delta, what)
            let promo = try Checked.add(high, delta, what)
            result.append(Watermarks(min: Pages(minMark), low: Pages(low), high: Pages(high), promo: Pages(promo)))
        }
        return result
    }

    /// `setup_per_zone_lowmem_reserve()` in mm/page_alloc.c: `protection[i][j] = Σ managed(i+1…j) / ratio[i]`
    /// for every upper zone j > i, 0 elsewhere. Zones are given in `enum zone_type` order; each row has one entry
    /// per zone of `zoneCount` (as /proc/zoneinfo prints `protection: (…)` over every zone type of the node).
    public static func lowmemReserve(managed zones: [(ZoneType, Pages)]) -> [[Int64]] {
        zones.enumerated().map { i, lower in
            zones.enumerated().map { j, _ -> Int64 in
                let ratio = lower.0.defaultLowmemReserveRatio
                guard j > i, ratio > 0, lower.1.count > 0 else { return 0 }
                // Held at Int64.max rather than overflowing: callers bound managed pages (`Limits.maxPages`).
                let sum = zones[(i + 1)...j].reduce(Int64(0)) { $0.saturatingAdd($1.1.count) }
                return sum / ratio
            }
        }
    }
}
