import SwapLabModel

extension WatermarksView {
    /// `watermarks --json` (`swaplab.watermarks/2`, docs/json.md), counts in 4 KiB pages. `memfree_pages` and
    /// `memfree_disagrees` are `null` where the engine has no MemFree (the simulator).
    var json: JSONDocument {
        let w = wake
        let check = freeCheck
        let wakeObjects: [OrderedJSON] = w.zones.map { z in
            .object([
                ("node", .int(Int64(z.node))), ("zone", .string(z.zone.rawValue)), ("free_pages", .pages(z.free)),
                ("lowmem_reserve_pages", .pages(z.protection)), ("wake_threshold_pages", .pages(z.wakeThreshold)),
                ("balanced_threshold_pages", .pages(z.balancedThreshold)),
            ])
        }
        let lazyObjects: [OrderedJSON] = (check?.lazyZones ?? []).map { z in
            .object([
                ("node", .int(Int64(z.node))), ("zone", .string(z.zone.rawValue)),
                ("present_pages", .pages(z.present)), ("managed_pages", .pages(z.managed)),
            ])
        }
        let zoneFree = zones.reduce(Pages.zero) { $0 + $1.free }
        return JSONDocument(
            .watermarks,
            [
                ("engine", .string(engine)), ("note", .nullable(note) { .string($0) }),
                ("highest_zone", .string(w.highestZone.rawValue)), ("zones", .array(zones.map(\.json))),
                ("wake_point_pages", .pages(w.wakePoint)), ("distance_pages", .pages(w.distance)),
                ("free_pages", .pages(w.free)), ("would_wake", .bool(w.wouldWake)), ("balanced", .bool(w.isBalanced)),
                ("wake_zones", .array(wakeObjects)), ("memfree_pages", .nullable(check) { .pages($0.memFree) }),
                ("zone_free_pages", .pages(zoneFree)),
                ("memfree_disagrees", .nullable(check) { .bool($0.disagrees) }), ("lazy_zones", .array(lazyObjects)),
            ])
    }
}
