import ArgumentParser
import Foundation
import SwapLabKernel
import SwapLabModel

/// `watermarks [--json]`: every zone's free pages against its min/low/high marks, the order-0 wake point of a
/// user allocation and the distance to it, and a warning when MemFree and the zones disagree (lazy zones).
///
/// `--root DIR` (hidden) reads /proc below DIR instead of `session.systemRoot`, for tests and captured trees.
struct WatermarksCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "watermarks",
        abstract: "Show each zone's free pages and min/low/high watermarks, and where kswapd wakes.",
        discussion: """
            Per node and zone, in 4 KiB pages and MiB: free, min, low, high, boost, managed, present, and the \
            protection (lowmem_reserve) the zone keeps against user allocations. Then the free-memory level at which \
            an ordinary user allocation wakes kswapd, and how far away that is.

            --json prints one line (schema swaplab.watermarks/2; every key in docs/json.md), counts in 4 KiB pages: \
            engine, note, highest_zone, zones, wake_point_pages, distance_pages, free_pages, would_wake, balanced, \
            wake_zones, memfree_pages, zone_free_pages, memfree_disagrees, lazy_zones.
            """)

    @Flag(name: .long, help: "Print JSON (counts in pages) instead of a table.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Read /proc below DIR (tests).", visibility: .hidden))
    var root: String?

    func run(in session: Session) throws {
        let view = try WatermarksCommand.view(for: session, root: root)
        if json {
            session.output.line(view.json.text)
        } else {
            view.render(to: session.output)
        }
    }

    /// Where `watermarks` takes its zones from: the engine's zones, or this machine's with a note saying so while
    /// the engine has no machine yet (the simulator before its first command). `--root DIR` reads this machine's
    /// /proc below DIR (tests).
    static func view(for session: Session, root: String?) throws -> WatermarksView {
        func thisMachine(note: String?) throws -> WatermarksView {
            let reading =
                try root.map { try LiveEngine.readZones(root: SystemRoot($0)) } ?? session.thisMachine().zoneReading()
            guard let reading else { throw ShellError.unavailable("this machine's zones could not be read") }
            return WatermarksView(reading, note: note)
        }
        let engine = session.activeEngine()
        if engine is any ThisMachine { return try thisMachine(note: nil) }
        if let reading = try engine.zoneReading() { return WatermarksView(reading, note: nil) }
        return try thisMachine(note: "(live: this machine; the simulator has no machine yet — `machine` creates one)")
    }
}

/// What `watermarks` shows, from zone snapshots and an engine name: the same renderer serves the live kernel and
/// the simulator.
struct WatermarksView {
    /// `live` or `sim`.
    var engine: String
    /// Every zone, populated or not, in node and zone order.
    var zones: [ZoneSnapshot]
    /// `MemFree` when the engine has it (live); nil skips the disagreement check.
    var memFree: Pages?
    /// A line printed before the table (e.g. why the live machine is shown on the sim engine).
    var note: String?

    init(engine: String, zones: [ZoneSnapshot], memFree: Pages?, note: String?) {
        (self.engine, self.zones, self.memFree, self.note) = (engine, zones, memFree, note)
    }

    init(_ reading: ZoneReading, note: String?) {
        self.init(engine: reading.engine.rawValue, zones: reading.zones, memFree: reading.memFree, note: note)
    }

    var wake: WakePoint { WakePoint.userAllocation(zones) }
    var freeCheck: FreeMemoryCheck? { memFree.map { FreeMemoryCheck(memFree: $0, zones: zones) } }

    /// MiB with one decimal, for table cells.
    static func mib(_ p: Pages) -> String { String(format: "%.1f", p.mebibytes) }

    /// The human table and the wake-point lines.
    func render(to out: Output) {
        if let note { out.line(out.styled(note, .dim)) }
        let w = wake
        renderTable(w, to: out)
        out.line()
        guard !w.zones.isEmpty else {
            out.paragraph("No zone up to \(w.highestZone.rawValue) has managed pages, so there is no wake point.")
            return
        }
        renderWakePoint(w, to: out)
        if let check = freeCheck, check.disagrees { renderDisagreement(check, to: out) }
    }

