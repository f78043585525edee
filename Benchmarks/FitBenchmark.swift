import Foundation
import SwapLabModel
import SwapLabSimulator
import SwapLabTestSupport

/// `swaplab-bench fit`: the simulator's cost constants measured on the real runs of the fixtures. For each measure it
/// prints every run's own value (with how many observations made it and where), the min, median and max over the
/// runs, the constant the simulator uses, and the constant over the median.
///
/// Each run's value is the median of its observations, so one odd interval cannot move it; the fitted value is the
/// median over the runs that have one.
enum FitBenchmark {
    /// One run's value of a measure: the median of `count` observations, and where they were.
    struct RunValue {
        var run: String
        var value: Double
        var count: Int
        var place: String
    }

    /// A measure fitted over the runs, against the simulator's constant (both in `unit`).
    struct Fit {
        var name: String
        var unit: String
        var constant: String
        var simulated: Double?
        var runs: [RunValue]
        var median: Double? { FitBenchmark.median(runs.map(\.value)) }
    }

    /// Each run's samples and trace, read once.
    struct Capture {
        var run: String
        var samples: [Sample]
        var events: [TraceEvent]
    }

    /// Every fixture run's samples and merged trace.
    static func captures() throws -> [Capture] {
        try Fixtures.runs.map { name in
            let t = try FixtureRun.timeline(run: name, trace: .best)
            return Capture(run: name, samples: t.samples, events: t.events)
        }
    }

    static func run(_ arguments: [String]) throws {
        let captures = try captures()
        let fits = [
            swapRate(
                captures, counter: "pswpout", name: "swap-out while writing", constant: "1 / swapOutCost / 256",
                simulated: SimulatorCosts.swapOutPagesPerSecond / 256),
            swapRate(
                captures, counter: "pswpin", name: "swap-in while reading", constant: "swapInRate / 256",
                simulated: SimulatorCosts.swapInPagesPerSecond / 256),
            wakeLatency(captures), allocatorSlack(captures), dropCost(captures), napLength(captures),
        ]
        for fit in fits { printFit(fit) }
        print("\n== summary (a constant more than 10 % off the median is refitted)")
        for fit in fits {
            let m = fit.median.map { format($0) } ?? "—"
            let s = fit.simulated.map { format($0) } ?? "—"
            let ratio = ratioText(fit)
            print(
                "  \(pad(fit.name, 24)) fitted \(pad(m + " " + fit.unit, 14)) sim \(pad(s + " " + fit.unit, 14)) \(ratio)"
            )
        }
    }

    static func printFit(_ fit: Fit) {
        print("\n== \(fit.name) (\(fit.unit)); simulator: \(fit.constant)")
        for r in fit.runs {
            print("  \(pad(short(r.run), 4)) \(pad(format(r.value), 7)) n=\(pad(String(r.count), 3)) \(r.place)")
        }
        let values = fit.runs.map(\.value)
        guard let lo = fit.runs.min(by: { $0.value < $1.value }), let hi = fit.runs.max(by: { $0.value < $1.value }),
            let m = median(values)
        else { return print("  no run measures it") }
        print(
            "  min \(format(lo.value)) (\(short(lo.run))), median \(format(m)), max \(format(hi.value)) (\(short(hi.run)))"
        )
        print("  simulator \(fit.simulated.map { format($0) } ?? "—"); sim / fitted \(ratioText(fit))")
    }

    static func ratioText(_ fit: Fit) -> String {
        guard let s = fit.simulated, let m = fit.median, m > 0 else { return "" }
        let r = s / m
        return String(format: "%.2f×", r) + (abs(r - 1) > 0.1 ? "  refit" : "  keep")
    }

    // MARK: - Measures

