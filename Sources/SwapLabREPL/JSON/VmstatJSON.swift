import SwapLabModel

/// `vmstat --json` (`swaplab.vmstat/2`) on both engines: counters by their /proc/vmstat names (each in its own
/// unit, as the kernel counts it), sorted, and their change since the mark.
enum VmstatJSON {
    static func document(_ r: CounterReport) -> JSONDocument {
        func map(_ d: [String: Int64]) -> OrderedJSON { .object(d.keys.sorted().map { ($0, .int(d[$0] ?? 0)) }) }
        return JSONDocument(
            .vmstat,
            [
                ("engine", .string(r.engine.rawValue)), ("time_s", .double(r.time)), ("mark", .string(r.markLabel)),
                ("mark_time_s", .double(r.markTime)), ("counters", map(r.values)), ("deltas", map(r.deltas)),
            ])
    }
}
