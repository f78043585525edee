import Foundation
import SwapLabKernel
import SwapLabTestSupport

/// `swaplab-bench watch`: the live sampler's steady cost, one read + parse of /proc/zoneinfo and /proc/vmstat
/// (`LiveTimeline.readSample()`, ten times a second while watching), against the String-based parse it replaced
/// (`StringProcReference`), on this machine's /proc and on every captured tree in the fixtures. CPU is user +
/// system time (getrusage), so the kernel's work of printing the files counts too. Goal: < 1 % of one CPU at
/// 10 Hz. Then, for the record, the whole `watch --interval 100ms --count 100` command in a child process.
enum WatchBenchmark {
    static let batch = 400
    static let rounds = 5

    static func run() throws {
        print("watch benchmark: CPU (user + system) per sample, best of \(rounds) rounds of \(batch) samples")
        print(pad("tree", 44) + pad("byte parser", 14) + pad("String ref", 14) + pad("ratio", 8) + "at 10 Hz")
        let live = try measure(SystemRoot())
        report("this machine (/proc)", live)
        var sums = (new: 0.0, old: 0.0)
        let folders = Fixtures.zoneinfoFiles.map { String($0.dropLast("/zoneinfo.txt".count)) }
        for folder in folders {
            let dir = try FakeRoot.fromSnapshot(folder)
            defer { FakeRoot.remove(dir) }
            let m = try measure(SystemRoot(dir.path), rounds: 3)
            sums.new += m.new
            sums.old += m.old
        }
        let n = Double(folders.count)
        report("fixtures (mean of \(folders.count) captured trees)", (sums.new / n, sums.old / n))
        let share = live.new * 10 * 100
        print(
            String(
                format:
                    "live sampler at 10 Hz: %.3f %% of one CPU (String parse: %.3f %%); goal < 1 %%, ratio %.2f× goal",
                share, live.old * 10 * 100, share / 1))
        wholeCommand()
    }

    /// CPU seconds per sample for the byte parser and the String reference, checking they read the same.
    static func measure(_ root: SystemRoot, rounds: Int = rounds) throws -> (new: Double, old: Double) {
        let timeline = LiveTimeline(root: root)
        let a = try timeline.readSample()
        let b = try StringProcReference.readSample(root: root)
        guard a.zones.count == b.zones.count, root.path == "/" || (a.zones == b.zones && a.counters == b.counters)
        else {
            throw BenchError("the byte parser and the String parse disagree on \(root.path)")
        }
        var best = (new: Double.infinity, old: Double.infinity)
        for _ in 0..<rounds {
            var t = Syscall.cpuSeconds()
            for _ in 0..<batch { _ = try timeline.readSample() }
            best.new = min(best.new, (Syscall.cpuSeconds() - t) / Double(batch))
            t = Syscall.cpuSeconds()
            for _ in 0..<batch { _ = try StringProcReference.readSample(root: root) }
            best.old = min(best.old, (Syscall.cpuSeconds() - t) / Double(batch))
        }
        return best
    }

    static func report(_ label: String, _ m: (new: Double, old: Double)) {
        print(
            pad(label, 44) + pad(String(format: "%.1f µs", m.new * 1e6), 14)
                + pad(String(format: "%.1f µs", m.old * 1e6), 14)
                + pad(String(format: "%.2f×", m.old / m.new), 8)
                + String(format: "%.3f %% vs %.3f %%", m.new * 1000, m.old * 1000))
    }

    /// The whole command as the issue measured it (`/usr/bin/time -v swaplab -c '…'`): CPU of the child over its run,
    /// and, from a one-frame run subtracted, the steady cost of the frames (sampler + chart + PSI) without start-up.
    static func wholeCommand() {
        let command = "engine live; watch --interval 100ms --count 100"
        guard let swaplab = ChildRun.swaplabBinary() else {
            print("whole command: skipped (no swaplab beside this benchmark; swift build -c release --product swaplab)")
            return
        }
        do {
            let children = try ChildRun()
            let one = try children.run(swaplab, ["-c", "engine live; watch --interval 100ms --count 1"])
            let r = try children.run(swaplab, ["-c", command])
            print(
                String(
                    format:
                        "whole command `swaplab -c '%@'`: %.3f s CPU over %.2f s = %.2f %% of one CPU; peak %.1f MiB",
                    command, r.cpuSeconds, r.wallSeconds, r.cpuSeconds / r.wallSeconds * 100,
                    Double(r.peakResidentKiB) / 1024))
            print(
                String(
                    format: "  without start-up (minus a 1-frame run, %.3f s CPU): %.2f %% of one CPU for 99 frames "
                        + "(sampler, chart frame and PSI read every 100 ms)", one.cpuSeconds,
                    (r.cpuSeconds - one.cpuSeconds) / (r.wallSeconds - one.wallSeconds) * 100))
        } catch {
            print("whole command: \(error)")
        }
    }

    static func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(1, n - s.count)) }
}

/// A failed benchmark step.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Runs child processes through `Benchmarks/reference/peak.c` (compiled once with cc -O2), which forks each and
/// reports its peak resident memory (its VmHWM: see peak.c for why a tiny parent is needed) and CPU time.
final class ChildRun {
    struct Result {
        var exit: ChildExit
        var wallSeconds: Double
        var cpuSeconds: Double
        var peakResidentKiB: Int
        var output: String
    }

    private let helper: String
    private let scratch: String

    init() throws {
        let source = Fixtures.repositoryRoot.appendingPathComponent("Benchmarks/reference/peak.c").path
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-bench-peak-\(getpid())").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        helper = scratch + "/peak"
        let r = HogBenchmark.shell("/usr/bin/env", ["cc", "-O2", "-o", helper, source])
        guard r.status == 0 else { throw BenchError("cc -O2 \(source) failed: \(r.text)") }
    }

    deinit { try? FileManager.default.removeItem(atPath: scratch) }

    /// The release `swaplab` next to this benchmark executable, if built.
    static func swaplabBinary() -> String? {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        let path = URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("swaplab").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// Runs `executable` with `arguments` (stdin /dev/null) and returns what it used and printed (stdout, through a
    /// file so that the child never waits on a pipe).
    func run(_ executable: String, _ arguments: [String]) throws -> Result {
        let out = scratch + "/out"
        let result = scratch + "/result"
        let nullFD = try Syscall.open("/dev/null", O_RDONLY)
        defer { Syscall.close(nullFD) }
        let outFD = try Syscall.open(out, O_WRONLY | O_CREAT | O_TRUNC, mode: 0o600)
        let t0 = Syscall.monotonicSeconds()
        let pid: Int32
        do {
            pid = try Syscall.spawn(
                helper, arguments: [helper, result, executable] + arguments, stdin: nullFD, stdout: outFD)
        } catch {
            Syscall.close(outFD)
            throw error
        }
        Syscall.close(outFD)
        let helperExit = try Syscall.reap(pid, block: true)
        let wall = Syscall.monotonicSeconds() - t0
        let fields = ((try? String(contentsOfFile: result, encoding: .utf8)) ?? "").split(separator: " ")
        guard helperExit == .exited(0), fields.count == 4, let kib = Int(fields[0]), let user = Double(fields[1]),
            let sys = Double(fields[2]), let status = Int32(fields[3].trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw BenchError("could not measure \(executable): the peak helper \(String(describing: helperExit))") }
        let exit: ChildExit = status & 0x7f == 0 ? .exited((status >> 8) & 0xff) : .signaled(status & 0x7f)
        let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        return Result(exit: exit, wallSeconds: wall, cpuSeconds: user + sys, peakResidentKiB: kib, output: text)
    }
}
