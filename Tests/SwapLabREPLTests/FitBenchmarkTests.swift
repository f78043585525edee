import Testing

@testable import swaplab_bench

/// `swaplab-bench fit` measures the fixture runs as awk measures them. Every expected number was derived with awk over
/// the run's files, not with the benchmark: the wake latencies from `trace_pipe.milestones.txt` (first
/// `mm_vmscan_wakeup_kswapd` after a sleep to the next `mm_vmscan_kswapd_wake`), the naps from
/// `trace_pipe.sleep-windows.txt` (last kswapd0 line before `mm_vmscan_kswapd_sleep`), the swap-out rates from
/// `samples.csv` (Δpswpout / Δt of the 100 ms intervals that, with both neighbours, wrote at least 256 pages).
@Suite struct FitBenchmarkTests {
    static let captures = Result { try FitBenchmark.captures() }

    func value(_ fit: FitBenchmark.Fit, _ run: String) -> Double? {
        fit.runs.first { $0.run.hasPrefix(run + "-") }?.value
    }

    @Test func wakeLatencyIsTheGapFromTheFirstWakeupToTheWake() throws {
        let fit = FitBenchmark.wakeLatency(try Self.captures.get())
        // D6b: 1402.5 s 34 µs and 1408.9 s 46 µs; D1b 3775 and 70 µs; D2a 176 (the balloon's order-9) and 81 µs; D4 71.
        #expect(abs(value(fit, "D6b")! - 40) < 0.01)
        #expect(abs(value(fit, "D1b")! - 1922.5) < 0.01)
        #expect(abs(value(fit, "D2a")! - 128.5) < 0.01)
        #expect(abs(value(fit, "D4")! - 71) < 0.01)
        #expect(abs(fit.median! - 99.75) < 0.01)
    }

    @Test func theNapIsTheGapFromKswapdsLastLineToItsSleep() throws {
        let fit = FitBenchmark.napLength(try Self.captures.get())
        // D6b: 1402.720046 − 1402.616178 = 103.868 ms and 1409.208040 − 1409.107474 = 100.566 ms.
        #expect(abs(value(fit, "D6b")! - (103.868 + 100.566) / 2) < 0.001)
        #expect(fit.runs.allSatisfy { $0.value > 100 && $0.value < 107 })
    }

    @Test func swapOutIsTheMedianOfSustainedIntervals() throws {
        let fit = FitBenchmark.swapRate(
            try Self.captures.get(), counter: "pswpout", name: "swap-out", constant: "", simulated: 0)
        // awk: D1b 48 intervals, median 238.2567 MiB/s; D2a 64 intervals, median 168.6566 MiB/s; no other run
        // wrote three intervals in a row.
        #expect(fit.runs.map(\.count) == [48, 64])
        #expect(abs(value(fit, "D1b")! - 238.2567) < 0.001)
        #expect(abs(value(fit, "D2a")! - 168.6566) < 0.001)
    }
}
