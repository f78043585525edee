import SwapLabModel

/// `vmstat --json` (`swaplab.vmstat/2`) on both engines: counters by their /proc/vmstat names (each in its own
/// unit, as the kernel counts it), sorted, and their change since the mark.
enum VmstatJSON {
    static func document(
        engine: String, time: Double, mark: String, markTime: Double, counters: [String: Int64],
        deltas: [String: Int64]
    ) -> JSONDocument {
        func map(_ d: [String: Int64]) -> OrderedJSON { .object(d.keys.sorted().map { ($0, .int(d[$0] ?? 0)) }) }
        return JSONDocument(
            .vmstat,
            [
                ("engine", .string(engine)), ("time_s", .double(time)), ("mark", .string(mark)),
                ("mark_time_s", .double(markTime)), ("counters", map(counters)), ("deltas", map(deltas)),
            ])
    }
}
