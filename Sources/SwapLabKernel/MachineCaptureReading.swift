import SwapLabModel

extension ZoneCapture {
    /// One zone of a parsed zoneinfo with its `nr_zone_*` LRU counts (0 where the kernel does not print them).
    public init(_ z: ZoneInfo) {
        func stat(_ name: String) -> Pages { Pages(Swift.max(0, z.stats[name] ?? 0)) }
        self.init(
            snapshot: z.snapshot, inactiveAnon: stat("nr_zone_inactive_anon"), activeAnon: stat("nr_zone_active_anon"),
            inactiveFile: stat("nr_zone_inactive_file"), activeFile: stat("nr_zone_active_file"),
            unevictable: stat("nr_zone_unevictable"))
    }
}

extension MachineCapture {
    /// The machine a parsed /proc/zoneinfo shows: every zone's snapshot and LRU pages, and `nr_dirty` from `vmstat`
    /// when given, else from the zoneinfo's node stats.
    public init(_ info: Zoneinfo, vmstat: Vmstat? = nil) {
        var dirty = info.nodes.reduce(Int64(0)) { $0.saturatingAdd(Swift.max(0, $1.stats["nr_dirty"] ?? 0)) }
        if let vmstat { dirty = Swift.max(0, vmstat.counters["nr_dirty"] ?? 0) }
        self.init(zones: info.zones.map(ZoneCapture.init), dirty: Pages(dirty))
        cpus = info.zones.map(\.cpus).max() ?? 0
    }

    /// Adds each zone's free 2 MiB blocks from a /proc/buddyinfo read at the same moment.
    public mutating func addFreeBlocks(_ buddy: Buddyinfo) {
        for i in zones.indices {
            let s = zones[i].snapshot
            zones[i].freeHugeBlocks = buddy.zones.first { $0.node == s.node && $0.zone == s.zone }?.hugeBlocks
        }
    }
}
