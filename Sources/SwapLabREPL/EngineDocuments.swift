import Foundation
import SwapLabModel

/// The `--json` documents of `status` and `vmstat`, computed from the engine's values. `status --json` still has
/// one shape per engine (their keys as they were before the Engine protocol); issue 10's JSON vocabulary gives
/// both one shape, and this file is where that happens.
enum EngineDocuments {
    /// `status --json`.
    static func status(_ s: EngineStatus) throws -> String {
        switch s.engine {
        case .sim: return try EngineText.json(SimulatorStatusDocument(s))
        case .live: return try EngineText.json(LiveStatusDocument(s))
        }
    }

    /// `vmstat --json`: the same keys on both engines.
    static func counters(_ r: CounterReport) throws -> String {
        try EngineText.json(
            CountersDocument(
                engine: r.engine.rawValue, time: r.time, mark: r.markLabel, markTime: r.markTime, counters: r.values,
                deltas: r.deltas))
    }

    /// The `vmstat --json` shape.
    struct CountersDocument: Encodable {
        var engine: String
        var time: Double
        var mark: String
        var markTime: Double
        var counters: [String: Int64]
        var deltas: [String: Int64]
    }

    /// The simulator's `status --json` shape: swap and memory in pages, kswapd and tasks with their states.
    struct SimulatorStatusDocument: Encodable {
        struct Kswapd: Encodable {
            var node: Int
            var state: String?
            var failures: Int?
            var nodeUnreclaimable: Bool
        }

        struct Task: Encodable {
            var name: String
            var pid: Int
            var residentPages: Int64
            var swappedPages: Int64
            var state: String
        }

        var engine = "sim"
        var time: Double
        var machine: String
        var minFreeKbytes: Int64?
        var watermarkScaleFactor: Int64?
        var watermarkBoostFactor: Int64?
        var swappiness: Int64?
        var swapTotalPages: Int64
        var swapUsedPages: Int64
        var filePages: Int64?
        var dirtyPages: Int64?
        var anonPages: Int64?
        var zones: [ZoneSnapshot]
        var kswapd: [Kswapd]
        var tasks: [Task]

        init(_ s: EngineStatus) {
            time = s.time
            machine = s.machine
            minFreeKbytes = s.settings.minFreeKbytes
            watermarkScaleFactor = s.settings.watermarkScaleFactor
            watermarkBoostFactor = s.settings.watermarkBoostFactor
            swappiness = s.settings.swappiness
            swapTotalPages = s.swapTotal.count
            swapUsedPages = s.swapUsed.count
            filePages = s.memory?.file.count
            dirtyPages = s.memory?.dirty.count
            anonPages = s.memory?.anon.count
            zones = s.zones
            kswapd = s.kswapd.map {
                Kswapd(
                    node: $0.node, state: $0.state?.rawValue, failures: $0.failures,
                    nodeUnreclaimable: $0.nodeUnreclaimable)
            }
            tasks = s.tasks.map {
                Task(
                    name: $0.name, pid: $0.pid, residentPages: $0.resident.count, swappedPages: $0.swapped.count,
                    state: $0.state.rawValue)
            }
        }
    }

    /// The live engine's `status --json` shape: the kernel, unreclaimable nodes, swap in KiB, tracing and hogs.
    struct LiveStatusDocument: Encodable {
        var engine = "live"
        var time: Double
        var kernel: String
        var minFreeKbytes: Int64?
        var watermarkScaleFactor: Int64?
        var swappiness: Int64?
        var zones: [ZoneSnapshot]
        var nodeUnreclaimable: [Int]
        var swapTotalKiB: Int64
        var swapUsedKiB: Int64
        var tracing: Bool
        var hogs: [String]

        init(_ s: EngineStatus) {
            time = s.time
            kernel = s.machine
            minFreeKbytes = s.settings.minFreeKbytes
            watermarkScaleFactor = s.settings.watermarkScaleFactor
            swappiness = s.settings.swappiness
            zones = s.zones
            nodeUnreclaimable = s.kswapd.filter(\.nodeUnreclaimable).map(\.node)
            swapTotalKiB = s.swapTotal.kibibytes
            swapUsedKiB = s.swapUsed.kibibytes
            tracing = s.tracing ?? false
            hogs = s.tasks.map(\.name)
        }
    }
}
