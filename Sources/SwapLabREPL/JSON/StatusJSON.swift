import SwapLabModel

/// `status --json` (`swaplab.status/2`) on both engines, from the engine's `EngineStatus`: the same key for the same
/// fact, counts in 4 KiB pages (docs/json.md). A key one engine cannot know is `null` there (a sysctl it could not
/// read), or left out when the fact does not exist on that engine (`tracing` on the simulator; kswapd's `state` and
/// `failures` live).
enum StatusJSON {
    /// One task holding anonymous memory, as `status` and `allocs` show it.
    static func task(_ t: TaskStatus) -> [(String, OrderedJSON)] {
        [
            ("name", .string(t.name)), ("pid", .int(Int64(t.pid))), ("resident_pages", .pages(t.resident)),
            ("swapped_pages", .pages(t.swapped)), ("state", .string(t.state.rawValue)),
            ("locked_pages", .nullable(t.locked) { .pages($0) }),
        ]
    }

    static func kswapd(_ k: KswapdStatus) -> OrderedJSON {
        var pairs: [(String, OrderedJSON)] = [("node", .int(Int64(k.node)))]
        if let state = k.state { pairs.append(("state", .string(state.rawValue))) }
        if let failures = k.failures { pairs.append(("failures", .int(Int64(failures)))) }
        pairs.append(("node_unreclaimable", .bool(k.nodeUnreclaimable)))
        return .object(pairs)
    }

    static func document(_ s: EngineStatus) -> JSONDocument {
        var pairs: [(String, OrderedJSON)] = [
            ("engine", .string(s.engine.rawValue)), ("time_s", .double(s.time)), ("machine", .string(s.machine)),
            ("min_free_kbytes", .nullable(s.settings.minFreeKbytes) { .int($0) }),
            ("watermark_scale_factor", .nullable(s.settings.watermarkScaleFactor) { .int($0) }),
            ("watermark_boost_factor", .nullable(s.settings.watermarkBoostFactor) { .int($0) }),
            ("swappiness", .nullable(s.settings.swappiness) { .int($0) }),
            ("swap_total_pages", .pages(s.swapTotal)), ("swap_used_pages", .pages(s.swapUsed)),
            ("file_pages", .nullable(s.memory?.file) { .pages($0) }),
            ("dirty_pages", .nullable(s.memory?.dirty) { .pages($0) }),
            ("anon_pages", .nullable(s.memory?.anon) { .pages($0) }),
            ("unevictable_pages", .nullable(s.memory?.unevictable) { .pages($0) }),
            ("hugetlb_pages", .nullable(s.memory?.hugetlb) { .pages($0) }), ("zones", .array(s.zones.map(\.json))),
            ("kswapd", .array(s.kswapd.map(kswapd))), ("tasks", .array(s.tasks.map { .object(task($0)) })),
        ]
        if let tracing = s.tracing { pairs.append(("tracing", .bool(tracing))) }
        return JSONDocument(.status, pairs)
    }
}
