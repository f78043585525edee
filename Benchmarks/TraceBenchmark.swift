import Foundation
import SwapLabExplain
import SwapLabModel
import SwapLabTestSupport

/// `swaplab-bench trace`: trace_pipe parsing speed over the fixtures (the largest file several times) against the
/// 1,000,000 lines/s goal and the 310k lines/s peak seen live (live-lab.md §6), and the time to explain the
/// largest fixture.
enum TraceBenchmark {
    static func run() throws {
        let files = Fixtures.runs.flatMap { run in FixtureRun.traceFiles(run: run).map { "runs/\(run)/\($0)" } }
        var texts: [(String, [UInt8])] = []
        for f in files { texts.append((f, Array(try Fixtures.text(f).utf8))) }
        guard let largest = texts.max(by: { $0.1.count < $1.1.count }) else {
            print("trace: no fixtures found under \(Fixtures.root.path)")
            return
        }
        // Workload: every file once, the largest 20 times more.
        var lines = 0
        var bytes = 0
        let clock = ContinuousClock()
        var best = Duration.seconds(1000)
        for _ in 0..<5 {
            var parser = TraceLineParser()
            var count = 0
            let elapsed = clock.measure {
                for (_, t) in texts { _ = t.withUnsafeBytes { parser.parse(buffer: $0) { _ in count += 1 } } }
                for _ in 0..<20 { _ = largest.1.withUnsafeBytes { parser.parse(buffer: $0) { _ in count += 1 } } }
            }
            lines = count + parser.skipped
            bytes = texts.reduce(0) { $0 + $1.1.count } + 20 * largest.1.count
            best = min(best, elapsed)
        }
        let secs = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
        let rate = Double(lines) / secs
        print(
            "trace parse: \(lines) lines (\(bytes / 1_048_576) MiB; \(largest.0) ×21, others ×1), best of 5: "
                + String(format: "%.3f s", secs))
        print(String(format: "  measured     %12.0f lines/s  (%.0f MiB/s)", rate, Double(bytes) / secs / 1_048_576))
        print(String(format: "  goal         %12.0f lines/s  ratio %.2f×", 1_000_000.0, rate / 1_000_000))
        print(String(format: "  live peak    %12.0f lines/s  ratio %.2f×", 310_000.0, rate / 310_000))

        // Explain the largest fixture run (merged trace + samples), end to end from text.
        let run =
            Fixtures.runs.max { a, b in
                ((try? FixtureRun.traceText(run: a).utf8.count) ?? 0)
                    < ((try? FixtureRun.traceText(run: b).utf8.count) ?? 0)
            } ?? ""
        let text = try FixtureRun.traceText(run: run)
        let samples = try FixtureRun.samples(run: run)
        var explainBest = Duration.seconds(1000)
        var events = 0
        for _ in 0..<5 {
            let d = clock.measure {
                let parsed = TraceLineParser.parse(text: text)
                events = parsed.events.count
                let t = Timeline(
                    machine: MachineDescription(engine: "replay", summary: run), samples: samples.samples,
                    events: parsed.events, markers: samples.markers)
                let r = ReclaimExplainer.analyze(t)
                _ = ReclaimNarrative.text(r, lang: .en)
                _ = r.json().text
            }
            explainBest = min(explainBest, d)
        }
        let es = Double(explainBest.components.seconds) + Double(explainBest.components.attoseconds) / 1e18
        print(
            String(
                format:
                    "explain %@ (%d events, %d samples; parse + analyze + narrative + JSON): %.1f ms; goal < 1000 ms, ratio %.3f×",
                run, events, samples.samples.count, es * 1000, es))
    }
}
