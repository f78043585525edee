import SwapLabModel

/// Huge pages of one zone, side by side on a node's hugetlb free list.
struct HugeRun: Hashable, Sendable {
    /// Index of the zone (in `Simulator.zones`) the huge pages were taken from (`page_zone()`).
    var zone: Int
    var count: Int64
}

/// The persistent hugetlb pool of 2 MiB pages (mm/hugetlb.c): memory taken from the zones and kept off the LRU, so
/// reclaim never sees it. Writing `vm.nr_hugepages` grows or shrinks it as `set_max_huge_pages()` does.
extension Simulator {
    /// Base pages in one huge page (`pages_per_huge_page()`, 2 MiB on x86-64).
    static let hugePageSize: Int64 = 512

    /// Huge pages in the pool (`nr_hugepages`, `HugePages_Total`).
    public var hugePages: Int64 { nodes.reduce(0) { $0 + $1.hugePool.reduce(0) { $0 + $1.count } } }

    /// Base pages the pool holds in zone `z`.
    func hugePoolPages(zone z: Int) -> Int64 {
        nodes[zones[z].node].hugePool.filter { $0.zone == z }.reduce(0) { $0 + $1.count } * Self.hugePageSize
    }

    /// `set_max_huge_pages()`: grows the pool towards `target` huge pages or shrinks it to `target`. Returns the pool
    /// size after: growth stops at the first huge page no node can give.
    @discardableResult
    func resizeHugePool(to target: Int64) -> Int64 {
        let current = hugePages
        if target > current { growHugePool(by: target - current) }
        if target < current { shrinkHugePool(by: current - target) }
        return hugePages
    }

    /// Huge pages zone `z` can give now: `alloc_buddy_hugetlb_folio()` asks for an order-9 folio with
    /// `htlb_alloc_mask()` (`GFP_HIGHUSER_MOVABLE` for 2 MiB pages) and `__GFP_THISNODE`, whose fast path takes it only
    /// while `free - 511 > low + lowmem_reserve[ZONE_MOVABLE]` (`__zone_watermark_ok()` for order 9) and a free block
    /// of order 9 or more is left in `free_area[]`. Free memory is taken to lie in whole 2 MiB blocks unless a
    /// capture's buddyinfo gave the zone's blocks (`ZoneCapture.freeHugeBlocks`); order-0 allocations are taken to
    /// split smaller blocks first, so the blocks last until free memory runs short.
    ///
    /// The check reads free pages only; the page itself comes first from the zone's per-CPU order-9 list
    /// (`rmqueue_pcplist()`), which leaves free as it was. So a zone that passes gives every huge page its per-CPU
    /// list holds, then free pages until the check fails.
    func hugeCapacity(zone z: Int) -> Int64 {
        let byMark = zones[z].capacity(above: zones[z].low, highest: SimConstants.userHighestIndex) / Self.hugePageSize
        let fromFree = Swift.min(byMark, freeHugeBlocks?[z] ?? Int64.max, zones[z].free / Self.hugePageSize)
        return fromFree > 0 ? fromFree + zones[z].pcpHuge / Self.hugePageSize : 0
    }

    /// `pcp->high_min` of one CPU's list in zone `z` (`zone_highsize()` with `percpu_pagelist_high_fraction` 0): the
    /// zone's low mark split over its node's CPUs, at least 4 batches (`zone_batchsize()`).
    func perCPUHigh(zone z: Int) -> Int64 {
        let managed = zones[z].managed
        var batch = Swift.min(managed >> 10, 256) / 4
        batch = Swift.max(1, batch)
        // rounddown_pow_of_two(batch + batch / 2) - 1
        let sum = batch + batch / 2
        batch = Swift.max(1, (Int64(1) << (63 - sum.leadingZeroBitCount)) - 1)
        return Swift.max(zones[z].low / Int64(Swift.max(1, config.cpus)), batch << 2)
    }

    /// Base pages of freed huge pages on the per-CPU lists, over all zones.
    public var perCPUHugePages: Int64 { zones.reduce(0) { $0 + $1.pcpHuge } }

    /// The same, zone type by zone type (summed over nodes).
    public var perCPUHugePagesByZone: [ZoneType: Int64] {
        Dictionary(zones.map { ($0.type, $0.pcpHuge) }, uniquingKeysWith: +)
    }

    /// `drain_all_pages()`: every per-CPU list goes back to the buddy free lists (direct reclaim does it when its
    /// allocation still fails).
    func drainPerCPULists() {
        for z in zones.indices where zones[z].pcpHuge > 0 { drainPerCPUList(zone: z) }
    }

    /// Reclaim freeing a page into zone `z` while kswapd balances it (`ZONE_RECLAIM_ACTIVE`): `nr_pcp_high()` then
    /// caps the list at 4 batches, so each free drains it (`free_pcppages_bulk()`); the simulator frees on the CPU
    /// that holds the list, and the list empties.
    func drainPerCPUList(zone z: Int) { freeFromPerCPUList(zone: z, pages: zones[z].pcpHuge) }

    /// Moves `pages` (whole huge pages) of zone `z`'s per-CPU list to its buddy free lists.
    private func freeFromPerCPUList(zone z: Int, pages: Int64) {
        guard pages > 0 else { return }
        zones[z].pcpHuge -= pages
        zones[z].free += pages
        if freeHugeBlocks != nil { freeHugeBlocks![z] += pages / Self.hugePageSize }
    }