    /// The zones in pages, with MiB below each row and each zone's `lowmem_reserve` protection against
    /// allocations for the highest zone (the fields of /proc/zoneinfo, `zoneinfo_show_print()` in mm/vmstat.c).
    private func renderTable(_ w: WakePoint, to out: Output) {
        let shown = zones.filter { $0.managed.count > 0 || $0.present.count > 0 }
        let empty = zones.filter { $0.managed.count == 0 && $0.present.count == 0 }
        let protHeader = "prot[\(w.highestZone.rawValue)]"
        let headers = ["node", "zone", "free", "min", "low", "high", "boost", "managed", "present", protHeader]
        var rows: [[String]] = []
        var mibRows: [[String]] = []
        for z in shown {
            let prot = w.zones.first { $0.node == z.node && $0.zone == z.zone }?.protection
            rows.append([
                String(z.node), z.zone.rawValue, String(z.free.count), String(z.min.count), String(z.low.count),
                String(z.high.count), String(z.boost.count), String(z.managed.count), String(z.present.count),
                prot.map { String($0.count) } ?? "-",
            ])
            mibRows.append([
                "", "MiB", Self.mib(z.free), Self.mib(z.min), Self.mib(z.low), Self.mib(z.high), Self.mib(z.boost),
                Self.mib(z.managed), Self.mib(z.present), prot.map(Self.mib) ?? "",
            ])
        }
        var widths = headers.map { DisplayWidth.of($0) }
        for r in rows + mibRows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(c)) } }
        func format(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in DisplayWidth.pad(c, to: widths[i], right: i != 1) }
                .joined(separator: "  ")
        }
        out.line("Zones of the \(engine) engine, in 4 KiB pages (MiB below each row):")
        out.line(out.styled(format(headers), .bold))
        for (r, m) in zip(rows, mibRows) {
            out.line(format(r))
            out.line(out.styled(format(m), .dim))
        }
        if !empty.isEmpty {
            out.line("empty zones: " + empty.map { "\($0.zone.rawValue) (node \($0.node))" }.joined(separator: ", "))
        }
    }

    /// Where kswapd wakes (`wake_all_kswapds()` in `__alloc_pages_slowpath()` once every zone fails
    /// `zone_watermark_ok()` at low, mm/page_alloc.c) and where it sleeps again (`pgdat_balanced()` in mm/vmscan.c).
    private func renderWakePoint(_ w: WakePoint, to out: Output) {
        let parts = w.zones.map { z -> String in
            let name = zones.contains(where: { $0.node != z.node }) ? "\(z.zone.rawValue)@\(z.node)" : z.zone.rawValue
            let low = z.wakeThreshold - z.protection
            let mark = z.protection.count > 0 ? "low \(low.count) + prot \(z.protection.count)" : "low \(low.count)"
            if z.free <= z.wakeThreshold {
                return "\(name) free \(z.free.count) (already ≤ \(mark))"
            }
            return "\(name) \(mark)"
        }
        out.paragraph(
            "kswapd wake point (order-0 user allocation, zones up to \(w.highestZone.rawValue)): "
                + "\(Quantity.coarse(w.wakePoint)) of free memory (\(w.wakePoint.count) pages = "
                + parts.joined(separator: " + ") + ").",
            indent: "  ")
        if w.wouldWake {
            out.paragraph(
                "Every zone is at or below its low mark + protection now: the next allocation that misses the "
                    + "per-CPU lists wakes kswapd.", indent: "  ")
        } else {
            out.paragraph(
                "Free in these zones: \(Quantity.coarse(w.free)); kswapd wakes after \(Quantity.coarse(w.distance)) more is "
                    + "allocated (distance \(w.distance.count) pages).", indent: "  ")
        }
        let sleeps = w.zones.map { "\($0.zone.rawValue) > \($0.balancedThreshold.count)" }.joined(separator: " or ")
        out.paragraph(
            "Once awake, kswapd sleeps again when ANY zone is above high + protection: \(sleeps) pages"
                + (w.isBalanced ? " (true now)." : " (not yet)."), indent: "  ")
    }

    /// MemFree against the zones' free pages, and why they differ (a lazily initialised zone,
    /// `deferred_grow_zone()` in mm/mm_init.c).
    private func renderDisagreement(_ check: FreeMemoryCheck, to out: Output) {
        var text =
            "MemFree (\(Quantity.coarse(check.memFree))) and the zones' free pages (\(Quantity.coarse(check.zoneFree))) "
            + "disagree by \(Quantity.coarse(check.difference))"
        if let lazy = check.lazyZones.first {
            text +=
                ": the \(lazy.zone.rawValue) zone is lazily initialised (present \(lazy.present.count), "
                + "managed \(lazy.managed.count) pages). Until it has grown, a failed watermark check grows the "
                + "zone instead of waking kswapd."
        } else {
            text += "."
        }
        out.paragraph(out.styled("note:", .yellow) + " " + text, indent: "  ")
    }
}
