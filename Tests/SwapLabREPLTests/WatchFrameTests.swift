import Foundation
import SwapLabExplain
import SwapLabTestSupport
import Testing

@testable import SwapLabREPL

/// `watch` reads each sample once and keeps what the chart needs across frames; every frame must still draw what
/// the whole window, read afresh, gives.
@Suite struct WatchFrameTests {
    @Test(arguments: [nil, "DMA32"] as [String?])
    func framesFromWhatEarlierFramesReadEqualTheWindowReadAfresh(zone: String?) throws {
        let sh = SimCommandTests.shell()
        #expect(sh.execute("alloc 1600M --name hog --rate 200M/s"))
        _ = sh.session.output.takeCaptured()
        let window = 2.0
        var frame = WatchFrame(zone: zone, glyphs: "ascii", height: 10, window: window, step: 0.1, speed: 1)
        var compared = 0
        var crossed = 0
        for i in 0..<120 {
            // Free has sat at or just below low since the allocation; freeing the hog lifts it above high.
            if i == 40 { #expect(sh.execute("release hog")) }
            sh.session.activeEngine().watchInterval(0.1)
            let full = try sh.session.currentTimeline()
            let options = try frame.chartOptions(for: full, output: sh.session.output)
            let span = try #require(full.span)
            let shown = span.upperBound - span.lowerBound > window ? full.since(span.upperBound - window) : full
            let fresh = try #require(
                ChartData(
                    timeline: shown, subject: options.subject, pageRange: options.pageRange,
                    timeRange: options.timeRange))
            let windowChart = frame.windowChart(shown, options: options)
            let kept = try #require(windowChart)
            #expect(
                TerminalChart.render(panels: [kept], timeline: shown, options: options)
                    == TerminalChart.render(panels: [fresh], timeline: shown, options: options))
            #expect(kept.swap.map(\.out) == fresh.swap.map(\.out) && kept.swap.map(\.in) == fresh.swap.map(\.in))
            let afresh = ChartTransitions.recent(in: shown, limit: 3, chart: fresh)
            let fromFrames = ChartTransitions.recent(in: shown, limit: 3, chart: kept, crossings: frame.crossings)
            #expect(fromFrames == afresh)
            crossed += afresh.contains { $0.text.contains(" free ") } ? 1 : 0
            compared += 1
        }
        #expect(compared == 120)
        // The run moved through the watermarks while the window slid: the crossings were really compared.
        #expect(crossed > 0)
    }
}
