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
    public static func minFreeKbytes(lowmemManaged: Pages, upperClamp: Int64 = 262_144) -> Int64 {
        let lowmemKB = lowmemManaged.kibibytes
        let v = intSqrt(lowmemKB * 16)
        return Swift.min(Swift.max(v, 128), upperClamp)
    }

    /// `set_recommended_min_free_kbytes()` in mm/khugepaged.c when PMD THP is enabled:
    /// `11 * pageblock_nr_pages * nr_zones` pages (pageblock = 512 pages on x86-64), capped at 5 % of lowmem,
    /// used only when larger than the sqrt value. 3 lowmem zones give 67584 kB.
    public static func thpRecommendedMinFreeKbytes(populatedLowmemZones: Int, lowmemManaged: Pages) -> Int64 {
        let pageblock: Int64 = 512
        var recommended = pageblock * Int64(populatedLowmemZones) * 2
            + pageblock * Int64(populatedLowmemZones) * 3 * 3
        recommended = Swift.min(recommended, lowmemManaged.count / 20)
        return recommended * 4
    }

    /// `int_sqrt()` from lib/math/int_sqrt.c: the floor of the square root.
    public static func intSqrt(_ x: Int64) -> Int64 {
        if x < 2 { return x }
        var r = Int64(Double(x).squareRoot())
        while r * r > x { r -= 1 }
        while (r + 1) * (r + 1) <= x { r += 1 }
        return r
    }

    /// `mult_frac(x, n, d)`: `(x / d) * n + ((x % d) * n) / d`, without overflow.
    public static func multFrac(_ x: Int64, _ n: Int64, _ d: Int64) -> Int64 {
        (x / d) * n + ((x % d) * n) / d
    }

    /// `__setup_per_zone_wmarks()` in mm/page_alloc.c (6.18): per-zone min/low/high/promo from
    /// `min_free_kbytes`, `watermark_scale_factor` and each zone's managed pages.
    /// Zones are given in `enum zone_type` order; the result has one entry per zone, same order.
    public static func perZone(
        managed zones: [(ZoneType, Pages)], minFreeKbytes: Int64, scaleFactor: Int64
    ) -> [Watermarks] {
        let pagesMin = minFreeKbytes >> 2
        let lowmem = zones.filter { $0.0.isLowmem }.reduce(Int64(0)) { $0 + $1.1.count }
        return zones.map { zone, managed in
            let m = managed.count
            let tmp = lowmem > 0 ? (pagesMin * m) / lowmem : 0
            let minMark: Int64
            if !zone.isLowmem {
                minMark = Swift.min(Swift.max(m / 1024, 32), 128)
            } else {
                minMark = tmp
            }
            let delta = Swift.max(tmp >> 2, multFrac(m, scaleFactor, 10_000))
            let low = minMark + delta
            let high = low + delta
            return Watermarks(min: Pages(minMark), low: Pages(low), high: Pages(high), promo: Pages(high + delta))
        }
    }

    /// `setup_per_zone_lowmem_reserve()` in mm/page_alloc.c: `protection[i][j] = Σ managed(i+1…j) / ratio[i]`
    /// for every upper zone j > i, 0 elsewhere. Zones are given in `enum zone_type` order; each row has one entry
    /// per zone of `zoneCount` (as /proc/zoneinfo prints `protection: (…)` over every zone type of the node).
    public static func lowmemReserve(managed zones: [(ZoneType, Pages)]) -> [[Int64]] {
        zones.enumerated().map { i, lower in
            zones.enumerated().map { j, _ -> Int64 in
                let ratio = lower.0.defaultLowmemReserveRatio
                guard j > i, ratio > 0, lower.1.count > 0 else { return 0 }
                let sum = zones[(i + 1)...j].reduce(Int64(0)) { $0 + $1.1.count }
                return sum / ratio
            }
        }
    }
}
