import Foundation

/// `swaplab-bench record`: peak memory (VmHWM, through `ChildRun`) of `swaplab` recording the simulator's 1 TiB,
/// 4-node run (the `1TiB-4node` scenario of `swaplab-bench sim`: 900 GiB written, then one second more) to a file,
/// beside the same run without `record` and an idle swaplab. Goal: < 50 MiB. The recording is removed afterwards.
enum RecordBenchmark {
    static let scenario = "machine --ram 1T --nodes 4 --swap 64G --used 16G --cache 200G; alloc 900G; run 1s"

    static func run() throws {
        guard let swaplab = ChildRun.swaplabBinary() else {
            print("record: no swaplab beside this benchmark; build it first: swift build -c release --product swaplab")
            return
        }
        let children = try ChildRun()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "swaplab-bench-record-\(getpid()).jsonl"
        ).path
        defer { unlink(file) }
        print("record benchmark: peak memory (VmHWM) of swaplab in a child process, best of 3")
        func best(_ command: String) throws -> ChildRun.Result {
            var out: ChildRun.Result?
            for _ in 0..<3 {
                let r = try children.run(swaplab, ["-c", command])
                guard r.exit == .exited(0) else {
                    throw BenchError("swaplab -c '\(command)' failed: \(r.output.suffix(300))")
                }
                if out.map({ r.peakResidentKiB < $0.peakResidentKiB }) ?? true { out = r }
            }
            return out!
        }
        let idle = try best("sleep 0s")
        let simulated = try best(scenario)
        let recorded = try best(scenario + "; record \(file)")
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        let said = recorded.output.split(separator: "\n").last { $0.hasPrefix("recorded ") } ?? "?"
        func mib(_ r: ChildRun.Result) -> Double { Double(r.peakResidentKiB) / 1024 }
        print(String(format: "  idle swaplab (sleep 0s)          %6.1f MiB", mib(idle)))
        print(
            String(
                format: "  1 TiB 4-node run                 %6.1f MiB   %.2f s", mib(simulated), simulated.wallSeconds))
        print(
            String(
                format: "  1 TiB 4-node run + record        %6.1f MiB   %.2f s   (%@, %.1f MB)", mib(recorded),
                recorded.wallSeconds, String(said), Double(size) / 1e6))
        print(
            String(
                format: "  record adds %.1f MiB to the run, %.1f MiB over idle; goal < 50 MiB, ratio %.2f× the goal",
                mib(recorded) - mib(simulated), mib(recorded) - mib(idle), mib(recorded) / 50))
    }
}
