import Foundation
import SwapLabKernel
import SwapLabModel
import SwapLabSimulator

/// How a captured run is mirrored, read from the capture: the phases (`samples.csv`'s `phase` column), the zones,
/// the sysctls implied by the marks at the hog's start, swap, the hugetlb balloon, a pinned child and the hog.
public struct MirrorPlan: CustomStringConvertible {
    public var run: String
    public var zones: [ZoneSnapshot]
    public var minFreeKbytes: Int64
    public var watermarkScaleFactor: Int64
    public var swap: Pages
    /// Huge pages held when the hog started, and when a pinned child started (the balloon first squeezes the higher
    /// zones, so that the pin lands in the lower ones; then part of it is given back).
    public var balloon: Int64
    public var balloonAtPin: Int64
    /// Anon pages a pinned child added before the hog (the `pin` phase), 0 when there was none.
    public var pinned: Pages
    /// Seconds from the pin phase's start to the balloon's shrinking to `balloon`, and from then to the hog's start.
    public var pinSeconds: Double = 1
    public var afterPinSeconds: Double = 1
    /// Anon and file pages in use when the run began.
    public var anon: Pages
    public var file: Pages
    /// The hog: pages it allocated and its pace (pages/s) over the `hog` phase.
    public var hogPages: Pages
    public var hogRate: Double
    /// The hog wrote unthrottled (live-lab.md's D2a: "unthrottled 2 GiB hog"): its first 0.2 s, before reclaim
    /// could slow it, ran at more than twice its phase's average. The mirror then lets the simulated hog write at
    /// full speed, and the simulator's reclaim sets its pace.
    public var hogUnthrottled = false
    /// Seconds of each phase after the hog's start, in order.
    public var phases: [(label: String, seconds: Double)]

    public init(run: String, timeline: Timeline) throws {
        self.run = run
        let dir = FixtureRun.directory(run)
        let zoneText = try String(contentsOf: dir.appendingPathComponent("snap-before/zoneinfo.txt"), encoding: .utf8)
        zones = try ZoneinfoParser.parse(zoneText).zones.map { $0.snapshot }
        let samples = timeline.samples
        func phaseStart(_ label: String) -> Double? { timeline.markers.first { $0.label == label }?.time }
        guard let hogStart = phaseStart("hog"), let first = samples.first,
            let atHog = samples.last(where: { $0.time <= hogStart })
        else { throw EngineError.invalid("\(run): no hog phase") }
        // min_free_kbytes from the sum of the zones' min (each zone gets its managed share, in pages: kB / 4);
        // the scale factor from Normal's low − min gap (max(min / 4, managed × wsf / 10000)).
        minFreeKbytes = atHog.zones.reduce(0) { $0 + $1.min.count } * 4
        let normal = atHog.zone(.normal) ?? atHog.zones.last!
        let gap = normal.low.count - normal.min.count
        // When min / 4 sets the gap, the factor is hidden by it: use the default.
        watermarkScaleFactor =
            gap <= normal.min.count / 4 + 1
            ? 10 : Swift.max(1, (gap * 10_000 + normal.managed.count / 2) / normal.managed.count)
        let swaps = try String(contentsOf: dir.appendingPathComponent("snap-before/swaps.txt"), encoding: .utf8)
        swap = Pages(try SwapLabKernel.Swaps.parse(swaps).reduce(0) { $0 + $1.size.count })
        balloon = atHog.counters["mi_HugePages_Total_kB"] ?? 0
        anon = Pages(first.counters["nr_anon_pages"] ?? 0)
        file = Pages(first.counters["nr_file_pages"] ?? 0)
        balloonAtPin = balloon
        if let pinStart = phaseStart("pin"), let atPin = samples.last(where: { $0.time <= pinStart }) {
            balloonAtPin = atPin.counters["mi_HugePages_Total_kB"] ?? balloon
            pinned = Pages(
                Swift.max(0, (atHog.counters["nr_anon_pages"] ?? 0) - (atPin.counters["nr_anon_pages"] ?? 0)))
            let held = balloon
            let released = samples.first {
                $0.time > pinStart && $0.time <= hogStart && $0.counters["mi_HugePages_Total_kB"] == held
            }
            pinSeconds = Swift.max(1, (released?.time ?? hogStart) - pinStart)
            afterPinSeconds = Swift.max(1, hogStart - (released?.time ?? hogStart))
        } else {
            pinned = Pages(0)
        }
        // The hog's pages: anon gained over the hog phase plus what swap gained in it.
        let labels = timeline.markers.map(\.label)
        let hogIndex = labels.firstIndex(of: "hog")!
        let hogEnd = hogIndex + 1 < timeline.markers.count ? timeline.markers[hogIndex + 1].time : first.time
        let atEnd = samples.last { $0.time <= hogEnd } ?? atHog
        func delta(_ n: String) -> Int64 { (atEnd.counters[n] ?? 0) - (atHog.counters[n] ?? 0) }
        let swapped = (atHog.counters["mi_SwapFree_kB"] ?? 0) - (atEnd.counters["mi_SwapFree_kB"] ?? 0)
        hogPages = Pages(Swift.max(0, delta("nr_anon_pages") + swapped / 4))
        hogRate = hogEnd > hogStart ? Double(hogPages.count) / (hogEnd - hogStart) : 0
        if let early = samples.last(where: { $0.time <= hogStart + 0.2 }), early.time > atHog.time {
            let swappedEarly = (atHog.counters["mi_SwapFree_kB"] ?? 0) - (early.counters["mi_SwapFree_kB"] ?? 0)
            let written =
                (early.counters["nr_anon_pages"] ?? 0) - (atHog.counters["nr_anon_pages"] ?? 0)
                + swappedEarly / 4
            hogUnthrottled = Double(written) / (early.time - atHog.time) > 2 * hogRate
        }
        var phases: [(String, Double)] = []
        let end = timeline.span?.upperBound ?? hogEnd
        for (i, m) in timeline.markers.enumerated() where i >= hogIndex {
            let next = i + 1 < timeline.markers.count ? timeline.markers[i + 1].time : end
            phases.append((m.label, next - m.time))
        }
        self.phases = phases
    }

