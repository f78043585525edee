/// Where kswapd wakes and where it goes back to sleep for an order-0 user allocation (`GFP_HIGHUSER_MOVABLE`),
/// computed from zone snapshots alone (live-lab.md §2). Pure arithmetic: the live and simulated engines use it alike.
///
/// Rules, from mm/page_alloc.c and mm/vmscan.c:
/// - The allocation may use every managed zone up to its highest zone: Movable when Movable has managed pages,
///   else Normal (`gfp_zone()`; empty zones are not in the zonelist, `build_zonerefs_node()`).
/// - The fast path (`get_page_from_freelist()` at `ALLOC_WMARK_LOW`) takes the first zone with
///   `free > low + protection[highest]` (`__zone_watermark_ok()`). Only when **every** eligible zone fails does the
///   slow path start and call `wakeup_kswapd()`.
/// - kswapd stops when **any** eligible zone has `free > high + protection[highest]` (`pgdat_balanced()`).
///
/// So the wake point, as a level of total free memory, is Σ over eligible zones of `min(free, low + protection)`:
/// a zone already at or below its threshold (e.g. DMA, whose whole 15 MiB is below its protection) fails as it is
/// and counts with its current free pages; every other zone must drain to its threshold. The distance is what can
/// still be allocated before kswapd wakes: Σ `max(0, free − (low + protection))`.
public struct WakePoint: Sendable, Hashable, Codable {
    /// One eligible zone's part in the decision.
    public struct Zone: Sendable, Hashable, Codable {
        public var node: Int
        public var zone: ZoneType
        public var free: Pages
        /// `lowmem_reserve[highest]` of this zone, as printed in `protection: (…)`.
        public var protection: Pages
        /// `low + protection`: the zone fails the fast path at or below this.
        public var wakeThreshold: Pages
        /// `high + protection`: above this the zone is balanced and kswapd may sleep.
        public var balancedThreshold: Pages

        /// Whether the zone passes the fast-path check now (`free > low + protection`).
        public var passesLow: Bool { free > wakeThreshold }
        /// Whether the zone is balanced now (`free > high + protection`).
        public var isBalanced: Bool { free > balancedThreshold }
        /// Pages this zone can still give before it fails the fast path.
        public var headroom: Pages { free > wakeThreshold ? free - wakeThreshold : .zero }
        /// Pages reclaim must free in this zone to balance it.
        public var shortOfBalance: Pages { isBalanced ? .zero : balancedThreshold - free + Pages(1) }
    }

    /// The highest zone the allocation may use (Normal, or Movable when populated); protection is indexed by it.
    public var highestZone: ZoneType
    /// The eligible zones (managed > 0, not above `highestZone`), per node, in zone order.
    public var zones: [Zone]

    /// Σ free over the eligible zones.
    public var free: Pages { zones.reduce(.zero) { $0 + $1.free } }
    /// The level of total free memory at which kswapd wakes: Σ `min(free, low + protection)`.
    public var wakePoint: Pages { zones.reduce(.zero) { $0 + Swift.min($1.free, $1.wakeThreshold) } }
    /// Pages that can still be allocated before kswapd wakes: `free − wakePoint`.
    public var distance: Pages { zones.reduce(.zero) { $0 + $1.headroom } }
    /// Σ `low + protection` without the cap by current free (the "roughly" sum of live-lab.md §2).
    public var thresholdSum: Pages { zones.reduce(.zero) { $0 + $1.wakeThreshold } }
    /// Whether an allocation now would wake kswapd: every eligible zone fails the low check.
    public var wouldWake: Bool { !zones.isEmpty && zones.allSatisfy { !$0.passesLow } }
    /// Whether kswapd, if awake, could sleep now: some eligible zone is above high + protection.
    public var isBalanced: Bool { zones.contains { $0.isBalanced } }

    public init(highestZone: ZoneType, zones: [Zone]) {
        self.highestZone = highestZone
        self.zones = zones
    }

    /// The wake point over `snapshots` (all zones of all nodes as /proc/zoneinfo prints them, or the simulator's).
    ///
    /// The protection index is the position of `highestZone` among the node's zone types as printed, because
    /// `protection: (…)` has one entry per zone the kernel was built with (x86-64: DMA, DMA32, Normal, Movable,
    /// Device — no HighMem), so `ZoneType.index` would be off by one for Movable. When a node lists only some zones
    /// (a simulator with just Normal), the entries present are indexed the same way.
    public static func userAllocation(_ snapshots: [ZoneSnapshot]) -> WakePoint {
        let movablePopulated = snapshots.contains { $0.zone == .movable && $0.managed.count > 0 }
        let highest: ZoneType = movablePopulated ? .movable : .normal
        var zones: [Zone] = []
        let nodes = snapshots.map(\.node).reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
        for node in nodes {
            let own = snapshots.filter { $0.node == node }
            let types = Array(Set(own.map(\.zone))).sorted()
            // Highest zone's slot in this node's protection arrays; zones above it don't count.
            let slot = types.filter { $0 < highest }.count
            for s in own.sorted(by: { $0.zone < $1.zone }) where s.zone <= highest && s.managed.count > 0 {
                let protection = Pages(slot < s.protection.count ? s.protection[slot] : 0)
                zones.append(
                    Zone(
                        node: node, zone: s.zone, free: s.free, protection: protection,
                        wakeThreshold: s.low + protection, balancedThreshold: s.high + protection))
            }
        }
        return WakePoint(highestZone: highest, zones: zones)
    }
}

/// `MemFree` against the zones' free pages: they disagree on kernels that grow zones lazily
/// (`deferred_init=lazy`, live-lab.md §4), where kswapd practically cannot wake until the zone has grown.
public struct FreeMemoryCheck: Sendable, Hashable, Codable {
    /// `MemFree` from /proc/meminfo, in pages.
    public var memFree: Pages
    /// Σ of every zone's free pages.
    public var zoneFree: Pages
    /// Zones whose `present` exceeds `managed` by at least 1 GiB and twice over: memory not yet in the allocator.
    public var lazyZones: [ZoneSnapshot]

    /// How far apart they are, `memFree − zoneFree` (may be negative).
    public var difference: Pages { memFree - zoneFree }

    /// 1 GiB in pages: the disagreement that counts (live-lab.md §4: "MemFree − nr_free_pages > 1 GiB").
    public static let threshold = Pages(bytes: 1 << 30)

    /// Whether the two disagree as a lazily initialised zone makes them: `MemFree − zone free > 1 GiB`, or a zone
    /// with `present ≫ managed`.
    public var disagrees: Bool { difference > FreeMemoryCheck.threshold || !lazyZones.isEmpty }

    public init(memFree: Pages, zones: [ZoneSnapshot]) {
        self.memFree = memFree
        self.zoneFree = zones.reduce(.zero) { $0 + $1.free }
        self.lazyZones = zones.filter {
            $0.present - $0.managed >= FreeMemoryCheck.threshold && $0.managed.count * 2 < $0.present.count
        }
    }
}
