import Foundation
import SwapLabAnalysis
import SwapLabKernel
import SwapLabModel
import SwapLabSimulator

/// `lab run --compare`: the live lab beside the simulator's prediction of it. Before the live run, this machine's
/// /proc/zoneinfo, sysctls and swap are read into a simulated machine (`SimulatedLab.machine`); after it, the same lab
/// runs on that machine in the simulator, and the two runs are measured the same way (`FidelityMeasures`, from each
/// run's first hog to its end) and shown side by side, with the causes known for the measures that differ.
struct LabCompare {
    /// The simulated machine as this machine was before the run.
    let config: MachineConfig
    let source: String

    /// Reads this machine before the live run.
    init(root: String) throws {
        (config, source) = try SimulatedLab.machine(root: root)
    }

    /// The lab on the simulated machine with the same options; nil (with the reason) when it could not run.
    func simulate(_ options: LabOptions, interrupted: @escaping () -> Bool) -> Result<(LabRun, Simulator), ShellError> {
        let sim: Simulator
        do { sim = try Simulator(config: config) } catch {
            return .failure(.failed("lab --compare: cannot build the simulated machine from \(source): \(error)"))
        }
        var lab = SimulatedLab(sim: sim, options: options, progress: { _ in }, interrupted: interrupted)
        return .success((lab.run(), sim))
    }

    /// The time of the first hog's start in a lab timeline: the live lab's `lab: hog N MiB` marker, the simulated
    /// lab's `alloc hog …` marker.
    static func hogStart(_ timeline: Timeline) -> Double? {
        timeline.markers.first { $0.label.hasPrefix("lab: hog ") && $0.label.hasSuffix(" MiB") }?.time
            ?? timeline.markers.first { $0.label.hasPrefix("alloc hog ") }?.time
    }

    /// The comparison as lines for the terminal (80 columns): the table, the yes/no behaviours, and why they differ.
    static func lines(
        real: FidelityMeasures, simulated: FidelityMeasures, realLab: LabResult, simLab: LabResult
    )
        -> [String]
    {
        var out = ["This machine against the simulator's prediction (same lab, same start):", ""]
        out.append(row("measure", "this machine", "simulator", "ratio", ""))
        let rows = FidelityMeasures.rows(real: real, simulated: simulated)
        for r in rows {
            out.append(row(r.name, r.text(r.real), r.text(r.simulated), r.ratio, r.mark))
        }
        out.append("")
        let behaviours = FidelityMeasures.behaviours(real: real, simulated: simulated)
        for b in behaviours {
            out.append(row(b.name, b.real, b.simulated, "", b.matches ? "✓" : "✗"))
        }
        let counted = rows.filter(\.counts)
        out.append("")
        out.append(
            "\(counted.filter(\.within).count) of \(counted.count) measures within 2×, "
                + "\(behaviours.filter(\.matches).count) of \(behaviours.count) behaviours alike.")
        let causes = differences(rows: rows, realLab: realLab, simLab: simLab)
        if !causes.isEmpty {
            out.append("")
            out.append("Where they differ, and why:")
            out += causes.map { "- " + $0 }
        }
        return out
    }

    /// The causes known for the measures that missed.
    static func differences(rows: [FidelityMeasures.Row], realLab: LabResult, simLab: LabResult) -> [String] {
        let missed = Set(rows.filter { $0.counts && !$0.within }.map(\.name))
        var out: [String] = []
        if simLab.balloonPages < realLab.balloonPages,
            !missed.isDisjoint(with: ["hog start → first wake", "lowest free", "lowest free's band"])
        {
            out.append(
                "the simulated balloon held \(simLab.balloonPages) huge pages against \(realLab.balloonPages) here: "
                    + "it takes only free memory above low, where the kernel also reclaims and compacts for it")
        }
        if !missed.isDisjoint(with: ["direct episodes", "allocstall", "pgscan_direct", "pgsteal_direct"]) {
            out.append(
                "direct reclaim runs only while a task finds free memory below min; the simulated kswapd's fixed "
                    + "per-page costs set how often the hog gets there, so the calls (SWAP_CLUSTER_MAX, 32 pages "
                    + "each) differ in number")
        }
        if !missed.isDisjoint(with: ["balance passes", "kswapd awake", "pgscan_kswapd"]) {
            out.append(
                "the simulator has no refaults (workingset): in the kernel a refault counts as progress and keeps "
                    + "kswapd going round")
        }
        if missed.contains("swap-out while awake") {
            out.append(
                "the simulator's one swap device writes a page in a fixed 14 µs (279 MiB/s); this machine's swap device "
                    + "sets the real rate")
        }
        return out
    }

    static func row(_ a: String, _ b: String, _ c: String, _ d: String, _ e: String) -> String {
        func pad(_ s: String, _ n: Int) -> String {
            let w = DisplayWidth.of(s)
            return w >= n ? s + " " : s + String(repeating: " ", count: n - w)
        }
        let line = pad(a, 24) + pad(b, 17) + pad(c, 17) + pad(d, 8) + e
        return String(line.reversed().drop { $0 == " " }.reversed())
    }
}
