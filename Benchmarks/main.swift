// swaplab benchmarks: each prints its measurement side by side with its reference and the ratio.
// Run: swift run -c release swaplab-bench NAME [options]
import Foundation
import SwapLabKernel

// The hog benchmark spawns this executable as the memory hog's child (`swaplab-bench __hog …`).
if let status = HogChild.runIfRequested(CommandLine.arguments) { exit(status) }

let benchmarks: [String: ([String]) throws -> Void] = [
    "trace": { _ in try TraceBenchmark.run() },
    "chart": { try chartBenchmark($0) },
    "hog": { _ in try HogBenchmark.run() },
    "explain": { try ExplainBenchmark.run(hostileOnly: $0.contains("--hostile")) },
    "record": { _ in try RecordBenchmark.run() },
    "watch": { _ in try WatchBenchmark.run() },
    "fidelity": { try FidelityBenchmark.run($0) },
    "fit": { _ in try FitBenchmark.run([]) },
    "sim": {
        let status = SimBenchmark.main(arguments: $0); if status != 0 { exit(status) }
    },
]
let benchArguments = Array(CommandLine.arguments.dropFirst())
guard let name = benchArguments.first, let bench = benchmarks[name] else {
    print("usage: swaplab-bench NAME [options]; benchmarks: \(benchmarks.keys.sorted().joined(separator: ", "))")
    exit(benchArguments.isEmpty ? 0 : 2)
}
do { try bench(Array(benchArguments.dropFirst())) } catch {
    print("swaplab-bench \(name): \(error)")
    exit(1)
}
