import SwapLabModel

/// `allocs --json` (`swaplab.allocs/2`) and `swap --json` (`swaplab.swap/2`): this machine's hogs and swap devices.
enum LiveJSON {
    /// The hogs that still run: each a task as `status` shows it, with the size it asked for and how it was filled.
    static func allocs(_ tasks: [TaskStatus]) -> JSONDocument {
        let rows: [OrderedJSON] = tasks.map { t in
            .object(
                StatusJSON.task(t) + [
                    ("size_bytes", .int((t.requested ?? .zero).bytes)), ("fill", .string(t.fill?.rawValue ?? "")),
                ])
        }
        return JSONDocument(.allocs, [("engine", .string("live")), ("tasks", .array(rows))])
    }

    /// /proc/swaps, sizes in 4 KiB pages (the file prints KiB), with the totals `status` shows.
    static func swap(_ devices: [SwapDevice]) -> JSONDocument {
        let rows: [OrderedJSON] = devices.map { d in
            .object([
                ("path", .string(d.path)), ("type", .string(d.type)), ("size_pages", .pages(d.size)),
                ("used_pages", .pages(d.used)), ("priority", .int(Int64(d.priority))),
            ])
        }
        return JSONDocument(
            .swap,
            [
                ("engine", .string("live")), ("devices", .array(rows)),
                ("swap_total_pages", .pages(devices.reduce(Pages.zero) { $0 + $1.size })),
                ("swap_used_pages", .pages(devices.reduce(Pages.zero) { $0 + $1.used })),
            ])
    }
}
