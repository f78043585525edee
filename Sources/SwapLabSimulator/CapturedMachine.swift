import SwapLabModel

/// A simulated machine that starts where a captured /proc/zoneinfo left off (`machine --zoneinfo FILE`).
extension MachineConfig {
    /// The machine `capture` shows: its populated zones with their free pages, marks and protection as printed, and
    /// its LRU pages (anon, file, dirty and unevictable) in the zones that hold them, even below high; what is neither
    /// free nor on an LRU list (kernel, slab, page tables, huge pages) stays taken. `vm.min_free_kbytes` and
    /// `vm.watermark_scale_factor` are read off the marks when not given (`inferredSysctls`), so a later `sysctl`
    /// write recomputes the marks from the same values.
    public static func captured(
        _ capture: MachineCapture, minFreeKbytes: Int64? = nil, watermarkScaleFactor: Int64? = nil,
        watermarkBoostFactor: Int64 = 15000, swappiness: Int64 = 60, swap: Pages = .zero, seed: UInt64 = 1
    ) throws(SimulatorError) -> MachineConfig {
        let layout = try zones(from: capture.zones.map(\.snapshot))
        // The capture's zones in `allZones` order (node by node, zone by zone), populated ones only.
        let kept = capture.zones.filter { $0.snapshot.managed.count > 0 && $0.snapshot.zone != .device }
            .sorted { ($0.snapshot.node, $0.snapshot.zone.index) < ($1.snapshot.node, $1.snapshot.zone.index) }
        let inferred = inferredSysctls(kept.map(\.snapshot))
        let sum = { (f: (ZoneCapture) -> Pages) in kept.reduce(Int64(0)) { $0.saturatingAdd(f($1).count) } }
        let file = sum { $0.inactiveFile + $0.activeFile }
        let dirty = Swift.min(capture.dirty.count, sum { $0.inactiveFile })
        var config = MachineConfig(
            nodes: layout, minFreeKbytes: minFreeKbytes ?? inferred.minFreeKbytes,
            watermarkScaleFactor: watermarkScaleFactor ?? inferred.watermarkScaleFactor ?? 10,
            watermarkBoostFactor: watermarkBoostFactor, swappiness: swappiness, swap: swap,
            used: Pages(sum { $0.inactiveAnon + $0.activeAnon }), cleanCache: Pages(Swift.max(0, file - dirty)),
            dirtyCache: Pages(Swift.max(0, dirty)), seed: seed)
        config.capture = MachineCapture(zones: kept, dirty: Pages(Swift.max(0, dirty)))
        if capture.cpus > 0 { config.cpus = capture.cpus }
        return config
    }

    /// `vm.min_free_kbytes` and `vm.watermark_scale_factor` that give exactly the captured min, low and high of every
    /// zone through `__setup_per_zone_wmarks()`, or nil where none does (a boosted zone, a capture the formula cannot
    /// have made). The scale factor is found from the largest lowmem zone's gap (`low - min`), `min_free_kbytes` from
    /// its min; both are then checked on every zone.
    public static func inferredSysctls(_ zones: [ZoneSnapshot]) -> (minFreeKbytes: Int64?, watermarkScaleFactor: Int64?)
    {
        let lowmem = zones.filter { $0.zone.isLowmem && $0.managed.count > 0 }
        guard let big = lowmem.max(by: { $0.managed < $1.managed }), big.boost.count == 0 else { return (nil, nil) }
        let total = lowmem.reduce(Int64(0)) { $0.saturatingAdd($1.managed.count) }
        let managed = zones.map { ($0.zone, $0.managed) }
        func matches(_ kbytes: Int64, _ wsf: Int64) -> Bool {
            guard let marks = try? WatermarkFormula.perZone(managed: managed, minFreeKbytes: kbytes, scaleFactor: wsf)
            else { return false }
            return zip(zones, marks).allSatisfy { $0.min == $1.min && $0.low == $1.low && $0.high == $1.high }
        }
        // tmp = pages_min * managed / lowmem: the pages_min that give the big zone's min lie in a short run.
        let m = big.managed.count
        guard m > 0, total > 0, big.min.count < Int64(Int32.max) else { return (nil, nil) }
        let gap = big.low.count - big.min.count
        let scales = (1...3000).filter { (try? WatermarkFormula.multFrac(m, $0, 10_000)) == gap }
        let (product, overflow) = big.min.count.multipliedReportingOverflow(by: total)
        let first = (product &+ (m - 1)) / m
        guard !overflow, first >= 0, first <= Int64(Int32.max) / 4 else { return (nil, scales.first) }
        for pagesMin in first...(first + total / m + 1) {
            for kbytes in (pagesMin * 4)...(pagesMin * 4 + 3) {
                for wsf in scales + [10] where matches(kbytes, wsf) { return (kbytes, wsf) }
            }
        }
        return (nil, scales.first)
    }
}

