// swaplab benchmarks: each prints its measurement side by side with its reference and the ratio.
// Run: swift run -c release swaplab-bench NAME [args]   (names: sim)
import Foundation

let benchArguments = Array(CommandLine.arguments.dropFirst())
switch benchArguments.first {
case "sim":
    exit(SimBenchmark.main(arguments: Array(benchArguments.dropFirst())))
default:
    print("usage: swaplab-bench NAME; benchmarks: sim")
    exit(benchArguments.isEmpty ? 0 : 2)
}
