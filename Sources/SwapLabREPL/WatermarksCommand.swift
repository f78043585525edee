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
            view.render(to: session.output, session.words)
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
    /// The prose is said in `words`' language and graded in English (`Output.paragraph(_:indent:recorded:)`), so
    /// lessons' `output` patterns read the same report in every language.
    func render(to out: Output, _ words: Words = .en) {
        if let note { out.line(out.styled(note, .dim)) }
        let w = wake
        renderTable(w, to: out, words)
        out.line()
        guard !w.zones.isEmpty else {
            let zone = w.highestZone.rawValue
            out.paragraph(
                words(
                    "No zone up to \(zone) has managed pages, so there is no wake point.",
                    "\(zone)까지의 zone 중 관리되는 페이지가 있는 zone이 없어 깨어나는 지점도 없습니다."),
                recorded: "No zone up to \(zone) has managed pages, so there is no wake point.")
            return
        }
        renderWakePoint(w, to: out, words)
        if let check = freeCheck, check.disagrees { renderDisagreement(check, to: out) }
    }

    /// The zones in pages, with MiB below each row and each zone's `lowmem_reserve` protection against
    /// allocations for the highest zone (the fields of /proc/zoneinfo, `zoneinfo_show_print()` in mm/vmstat.c).
    private func renderTable(_ w: WakePoint, to out: Output, _ words: Words) {
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
        // Two spaces between columns, or one where two would run past the width (a zone of 7-digit pages).
        let gap = widths.reduce(0, +) + 2 * (widths.count - 1) > out.width ? " " : "  "
        func format(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in DisplayWidth.pad(c, to: widths[i], right: i != 1) }
                .joined(separator: gap)
        }
        let title = "Zones of the \(engine) engine, in 4 KiB pages (MiB below each row):"
        out.paragraph(words(title, "\(engine) 엔진의 zone, 4 KiB 페이지 단위 (각 행 아래는 MiB):"), recorded: title)
        out.line(out.styled(format(headers), .bold))
        for (r, m) in zip(rows, mibRows) {
            out.line(format(r))
            out.line(out.styled(format(m), .dim))
        }
        if !empty.isEmpty {
            let list = empty.map { "\($0.zone.rawValue) (node \($0.node))" }.joined(separator: ", ")
            out.paragraph(words("empty zones: ", "빈 zone: ") + list, recorded: "empty zones: " + list)
        }
    }

    /// Where kswapd wakes (`wake_all_kswapds()` in `__alloc_pages_slowpath()` once every zone fails
    /// `zone_watermark_ok()` at low, mm/page_alloc.c) and where it sleeps again (`pgdat_balanced()` in mm/vmscan.c).
    private func renderWakePoint(_ w: WakePoint, to out: Output, _ words: Words) {
        func say(_ en: String, _ ko: String) { out.paragraph(words(en, ko), indent: "  ", recorded: en) }
        func parts(_ t: Words) -> String {
            w.zones.map { z -> String in
                let name =
                    zones.contains(where: { $0.node != z.node }) ? "\(z.zone.rawValue)@\(z.node)" : z.zone.rawValue
                let low = z.wakeThreshold - z.protection
                let mark = z.protection.count > 0 ? "low \(low.count) + prot \(z.protection.count)" : "low \(low.count)"
                if z.free <= z.wakeThreshold {
                    return "\(name) free \(z.free.count) (" + t("already ≤ ", "이미 ≤ ") + "\(mark))"
                }
                return "\(name) \(mark)"
            }.joined(separator: " + ")
        }
        let top = w.highestZone.rawValue, point = Quantity.coarse(w.wakePoint), pages = w.wakePoint.count
        say(
            "kswapd wake point (order-0 user allocation, zones up to \(top)): \(point) of free memory (\(pages) pages = "
                + parts(.en) + ").",
            "kswapd가 깨어나는 지점 (order-0 사용자 할당, \(top)까지의 zone): 여유 메모리 \(point) (\(pages) 페이지 = "
                + parts(words) + ").")
        if w.wouldWake {
            say(
                "Every zone is at or below its low mark + protection now: the next allocation that misses the "
                    + "per-CPU lists wakes kswapd.",
                "지금 모든 zone이 Low + protection 이하입니다. per-CPU 목록에서 페이지를 얻지 못하는 다음 할당이 "
                    + "kswapd를 깨웁니다.")
        } else {
            let free = Quantity.coarse(w.free), distance = Quantity.coarse(w.distance)
            say(
                "Free in these zones: \(free); kswapd wakes after \(distance) more is allocated (distance "
                    + "\(w.distance.count) pages).",
                "이 zone들의 여유 메모리: \(free). \(distance)를 더 할당하면 kswapd가 깨어납니다 (거리 "
                    + "\(w.distance.count) 페이지).")
        }
        let sleeps = w.zones.map { "\($0.zone.rawValue) > \($0.balancedThreshold.count)" }
        say(
            "Once awake, kswapd sleeps again when ANY zone is above high + protection: "
                + sleeps.joined(separator: " or ") + " pages" + (w.isBalanced ? " (true now)." : " (not yet)."),
            "깨어난 kswapd는 zone 중 하나라도 High + protection 위로 올라가면 다시 잠듭니다: "
                + sleeps.joined(separator: " 또는 ") + " 페이지" + (w.isBalanced ? " (지금 충족)." : " (아직 아님)."))
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
