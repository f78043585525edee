// swaplab benchmarks: each prints its measurement side by side with its reference and the ratio.
// Run: swift run -c release swaplab-bench [name…]
let benchmarks: [String: () throws -> Void] = [
    "trace": TraceBenchmark.run
]
let names = CommandLine.arguments.dropFirst()
if names.isEmpty { print("swaplab-bench: name one of: \(benchmarks.keys.sorted().joined(separator: ", "))") }
for name in names {
    guard let bench = benchmarks[name] else {
        print("swaplab-bench: unknown benchmark '\(name)'; known: \(benchmarks.keys.sorted().joined(separator: ", "))")
        continue
    }
    do { try bench() } catch { print("swaplab-bench \(name): \(error)") }
}
