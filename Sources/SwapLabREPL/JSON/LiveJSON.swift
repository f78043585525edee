import SwapLabModel
import SwapLabKernel

/// `allocs --json` (`swaplab.allocs/2`) and `swap --json` (`swaplab.swap/2`): this machine's hogs and swap devices.
enum LiveJSON {
    /// One `allocs` line: a task as `status` shows it, with the size it asked for and how it was filled.
    struct AllocRow {
        var task: [(String, OrderedJSON)]
        var sizeBytes: Int64
        var fill: String
    }

    /// The hogs that still run.
    static func allocs(_ hogs: [MemoryHog]) -> JSONDocument {
        allocs(
            rows: hogs.filter(\.isRunning).map {
                AllocRow(task: StatusJSON.task($0), sizeBytes: $0.bytesRequested, fill: $0.fill.rawValue)
            })
    }

    static func allocs(rows: [AllocRow]) -> JSONDocument {
        let tasks: [OrderedJSON] = rows.map { r in
            .object(r.task + [("size_bytes", .int(r.sizeBytes)), ("fill", .string(r.fill))])
        }
        return JSONDocument(.allocs, [("engine", .string("live")), ("tasks", .array(tasks))])
    }

    /// /proc/swaps, sizes in 4 KiB pages (the file prints KiB), with the totals `status` shows.
    static func swap(_ devices: [SwapArea]) -> JSONDocument {
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
