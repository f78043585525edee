import Foundation
import SwapLabExplain
import SwapLabModel
import SwapLabTestSupport

/// `swaplab-bench chart [--write-recording FILE]`: the CPU one chart frame of the D6b run costs, as a share of one
/// CPU at watch's 10 Hz, against the 2 % goal. With `--write-recording`, also writes the D6b run as a recording
/// (for measuring the whole `watch` command: `swaplab -c 'replay FILE; watch --count 100'`).
func chartBenchmark(_ args: [String]) throws {
    let timeline = try FixtureRun.timeline(run: "D6b", includeTrace: true)
    if let i = args.firstIndex(of: "--write-recording"), i + 1 < args.count {
        try TimelineRecording.text(of: timeline).write(toFile: args[i + 1], atomically: true, encoding: .utf8)
        print("wrote \(args[i + 1])")
    }
    for glyphs in ChartOptions.Glyphs.allCases {
        let options = ChartOptions(glyphs: glyphs, width: 120, height: 12, color: true)
        var bytes = 0
        let frames = 200
        let start = cpuSeconds()
        for _ in 0..<frames { bytes += TerminalChart.render(timeline, options: options).utf8.count }
        let perFrame = (cpuSeconds() - start) / Double(frames)
        let share = perFrame * 10 * 100
        print(
            "chart frame \(glyphs.rawValue) (D6b, 307 samples, 120x12): "
                + String(
                    format: "%.3f ms CPU/frame → %.2f %% of one CPU at 10 Hz; goal < 2 %% (ratio %.2f)",
                    perFrame * 1000, share, share / 2)
                + "  [\(bytes / frames) bytes/frame]")
    }
}

/// User + system CPU seconds of this process so far (getrusage(2)).
func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(
        u.ru_stime.tv_usec) / 1e6
}