    /// Pages per second of `counter` over each 100 ms interval in which the counter rose by at least 1 MiB and so did
    /// it in the intervals on either side (an interval at the edge of a burst holds time that did not write).
    static func swapRate(
        _ captures: [Capture], counter: String, name: String, constant: String, simulated: Double
    )
        -> Fit
    {
        var runs: [RunValue] = []
        for c in captures {
            let s = c.samples
            guard s.count > 3 else { continue }
            func delta(_ i: Int) -> Int64 { (s[i].counters[counter] ?? 0) - (s[i - 1].counters[counter] ?? 0) }
            var rates: [Double] = []
            var first: Double?
            var last = 0.0
            for i in 2..<(s.count - 1) where delta(i - 1) >= 256 && delta(i) >= 256 && delta(i + 1) >= 256 {
                rates.append(Double(delta(i)) / (s[i].time - s[i - 1].time) / 256)
                first = first ?? s[i - 1].time
                last = s[i].time
            }
            guard let m = median(rates), let f = first else { continue }
            runs.append(
                RunValue(run: c.run, value: m, count: rates.count, place: "100 ms intervals in \(span(f, last))"))
        }
        return Fit(name: name, unit: "MiB/s", constant: constant, simulated: simulated, runs: runs)
    }

    /// Microseconds from the first `mm_vmscan_wakeup_kswapd` after kswapd went to sleep (or after the trace began) to
    /// the `mm_vmscan_kswapd_wake` that answers it.
    static func wakeLatency(_ captures: [Capture]) -> Fit {
        var runs: [RunValue] = []
        for c in captures {
            var asleep = true
            var request: Double?
            var waits: [Double] = []
            var times: [Double] = []
            for e in c.events {
                switch e.name {
                case TracepointName.kswapdSleep.rawValue: asleep = true
                case TracepointName.wakeupKswapd.rawValue: if asleep && request == nil { request = e.time }
                case TracepointName.kswapdWake.rawValue:
                    if asleep, let r = request {
                        waits.append((e.time - r) * 1e6)
                        times.append(r)
                    }
                    asleep = false
                    request = nil
                default: break
                }
            }
            guard let m = median(waits) else { continue }
            runs.append(RunValue(run: c.run, value: m, count: waits.count, place: "wake-ups at \(list(times))"))
        }
        return Fit(
            name: "wake latency", unit: "µs", constant: "wakeLatency × 1e6",
            simulated: SimulatorCosts.wakeLatency * 1e6, runs: runs)
    }

    /// MiB by which the node's best zone margin (`free − low − lowmem_reserve[top]`, the test the fast path makes) was
    /// below zero when an order-0 `mm_vmscan_wakeup_kswapd` fired after a sleep, extrapolated from the two samples
    /// before it (the sample after already holds kswapd's reclaim); negative when the wake came while the sampled
    /// free memory was still above low. The simulator wakes kswapd at the first allocation that fails at low.
    static func allocatorSlack(_ captures: [Capture]) -> Fit {
        var runs: [RunValue] = []
        for c in captures {
            var asleep = true
            var slacks: [Double] = []
            var times: [Double] = []
            for e in c.events {
                if e.name == TracepointName.kswapdSleep.rawValue { asleep = true }
                if e.name == TracepointName.kswapdWake.rawValue { asleep = false }
                // An order-0 allocation's wake-up only: a huge page's (order 9) tests other marks.
                guard e.name == TracepointName.wakeupKswapd.rawValue, asleep, e.payload.contains("order=0 ")
                else { continue }
                asleep = false
                guard let i = c.samples.lastIndex(where: { $0.time <= e.time }), i > 0 else { continue }
                let (a, b) = (c.samples[i - 1], c.samples[i])
                let (ma, mb) = (Double(margin(a)), Double(margin(b)))
                let atWake = mb + (mb - ma) / (b.time - a.time) * (e.time - b.time)
                slacks.append(-atWake / 256)
                times.append(e.time)
            }
            guard let m = median(slacks) else { continue }
            runs.append(RunValue(run: c.run, value: m, count: slacks.count, place: "wake-ups at \(list(times))"))
        }
        return Fit(name: "allocator slack", unit: "MiB", constant: "none: wakes at low", simulated: 0, runs: runs)
    }

