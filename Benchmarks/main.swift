// swaplab benchmarks: each prints its measurement side by side with its reference and the ratio.
// Run: swift run -c release swaplab-bench [name…]
import Foundation

let benchArguments = Array(CommandLine.arguments.dropFirst())
switch benchArguments.first {
case "chart":
    try chartBenchmark(Array(benchArguments.dropFirst()))
default:
    print("usage: swaplab-bench NAME [options]; benchmarks: chart")
}