    /// Base pages a list of zone `z` keeps at most: whole huge pages, below its high.
    private func perCPUKeep(zone z: Int) -> Int64 {
        Swift.max(0, (perCPUHigh(zone: z) - 1) / Self.hugePageSize) * Self.hugePageSize
    }

    /// After the marks change (`setup_per_zone_wmarks()` → `zone_pcp_update()`), a list above its new high gives the
    /// excess back; the kernel does it at the next free or the next `decay_pcp_high()` tick, within a second.
    func trimPerCPULists() {
        for z in zones.indices where zones[z].pcpHuge > 0 {
            freeFromPerCPUList(zone: z, pages: zones[z].pcpHuge - perCPUKeep(zone: z))
        }
    }

    /// What node `n` gives, zone by zone in its zonelist order (highest zone first): the zones of `alloc_pool_huge_folio()`.
    func hugeZonelist(node n: Int) -> [Int] {
        zonelist.filter { zones[$0].node == n }
    }

    /// `alloc_pool_huge_folio()` `count` times: one huge page at a time, the nodes taken in turn
    /// (`for_each_node_mask_to_alloc()`), each from its highest zone that passes the check. A node that cannot give one
    /// is passed over; growth stops when none can. The simulator takes what the fast path gives: where the kernel would
    /// wake kswapd, reclaim and compact for the rest (`__GFP_RETRY_MAYFAIL`), the pool stays smaller.
    func growHugePool(by count: Int64) {
        var left = count
        var batch = [[HugeRun]](repeating: [], count: nodes.count)
        while left > 0 {
            let able = nodes.indices.filter { n in hugeZonelist(node: n).contains { hugeCapacity(zone: $0) > 0 } }
            guard !able.isEmpty else { break }
            // Whole turns over every able node at once: each node gives the same number in a turn of the loop.
            let caps = able.map { n in hugeZonelist(node: n).reduce(Int64(0)) { $0 + hugeCapacity(zone: $1) } }
            let each = Swift.max(1, Swift.min(caps.min() ?? 1, left / Int64(able.count)))
            for n in able where left > 0 {
                let take = Swift.min(each, left)
                batch[n] += takeHugePages(take, node: n)
                left -= take
            }
        }
        // The new folios go on the free list in one go (`prep_and_add_allocated_folios()`): the list built with
        // `list_add()` is reversed, then each is put at the head, so the first allocated is first on the list again.
        for n in nodes.indices where !batch[n].isEmpty { nodes[n].hugePool = batch[n] + nodes[n].hugePool }
    }

    /// Takes `count` huge pages from node `n`, highest zone first; returns the runs taken, in allocation order.
    private func takeHugePages(_ count: Int64, node n: Int) -> [HugeRun] {
        var need = count
        var runs: [HugeRun] = []
        for z in hugeZonelist(node: n) where need > 0 {
            let k = Swift.min(need, hugeCapacity(zone: z))
            guard k > 0 else { continue }
            let cached = Swift.min(k, zones[z].pcpHuge / Self.hugePageSize)
            zones[z].pcpHuge -= cached * Self.hugePageSize
            zones[z].free -= (k - cached) * Self.hugePageSize
            if freeHugeBlocks != nil { freeHugeBlocks![z] -= k - cached }
            runs.append(HugeRun(zone: z, count: k))
            need -= k
        }
        return runs
    }

    /// `remove_pool_hugetlb_folio()` `count` times: the nodes in turn (`for_each_node_mask_to_free()`), each giving
    /// the huge page at the head of its free list back to the zone it came from (`update_and_free_hugetlb_folio()`).
    /// The order-9 page goes onto the writing CPU's per-CPU list of that zone (`free_frozen_page_commit()`) while the
    /// list stays under its high; only the rest reaches the buddy free lists and the free count.
    func shrinkHugePool(by count: Int64) {
        var left = count
        while left > 0 {
            let able = nodes.indices.filter { !nodes[$0].hugePool.isEmpty }
            guard !able.isEmpty else { break }
            let held = able.map { n in nodes[n].hugePool.reduce(Int64(0)) { $0 + $1.count } }
            let each = Swift.max(1, Swift.min(held.min() ?? 1, left / Int64(able.count)))
            for n in able where left > 0 {
                var give = Swift.min(each, left)
                left -= give
                while give > 0, !nodes[n].hugePool.isEmpty {
                    let k = Swift.min(give, nodes[n].hugePool[0].count)
                    let z = nodes[n].hugePool[0].zone
                    let room = Swift.max(0, (perCPUKeep(zone: z) - zones[z].pcpHuge) / Self.hugePageSize)
                    let cached = Swift.min(k, room)
                    zones[z].pcpHuge += cached * Self.hugePageSize
                    zones[z].free += (k - cached) * Self.hugePageSize
                    if freeHugeBlocks != nil { freeHugeBlocks![z] += k - cached }
                    nodes[n].hugePool[0].count -= k
                    if nodes[n].hugePool[0].count == 0 { nodes[n].hugePool.removeFirst() }
                    give -= k
                }
            }
        }
    }
}