    /// The node's best margin over the fast path's test: the largest `free − (low + lowmem_reserve[top])` of its zones.
    static func margin(_ s: Sample) -> Int64 {
        let zones = s.zones.filter { $0.managed.count > 0 }
        let top = zones.last.flatMap { ZoneType.allCases.firstIndex(of: $0.zone) } ?? 0
        return zones.map { z in
            let p = z.protection.flatMap { $0.indices.contains(top) ? $0[top] : nil } ?? 0
            return z.free.count - z.low.count - p
        }.max() ?? 0
    }

    /// Microseconds per clean file page dropped, from each run's fastest 100 ms interval of file reclaim without swap
    /// (`pgsteal_file` up at least 1 MiB, `pswpout` under 1 MiB). The fastest, not the median: kswapd stops at high
    /// and direct reclaim at its request, so slower intervals measure demand, not cost.
    static func dropCost(_ captures: [Capture]) -> Fit {
        var runs: [RunValue] = []
        for c in captures {
            let s = c.samples
            var best: (rate: Double, time: Double)?
            var n = 0
            for i in s.indices.dropFirst() {
                func d(_ k: String) -> Int64 { (s[i].counters[k] ?? 0) - (s[i - 1].counters[k] ?? 0) }
                guard d("pgsteal_file") >= 256, d("pswpout") < 256 else { continue }
                n += 1
                let rate = Double(d("pgsteal_file")) / (s[i].time - s[i - 1].time)
                if rate > best?.rate ?? 0 { best = (rate, s[i - 1].time) }
            }
            guard let b = best else { continue }
            let place = "fastest of \(n) intervals, at \(String(format: "%.1f", b.time)) s"
            runs.append(RunValue(run: c.run, value: 1e6 / b.rate, count: n, place: place))
        }
        return Fit(
            name: "file drop cost", unit: "µs/page", constant: "dropCost × 1e6",
            simulated: SimulatorCosts.dropCost * 1e6,
            runs: runs)
    }

    /// Milliseconds from kswapd's last event before `mm_vmscan_kswapd_sleep` to the sleep: the nap of
    /// `kswapd_try_to_sleep()` (`schedule_timeout(HZ/10)`).
    static func napLength(_ captures: [Capture]) -> Fit {
        var runs: [RunValue] = []
        for c in captures {
            var last: Double?
            var naps: [Double] = []
            var times: [Double] = []
            for e in c.events where e.comm.hasPrefix("kswapd") {
                if e.name == TracepointName.kswapdSleep.rawValue, let l = last {
                    naps.append((e.time - l) * 1000)
                    times.append(e.time)
                }
                last = e.time
            }
            guard let m = median(naps) else { continue }
            runs.append(RunValue(run: c.run, value: m, count: naps.count, place: "sleeps at \(list(times))"))
        }
        return Fit(
            name: "nap before sleep", unit: "ms", constant: "napSeconds × 1000",
            simulated: SimulatorCosts.napSeconds * 1000, runs: runs)
    }

    // MARK: - Helpers

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let v = values.sorted()
        return v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
    }

    static func format(_ v: Double) -> String {
        abs(v) >= 100 ? String(format: "%.0f", v) : abs(v) >= 10 ? String(format: "%.1f", v) : String(format: "%.2f", v)
    }

    static func span(_ a: Double, _ b: Double) -> String { String(format: "%.1f-%.1f s", a, b) }

    static func list(_ times: [Double]) -> String {
        let shown = times.prefix(3).map { String(format: "%.1f", $0) }.joined(separator: ", ")
        return times.count > 3 ? shown + ", … s" : shown + " s"
    }

    static func short(_ run: String) -> String { String(run.prefix { $0 != "-" }) }

    static func pad(_ s: String, _ n: Int) -> String { FidelityBenchmark.pad(s, n) }
}
