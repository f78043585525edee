import Foundation
import SwapLabAnalysis
import SwapLabExplain
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
        let causes = differences(rows: rows, behaviours: behaviours, realLab: realLab, simLab: simLab)
        if !causes.isEmpty {
            out.append("")
            out.append("Where they differ, and why:")
            out += causes.map { "- " + $0 }
        }
        return out
    }

    /// The causes known for the measures that missed and the behaviours that differ (`CompareNarrative`).
    static func differences(
        rows: [FidelityMeasures.Row], behaviours: [FidelityMeasures.Behaviour], realLab: LabResult, simLab: LabResult
    ) -> [String] {
        let balloon = (real: realLab.balloonPages, simulated: simLab.balloonPages)
        let hog = realLab.hogMib > 0 && simLab.hogMib > 0 ? (real: realLab.hogMib, simulated: simLab.hogMib) : nil
        return CompareNarrative.causes(
            rows: rows, behaviours: behaviours, balloon: balloon, hogMib: hog, lang: .en
        ).causes
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
