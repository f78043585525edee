import ArgumentParser
import Foundation
import SwapLabModel
import SwapLabSimulator
import SwapLabKernel
import SwapLabAnalysis
import SwapLabExplain
import SwapLabCourse

/// `status`, `vmstat`, `events` and `mark` on the live engine: the same commands and `--json` shapes as on the
/// simulator, read from this machine's /proc and the private trace instance.
enum LiveReports {
    /// What `status` shows on the live engine (`--json`: `StatusJSON`).
    struct Status {
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
    }

    static func status(json: Bool, in session: Session) throws {
        let engine = session.liveEngine()
        let root = SystemRoot(session.systemRoot)
        let zoneinfo: Zoneinfo
        do { zoneinfo = try ZoneinfoParser.read(root: root) } catch { throw ShellError.failed(error.description) }
        let sysctls = try? VMSysctls.read(root: root)
        let swaps = (try? Swaps.read(root: root)) ?? []
        let kernel = (try? KernelRelease.read(root: root)).map { "\($0.ostype) \($0.release)" } ?? "Linux"
        let unreclaimable = zoneinfo.nodes.filter { $0.unreclaimable == true }.map(\.id)
        let s = Status(
            time: Syscall.monotonicSeconds(), kernel: kernel, minFreeKbytes: sysctls?.minFreeKbytes,
            watermarkScaleFactor: sysctls?.watermarkScaleFactor, swappiness: sysctls?.swappiness,
            zones: zoneinfo.snapshots, nodeUnreclaimable: Array(Set(unreclaimable)).sorted(),
            swapTotalKiB: swaps.reduce(0) { $0 + $1.size.kibibytes },
            swapUsedKiB: swaps.reduce(0) { $0 + $1.used.kibibytes },
            tracing: engine.trace?.isRunning ?? false, hogs: engine.hogs.map(\.name))
        let out = session.output
        if json {
            out.line(s.json(sysctls: sysctls, meminfo: try? Meminfo.read(root: root), hogs: engine.hogs).text)
            return
        }
        out.line(String(format: "live t = %.3f s (CLOCK_MONOTONIC) · %@", s.time, s.kernel))
        out.line(
            "min_free_kbytes \(s.minFreeKbytes.map(String.init) ?? "?") · watermark_scale_factor "
                + "\(s.watermarkScaleFactor.map(String.init) ?? "?") · swappiness \(s.swappiness.map(String.init) ?? "?")"
        )
        func cell(_ text: String) -> String { DisplayWidth.pad(text, to: 11, right: true) }
        let heads: [String] = ["free", "min", "low", "high", "managed"].map(cell)
        out.line(DisplayWidth.pad("zone", to: 10) + heads.joined() + DisplayWidth.pad("free", to: 12, right: true))
        for z in s.zones where z.managed.count > 0 {
            let values: [String] = [z.free, z.min, z.low, z.high, z.managed].map { cell(String($0.count)) }
            let name = DisplayWidth.pad("\(z.node) \(z.zone.rawValue)", to: 10)
            out.line(
                name + values.joined() + DisplayWidth.pad(Quantity.format(bytes: z.free.bytes), to: 12, right: true))
        }
        for n in s.nodeUnreclaimable {
            out.line(
                "node \(n): node_unreclaimable 1 — kswapd gave up; it wakes again only after reclaim makes progress")
        }
        let used = Quantity.format(bytes: s.swapUsedKiB * 1024)
        let total = Quantity.format(bytes: s.swapTotalKiB * 1024)
        let hogs = s.hogs.isEmpty ? "none" : s.hogs.joined(separator: ", ")
        out.line("swap: \(used) used of \(total) · tracing \(s.tracing ? "on" : "off") · hogs: \(hogs)")
    }

    static func vmstat(json: Bool, in session: Session) throws {
        let engine = session.liveEngine()
        let now: Vmstat
        do { now = try Vmstat.read(root: SystemRoot(session.systemRoot)) } catch {
            throw ShellError.failed(error.description)
        }
        let base = engine.baseline ?? ("start", Syscall.monotonicSeconds(), now)
        var counters: [String: Int64] = [:]
        var deltas: [String: Int64] = [:]
        for name in LiveTimeline.sampledCounters {
            guard let v = now[name] else { continue }
            counters[name] = v
            deltas[name] = v - (base.counters[name] ?? v)
        }
        let out = session.output
        let t = Syscall.monotonicSeconds()
        if json {
            out.line(
                VmstatJSON.document(
                    engine: "live", time: t, mark: base.label, markTime: base.time, counters: counters, deltas: deltas
                ).text)
            return
        }
        out.line(
            DisplayWidth.pad("counter", to: 32) + DisplayWidth.pad("now", to: 14, right: true)
                + DisplayWidth.pad(
                    String(format: "Δ since mark '%@' (%.1f s ago)", base.label, t - base.time), to: 40, right: true))
        for name in LiveTimeline.sampledCounters {
            guard let v = counters[name] else { continue }
            let d = deltas[name] ?? 0
            out.line(
                DisplayWidth.pad(name, to: 32) + DisplayWidth.pad(String(v), to: 14, right: true)
                    + DisplayWidth.pad(d == 0 ? "·" : (d > 0 ? "+\(d)" : "\(d)"), to: 40, right: true))
        }
    }

    static func events(last: Int, all: Bool, milestonesOnly: Bool, in session: Session) throws {
        let engine = session.liveEngine()
        var events = engine.recorder.snapshot(machine: MachineDescription(engine: "live", summary: "")).events
        if milestonesOnly {
            events = events.filter { $0.name != "mm_vmscan_write_folio" && $0.name != "mm_vmscan_lru_shrink_inactive" }
        }
        let out = session.output
        if engine.trace == nil && events.isEmpty {
            out.line("# no trace events: tracing is off (as root: trace on)")
            return
        }
        let shown = all ? events[...] : events.suffix(last)
        if shown.count < events.count {
            out.line("# last \(shown.count) of \(events.count) events (--all for every one)")
        }
        for e in shown { out.line(e.traceLine) }
        if events.isEmpty { out.line("# no events yet (kswapd has not been woken since tracing started)") }
        if engine.recorder.droppedEvents > 0 {
            out.line("# \(engine.recorder.droppedEvents) older events were dropped to bound memory")
        }
    }
}

extension HogFill: ExpressibleByArgument {}
