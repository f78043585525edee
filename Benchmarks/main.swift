// swaplab benchmarks: each prints its measurement side by side with its reference and the ratio.
// Run: swift run -c release swaplab-bench [name…]
import Foundation
import SwapLabCore

// The hog benchmark runs hogs as `swaplab-bench __hog …` (the same child code as `swaplab __hog`).
if let status = HogChild.runIfRequested(CommandLine.arguments) { exit(status) }

let benchmarks: [String: () throws -> Void] = [
    "hog": HogBenchmark.run,
]

let names = CommandLine.arguments.dropFirst().isEmpty ? benchmarks.keys.sorted() : Array(CommandLine.arguments.dropFirst())
for name in names {
    guard let bench = benchmarks[name] else {
        print("unknown benchmark '\(name)'; known: \(benchmarks.keys.sorted().joined(separator: ", "))")
        exit(2)
    }
    do { try bench() } catch {
        print("\(name): \(error)")
        exit(1)
    }
}