    public var description: String {
        let mib = { (p: Pages) in "\(p.count / 256) MiB" }
        return "  mirror: min_free_kbytes \(minFreeKbytes), wsf \(watermarkScaleFactor), swap \(mib(swap)), "
            + "balloon \(balloon) × 2 MiB\(balloonAtPin != balloon ? " (\(balloonAtPin) while pinning)" : ""), pin \(mib(pinned)), hog \(mib(hogPages)) at "
            + (hogUnthrottled ? "full speed (\(Int(hogRate / 256)) MiB/s on average)" : "\(Int(hogRate / 256)) MiB/s")
            + "; phases "
            + phases.map { "\($0.label) \(String(format: "%.1f", $0.seconds)) s" }.joined(separator: ", ")
    }

    /// Runs the mirror; returns its timeline and the simulated time the hog started. The machine starts as
    /// `snap-before` shows it (free pages, LRU pages, marks); then the run's sysctls, the balloon and the pin (for as
    /// long as the real pin ran before the balloon shrank, then the rest of its phase; else a second to settle), and
    /// the hog's phases as long as they lasted. The balloon is released when the run waits for
    /// the re-read (as the lab does), and the hog reads its pages back in `hog-reread`. `perCPU` is what the per-CPU
    /// lists hold at the end, zone by zone.
    public func simulate() throws -> (timeline: Timeline, hogStart: Double, perCPU: [ZoneType: Int64]) {
        let dir = FixtureRun.directory(run)
        func text(_ name: String) throws -> String {
            try String(contentsOf: dir.appendingPathComponent("snap-before/\(name)"), encoding: .utf8)
        }
        var capture = MachineCapture(
            try ZoneinfoParser.parse(try text("zoneinfo.txt")), vmstat: try Vmstat.parse(try text("vmstat.txt")))
        // Huge pages come only from the free 2 MiB blocks `snap-before/buddyinfo.txt` shows.
        capture.addFreeBlocks(try Buddyinfo.parse(try text("buddyinfo.txt")))
        let sim = try Simulator(config: try MachineConfig.captured(capture, swap: swap))
        _ = try sim.setSysctl(.minFreeKbytes, value: minFreeKbytes)
        _ = try sim.setSysctl(.watermarkScaleFactor, value: watermarkScaleFactor)
        if pinned.count > 0 {
            if balloonAtPin > 0 { _ = try sim.setSysctl(.nrHugepages, value: balloonAtPin) }
            _ = try sim.startAllocation(name: "pin", size: pinned, mlock: true)
            sim.run(seconds: pinSeconds)
        }
        if balloon > 0 { _ = try sim.setSysctl(.nrHugepages, value: balloon) }
        sim.run(seconds: pinned.count > 0 ? afterPinSeconds : 1)
        sim.mark("hog")
        let hogStart = sim.timeline().markers.last?.time ?? 0
        _ = try sim.startAllocation(
            name: "hog", size: hogPages, rate: hogRate > 0 && !hogUnthrottled ? hogRate : nil)
        for (label, seconds) in phases {
            if label != "hog" { sim.mark(label) }
            if label == "hog-waiting-reread", balloon > 0 { _ = try sim.setSysctl(.nrHugepages, value: 0) }
            if label == "hog-reread" { _ = try sim.startTouch(name: "hog") }
            sim.run(seconds: seconds)
        }
        return (sim.timeline(), hogStart, sim.perCPUHugePagesByZone)
    }
}
