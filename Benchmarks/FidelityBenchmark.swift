import Foundation
import SwapLabAnalysis
import SwapLabKernel
import SwapLabModel
import SwapLabSimulator
import SwapLabTestSupport

/// `swaplab-bench fidelity`: mirrors every captured run of the fixtures in the simulator and prints, per measure, the
/// real value, the simulated value and their ratio; then the yes/no behaviours and the score (the fraction of
/// measures within 2×, counting only measures that are non-zero on at least one side).
///
/// The mirror is built from what the capture itself says (see `MirrorPlan`), never from the run's outcome: the
/// machine from `snap-before/zoneinfo.txt`, the sysctls from the marks, swap from `snap-before/swaps.txt`, the
/// balloon and the pin from the samples, and the hog's size and pace from its phase.
enum FidelityBenchmark {
    static func run(_ arguments: [String]) throws {
        let only = arguments.first { !$0.hasPrefix("-") }
        let runs = Fixtures.runs.filter { only == nil || $0.hasPrefix(only!) }
        var summary: [(String, Int, Int, Int, Int)] = []
        for name in runs {
            let real = try FixtureRun.timeline(run: name, trace: .best)
            let plan = try MirrorPlan(run: name, timeline: real)
            guard let hogStart = real.markerTime("hog") else { continue }
            let realMeasures = FidelityMeasures(real, from: hogStart)
            let started = Date()
            let simulated = try plan.simulate()
            let seconds = Date().timeIntervalSince(started)
            let simMeasures = FidelityMeasures(simulated.timeline, from: simulated.hogStart)
            print("\n== \(name)  (simulated in \(String(format: "%.2f", seconds)) s)")
            print(plan.description)
            print(
                "  free at the hog's start: real \(zonesAt(real, hogStart)); simulated \(zonesAt(simulated.timeline, simulated.hogStart))"
            )
            let rows = FidelityMeasures.rows(real: realMeasures, simulated: simMeasures)
            printRows(rows)
            let behaviours = FidelityMeasures.behaviours(real: realMeasures, simulated: simMeasures)
            for b in behaviours {
                print(
                    "  \(pad(b.name, 24)) real \(pad(b.real, 12)) sim \(pad(b.simulated, 12)) \(b.matches ? "✓" : "✗")")
            }
            let counted = rows.filter(\.counts)
            let hits = counted.filter(\.within).count
            let right = behaviours.filter(\.matches).count
            print("  score: \(hits)/\(counted.count) within 2×, \(right)/\(behaviours.count) behaviours right")
            summary.append((name, hits, counted.count, right, behaviours.count))
        }
        print("\n== summary (goal: ≥ 80 % within 2× and every behaviour right, on every run)")
        for (name, hits, n, right, b) in summary {
            let pct = n > 0 ? 100 * Double(hits) / Double(n) : 100
            let met = pct >= 80 && right == b
            print(
                "  \(pad(name, 36)) \(String(format: "%5.1f", pct)) %  behaviours \(right)/\(b)  \(met ? "goal met" : "goal missed")"
            )
        }
    }

    static func printRows(_ rows: [FidelityMeasures.Row]) {
        print("  \(pad("measure", 24)) \(pad("real", 14)) \(pad("simulated", 14)) ratio")
        for r in rows {
            print(
                "  \(pad(r.name, 24)) \(pad(r.text(r.real), 14)) \(pad(r.text(r.simulated), 14)) \(pad(r.ratio, 7)) "
                    + (r.mark.isEmpty ? " " : r.mark))
        }
    }

    static func pad(_ s: String, _ n: Int) -> String {
        let w = DisplayWidth.of(s)
        return w >= n ? s : s + String(repeating: " ", count: n - w)
    }
}

extension FidelityBenchmark {
    /// Each zone's free pages in the sample nearest `t` (a line under the run's table: where the two machines stood
    /// when the hog started).
    static func zonesAt(_ timeline: Timeline, _ t: Double) -> String {
        guard let s = timeline.samples.min(by: { abs($0.time - t) < abs($1.time - t) }) else { return "—" }
        return s.zones.filter { $0.managed.count > 0 }.map { "\($0.zone.rawValue) \($0.free.count)" }
            .joined(separator: ", ")
    }
}
