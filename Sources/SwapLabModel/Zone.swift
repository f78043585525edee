/// The zone types of x86-64 Linux, in `enum zone_type` order (`include/linux/mmzone.h`). x86-64 has no
/// `ZONE_HIGHMEM`, so `protection: (…)` in /proc/zoneinfo has one entry each for DMA, DMA32, Normal, Movable, Device.
///
/// The raw value is the name the kernel prints in /proc/zoneinfo (`Node 0, zone   DMA32`).
public enum ZoneType: String, CaseIterable, Sendable, Codable, Comparable {
    case dma = "DMA"
    case dma32 = "DMA32"
    case normal = "Normal"
    case movable = "Movable"
    case device = "Device"

    /// The index the kernel uses (`ZONE_DMA` = 0 …); `lowmem_reserve[]` and `protection:` are indexed by it.
    public var index: Int { ZoneType.allCases.firstIndex(of: self)! }

    /// Zones whose pages count as lowmem for `min_free_kbytes` (`!is_highmem(z) && z != ZONE_MOVABLE`).
    public var isLowmem: Bool { self == .dma || self == .dma32 || self == .normal }

    /// `sysctl_lowmem_reserve_ratio[]` defaults: DMA 256, DMA32 256, NORMAL 32, HIGHMEM 0, MOVABLE 0.
    public var defaultLowmemReserveRatio: Int64 {
        switch self {
        case .dma, .dma32: return 256
        case .normal: return 32
        case .movable, .device: return 0
        }
    }

    public static func < (a: ZoneType, b: ZoneType) -> Bool { a.index < b.index }

    /// Parses a zone name case-insensitively (`dma32`, `Normal`).
    public init?(name: String) {
        guard let z = ZoneType.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
            return nil
        }
        self = z
    }
}

/// One zone's state at one moment: what /proc/zoneinfo prints for it, in pages.
///
/// `min`, `low` and `high` include the current `boost`, as `min_wmark_pages()` and friends do.
public struct ZoneSnapshot: Hashable, Sendable, Codable {
    public var node: Int
    public var zone: ZoneType
    public var free: Pages
    public var min: Pages
    public var low: Pages
    public var high: Pages
    public var boost: Pages
    public var managed: Pages
    public var present: Pages
    public var spanned: Pages
    /// `lowmem_reserve[]` of this zone against allocations whose highest zone is each index (`protection: (…)`).
    public var protection: [Int64]

    public init(
        node: Int, zone: ZoneType, free: Pages, min: Pages, low: Pages, high: Pages,
        boost: Pages = .zero, managed: Pages, present: Pages? = nil, spanned: Pages? = nil,
        protection: [Int64] = []
    ) {
        self.node = node
        self.zone = zone
        self.free = free
        self.min = min
        self.low = low
        self.high = high
        self.boost = boost
        self.managed = managed
        self.present = present ?? managed
        self.spanned = spanned ?? (present ?? managed)
        self.protection = protection
    }

    /// The protection this zone keeps against an allocation whose highest usable zone is `highest`.
    public func protection(against highest: ZoneType) -> Pages {
        let i = highest.index
        return i < protection.count ? Pages(protection[i]) : .zero
    }

    /// Whether the zone passes an order-0 watermark check at `mark` for an allocation reaching `highest`:
    /// `free > mark + lowmem_reserve[highest]`. Mirrors `__zone_watermark_ok()` for order 0, no reserve flags.
    public func watermarkOK(_ mark: Pages, highest: ZoneType) -> Bool {
        free > mark + protection(against: highest)
    }
}