extension Simulator {
    /// Sets every zone's free pages, marks and protection as the capture printed them (protection padded to the five
    /// kernel zone indices).
    func applyCapturedZones(_ capture: MachineCapture) {
        for (i, c) in zip(zones.indices, capture.zones) {
            let s = c.snapshot
            zones[i].free = Swift.min(Swift.max(0, s.free.count), zones[i].managed)
            zones[i].marks = Watermarks(min: s.min, low: s.low, high: s.high, promo: zones[i].marks.promo)
            zones[i].protection = (0..<5).map { $0 < s.protection.count ? Swift.max(0, s.protection[$0]) : 0 }
        }
        if capture.zones.contains(where: { $0.freeHugeBlocks != nil }) {
            freeHugeBlocks = zones.indices.map { i in
                i < capture.zones.count ? capture.zones[i].freeHugeBlocks ?? Int64.max : Int64.max
            }
        }
    }

    /// Puts the capture's LRU pages in the zones that hold them: anon (task `system`; inactive old, active young and
    /// referenced), file (inactive and active, the dirty part inactive) and unevictable (`system`'s, locked). A zone
    /// whose counts exceed what is not free is scaled down to fit.
    func placeCapturedMemory(_ capture: MachineCapture) {
        tasks.append(Task(name: "system", pid: 500, resident: Array(repeating: 0, count: nodes.count)))
        let inactiveFile = capture.zones.reduce(Int64(0)) { $0 + Swift.max(0, $1.inactiveFile.count) }
        // The dirty pages spread over the zones by their inactive file pages, rounded so that they add up.
        var dirtyPlaced: Int64 = 0
        var inactiveSeen: Int64 = 0
        for (z, c) in zip(zones.indices, capture.zones) {
            let n = zones[z].node
            let parts = [c.inactiveAnon, c.activeAnon, c.inactiveFile, c.activeFile, c.unevictable].map {
                Swift.max(0, $0.count)
            }
            let room = zones[z].managed - zones[z].free
            let sum = parts.reduce(0, +)
            let fit = sum > room ? parts.map { Int64(Double($0) * Double(room) / Double(sum)) } : parts
            inactiveSeen += parts[2]
            let share =
                inactiveFile > 0
                ? Int64(Double(capture.dirty.count) * Double(inactiveSeen) / Double(inactiveFile)) - dirtyPlaced : 0
            let dirty = Swift.max(0, Swift.min(share, fit[2]))
            dirtyPlaced += dirty
            nodes[n].lists[.inactiveAnon].add(Cohort(owner: 0, zone: z, count: fit[0], young: false, referenced: false))
            nodes[n].lists[.activeAnon].add(Cohort(owner: 0, zone: z, count: fit[1], young: true, referenced: true))
            nodes[n].lists[.inactiveFile].add(
                Cohort(owner: Cohort.pageCache, zone: z, count: fit[2] - dirty, young: false, referenced: true))
            nodes[n].lists[.inactiveFile].add(
                Cohort(owner: Cohort.pageCache, zone: z, count: dirty, young: false, referenced: true, dirty: true))
            nodes[n].lists[.activeFile].add(
                Cohort(owner: Cohort.pageCache, zone: z, count: fit[3], young: false, referenced: true))
            nodes[n].unevictable.add(Cohort(owner: 0, zone: z, count: fit[4], young: true, referenced: true))
            nodes[n].dirty += dirty
            tasks[0].resident[n] += fit[0] + fit[1] + fit[4]
            tasks[0].lockedPages += fit[4]
            tasks[0].mapped += fit[0] + fit[1] + fit[4]
        }
    }
}
