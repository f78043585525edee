import SwapLabModel
import SwapLabKernel

/// `allocs --json` (`swaplab.allocs/2`) and `swap --json` (`swaplab.swap/2`): this machine's hogs and swap devices.
enum LiveJSON {
    /// The hogs that still run, each as `status` shows a task, with the size it asked for and how it was filled.
    static func allocs(_ hogs: [MemoryHog]) -> JSONDocument {
        let tasks: [OrderedJSON] = hogs.filter(\.isRunning).map { h in
            .object(
                StatusJSON.task(h) + [("size_bytes", .int(h.bytesRequested)), ("fill", .string(h.fill.rawValue))])
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
