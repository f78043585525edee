import SwapLabModel
import SwapLabSimulator
import SwapLabKernel

/// `status --json` (`swaplab.status/2`) on both engines: the same key for the same fact, counts in 4 KiB pages
/// (docs/json.md). A key one engine cannot know is `null` there (a sysctl it could not read), or left out when the
/// fact does not exist on that engine (`tracing` on the simulator; kswapd's `state` and `failures` live).
enum StatusJSON {
    /// One task holding anonymous memory: a simulated task, or a live hog (`allocs` adds its size and fill).
    static func task(
        name: String, pid: Int64, resident: Pages, swapped: Pages, state: String
    ) -> [(String, OrderedJSON)] {
        [
            ("name", .string(name)), ("pid", .int(pid)), ("resident_pages", .pages(resident)),
            ("swapped_pages", .pages(swapped)), ("state", .string(state)),
        ]
    }

    /// A live hog as a task: `idle` while its process lives (it allocates only inside a command), `ended` after.
    static func task(_ hog: MemoryHog) -> [(String, OrderedJSON)] {
        let memory = hog.memory
        return task(
            name: hog.name, pid: Int64(hog.pid), resident: memory?.rss ?? .zero, swapped: memory?.swap ?? .zero,
            state: hog.isRunning ? "idle" : "ended")
    }

    /// The keys both engines print, in order, up to the zones.
    static func head(
        engine: String, time: Double, machine: String, sysctls: (Int64?, Int64?, Int64?, Int64?),
        swapTotal: Pages, swapUsed: Pages, file: Pages?, dirty: Pages?, anon: Pages?, zones: [ZoneSnapshot]
    ) -> [(String, OrderedJSON)] {
        [
            ("engine", .string(engine)), ("time_s", .double(time)), ("machine", .string(machine)),
            ("min_free_kbytes", .nullable(sysctls.0) { .int($0) }),
            ("watermark_scale_factor", .nullable(sysctls.1) { .int($0) }),
            ("watermark_boost_factor", .nullable(sysctls.2) { .int($0) }),
            ("swappiness", .nullable(sysctls.3) { .int($0) }),
            ("swap_total_pages", .pages(swapTotal)), ("swap_used_pages", .pages(swapUsed)),
            ("file_pages", .nullable(file) { .pages($0) }), ("dirty_pages", .nullable(dirty) { .pages($0) }),
            ("anon_pages", .nullable(anon) { .pages($0) }), ("zones", .array(zones.map(\.json))),
        ]
    }
}

extension SimulatorStatus {
    /// `status --json` on the simulator.
    var json: JSONDocument {
        let kswapd: [OrderedJSON] = kswapd.map { k in
            .object([
                ("node", .int(Int64(k.node))), ("state", .string(k.state)), ("failures", .int(Int64(k.failures))),
                ("node_unreclaimable", .bool(k.nodeUnreclaimable)),
            ])
        }
        let tasks: [OrderedJSON] = tasks.map { t in
            .object(
                StatusJSON.task(
                    name: t.name, pid: Int64(t.pid), resident: Pages(t.residentPages), swapped: Pages(t.swappedPages),
                    state: t.state))
        }
        let head = StatusJSON.head(
            engine: engine, time: time, machine: machine,
            sysctls: (minFreeKbytes, watermarkScaleFactor, watermarkBoostFactor, swappiness),
            swapTotal: Pages(swapTotalPages), swapUsed: Pages(swapUsedPages), file: Pages(filePages),
            dirty: Pages(dirtyPages), anon: Pages(anonPages), zones: zones)
        return JSONDocument(.status, head + [("kswapd", .array(kswapd)), ("tasks", .array(tasks))])
    }
}

extension LiveReports.Status {
    /// `status --json` on this machine; `meminfo` gives the page cache, dirty and anon pages (`null` without it).
    func json(sysctls: VMSysctls?, meminfo: Meminfo?, hogs: [MemoryHog]) -> JSONDocument {
        func sum(_ labels: [String]) -> Pages? {
            guard let meminfo else { return nil }
            var total = Pages.zero
            for l in labels {
                guard let p = meminfo.pages(l) else { return nil }
                total = total + p
            }
            return total
        }
        let nodes = Array(Set(zones.map(\.node))).sorted()
        let kswapd: [OrderedJSON] = nodes.map { n in
            .object([("node", .int(Int64(n))), ("node_unreclaimable", .bool(nodeUnreclaimable.contains(n)))])
        }
        let head = StatusJSON.head(
            engine: engine, time: time, machine: kernel,
            sysctls: (minFreeKbytes, watermarkScaleFactor, sysctls?.watermarkBoostFactor, swappiness),
            swapTotal: Pages(kibibytes: swapTotalKiB), swapUsed: Pages(kibibytes: swapUsedKiB),
            file: sum(["Active(file)", "Inactive(file)"]), dirty: sum(["Dirty"]),
            anon: sum(["Active(anon)", "Inactive(anon)"]), zones: zones)
        let tasks: [OrderedJSON] = hogs.map { .object(StatusJSON.task($0)) }
        return JSONDocument(
            .status, head + [("kswapd", .array(kswapd)), ("tasks", .array(tasks)), ("tracing", .bool(tracing))])
    }
}
