import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabExplain

/// `watch`'s "latest" lines on the real saw-tooth run (D6b), against the run's own files read here by plain text:
/// Normal's free pages against its marks in `samples.csv`, and kswapd's sleeps in the trace.
@Suite struct ChartTransitionsTests {
    /// (time, Normal free, low, high) per row of D6b's samples.csv.
    func normalRows() throws -> [(t: Double, free: Int64, min: Int64, low: Int64, high: Int64)] {
        // The capture's CSV ends its lines with CRLF, one Character in Swift.
        let lines = try Fixtures.text("runs/D6b-sawtooth-normal-swap/samples.csv").split(whereSeparator: \.isNewline)
        let header = lines[0].split(separator: ",").map(String.init)
        func col(_ name: String) throws -> Int { try #require(header.firstIndex(of: name)) }
        let (t, f, mi, lo, hi) = (
            try col("t"), try col("Normal_free"), try col("Normal_min"), try col("Normal_low"), try col("Normal_high")
        )
        return lines.dropFirst().map { line in
            let v = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return (Double(v[t])!, Int64(v[f])!, Int64(v[mi])!, Int64(v[lo])!, Int64(v[hi])!)
        }
    }

    @Test func theLatestTransitionsAreTheRunsLastCrossingsAndSleeps() throws {
        let timeline = try FixtureRun.timeline(run: "D6b-sawtooth-normal-swap", includeTrace: true)
        let rows = try normalRows()
        // Every crossing of Normal's marks, from consecutive rows, each row against its own marks; at a mark counts
        // as below it, as `__zone_watermark_ok()` tests `free <= mark`.
        var crossings: [(Double, String)] = []
        for (a, b) in zip(rows, rows.dropFirst()) {
            if a.free > a.low && b.free <= b.low { crossings.append((b.t, "Normal free fell below low")) }
            if a.free > a.min && b.free <= b.min { crossings.append((b.t, "Normal free fell below min")) }
            if a.free <= a.high && b.free > b.high { crossings.append((b.t, "Normal free rose above high")) }
        }
        #expect(crossings.count >= 3, "D6b falls below low and rises above high twice")
        let recent = ChartTransitions.recent(in: timeline, limit: 3)
        #expect(recent.count == 3)
        #expect(recent.map(\.time) == recent.map(\.time).sorted())
        // The last crossing of the run is among the last three transitions, at its row's time.
        let last = try #require(crossings.last)
        #expect(recent.contains { $0.time == last.0 && $0.text.hasPrefix(last.1) })
        // Nothing older than the third-newest crossing can be shown.
        let third = crossings[crossings.count - 3].0
        #expect(recent.allSatisfy { $0.time >= third || !$0.text.hasPrefix("Normal free") })
        // The same lines whatever the limit: the newest three of a longer list.
        #expect(Array(ChartTransitions.recent(in: timeline, limit: 8).suffix(3)) == recent)
    }
}
