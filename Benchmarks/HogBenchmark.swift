import Foundation
import SwapLabKernel
import SwapLabModel
import SwapLabTestSupport

/// `swaplab-bench hog`: `alloc 2G` (random bytes in every byte of every 4 KiB page) against the same fill in C
/// (`Benchmarks/reference/fill.c`, cc -O2) and the course's numpy recipe. Goal: ≤ 1.15× the C time.
/// Each run's memory is released, and free memory allowed to come back, before the next.
enum HogBenchmark {
    static let size: Int64 = 2 << 30
    static let rounds = 3

    static func run() throws {
        let mib: Int64 = 1 << 20
        let guardNow = try AllocationGuard.measure()
        if let refusal = guardNow.refusal(for: size) {
            print("hog: skipped: \(refusal)")
            return
        }
        let cBinary = try compileReference()
        let hasNumpy = shell("/usr/bin/env", ["python3", "-c", "import numpy"]).status == 0
        var swift: [Double] = [], swiftWall: [Double] = [], c: [Double] = [], cWall: [Double] = [], numpy: [Double] = []
        let baseline = try ZoneinfoParser.read().totalFree
        for round in 1...rounds {
            // swaplab hog: time inside the child (map + fill) and wall time from spawn to ready.
            let t0 = Syscall.monotonicSeconds()
            let hog = try MemoryHog(name: "bench", bytes: size)
            let fill = try hog.allocate()
            let wall = Syscall.monotonicSeconds() - t0
            hog.end()
            swift.append(fill)
            swiftWall.append(wall)
            waitForFreeMemory(baseline)

            let ct0 = Syscall.monotonicSeconds()
            let out = shell(cBinary, [String(size), "42"])
            cWall.append(Syscall.monotonicSeconds() - ct0)
            guard out.status == 0, let secs = Double(out.text.split(separator: " ").first ?? "") else {
                throw HogError.failed("the C reference failed: \(out.text)")
            }
            c.append(secs)
            waitForFreeMemory(baseline)

            if hasNumpy {
                let py = shell(
                    "/usr/bin/env",
                    [
                        "python3", "-c",
                        "import numpy, time\nt = time.monotonic()\nx = [numpy.random.bytes(2*1024*1024) for _ in range(1024)]\nprint(time.monotonic() - t)",
                    ])
                if let secs = Double(py.text.trimmingCharacters(in: .whitespacesAndNewlines)) { numpy.append(secs) }
                waitForFreeMemory(baseline)
            }
            print(
                String(
                    format: "round %d: swaplab %.3f s (wall %.3f s)  C %.3f s (wall %.3f s)%@", round, fill, wall,
                    c.last!, cWall.last!, hasNumpy ? String(format: "  numpy %.3f s", numpy.last ?? .nan) : ""))
        }
        let best = { (xs: [Double]) in xs.min() ?? .nan }
        let median = { (xs: [Double]) in xs.sorted()[xs.count / 2] }
        print("hog alloc \(size / mib) MiB, random bytes in every byte, 4 KiB pages; \(rounds) rounds (best / median):")
        print(
            String(
                format: "  swaplab hog (child fill) %.3f / %.3f s   %.2f GiB/s", best(swift), median(swift),
                2 / best(swift)))
        print(String(format: "  swaplab hog (spawn→ready) %.3f / %.3f s", best(swiftWall), median(swiftWall)))
        print(
            String(
                format: "  C reference (cc -O2)     %.3f / %.3f s   (process wall %.3f s)", best(c), median(c),
                best(cWall)))
        if !numpy.isEmpty {
            print(String(format: "  numpy.random.bytes       %.3f / %.3f s", best(numpy), median(numpy)))
        }
        print(
            String(
                format: "  ratio swaplab/C: %.2f× (best), %.2f× (median); goal ≤ 1.15×", best(swift) / best(c),
                median(swift) / median(c)))
        print(String(format: "  ratio spawn→ready vs C process wall: %.2f×", best(swiftWall) / best(cWall)))
        if !numpy.isEmpty {
            print(String(format: "  numpy/swaplab: %.2f× faster than numpy", best(numpy) / best(swift)))
        }
    }

    /// Compiles `Benchmarks/reference/fill.c` with `cc -O2` into a temporary directory.
    static func compileReference() throws -> String {
        let source = Fixtures.repositoryRoot.appendingPathComponent("Benchmarks/reference/fill.c").path
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-fill-\(getpid())").path
        let r = shell("/usr/bin/env", ["cc", "-O2", "-o", out, source])
        guard r.status == 0 else { throw HogError.failed("cc -O2 \(source) failed: \(r.text)") }
        return out
    }

    /// Waits (up to 20 s) until zone free pages are back within 256 MiB of `baseline`: on this VM freed pages
    /// return 1–10 s late (free page reporting), and each run must start from the same free memory.
    static func waitForFreeMemory(_ baseline: Pages) {
        let deadline = Syscall.monotonicSeconds() + 20
        while Syscall.monotonicSeconds() < deadline {
            if let f = try? ZoneinfoParser.read().totalFree, f.count >= baseline.count - 65536 { return }
            Syscall.sleep(seconds: 0.2)
        }
    }

    /// Runs a program and returns its status and standard output.
    static func shell(_ path: String, _ args: [String]) -> (status: Int32, text: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        do { try p.run() } catch { return (-1, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
