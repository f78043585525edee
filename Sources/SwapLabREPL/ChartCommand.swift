import ArgumentParser
import Foundation
import SwapLabExplain
import SwapLabKernel
import SwapLabModel

extension Session {
    /// The language of charts: the course's (`lang ko`), else the environment's (`LC_ALL`, `LANG`).
    var chartLanguage: NarrativeLanguage {
        if let course { return course.language == .ko ? .ko : .en }
        return NarrativeLanguage.fromEnvironment(ProcessInfo.processInfo.environment)
    }
}

/// `chart`: free memory against min/low/high over time, with kswapd, direct-reclaim and swap lanes.
struct ChartCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "chart",
        abstract:
            "Draw free memory against the min/low/high watermarks over time, with kswapd, direct reclaim and swap lanes.",
        discussion: """
            The lines are those the kernel tests for a user allocation: each mark plus the zone's lowmem_reserve \
            (high+prot, low+prot, min+prot), with the raw marks faint. The y-range is fixed for the whole run and \
            zoomed to that band; when free memory starts far above it, the rows above a break in the axis hold it \
            compressed, and free below the band is marked with arrows. Reads a replayed recording when one is \
            loaded (replay FILE).
            """)

    @Option(help: "Start at the last mark with this label (mark NAME; fixture runs mark their phases).")
    var since: String?

    @Option(
        help: """
            A zone (DMA, DMA32, Normal, …) or 'node' (free against the wake and sleep points); default: the zone \
            whose line decided kswapd's last wake or sleep.
            """
    )
    var zone: String?

    @Flag(help: "One panel per zone.")
    var allZones = false

    @Option(help: "Glyphs: block, braille or ascii.")
    var glyphs: String = "block"

    @Option(help: "Width in columns (default: the terminal's).")
    var width: Int?

    @Option(help: "Rows of the plot.")
    var height: Int = 16

    @Option(help: "Write the chart as an SVG file instead (for slides).", completion: .file())
    var svg: String?

    func run(in session: Session) throws {
        // After `lab run --compare`: this machine's lab beside the simulator's, from each run's hog start.
        let comparison = session.replay == nil && session.engine == .live ? session.labComparison : nil
        let full = try comparison?.real ?? session.currentTimeline()
        let (timeline, options) = try ChartCommand.prepare(
            full, since: since, zone: zone, allZones: allZones, glyphs: glyphs,
            width: width ?? session.output.width, height: height, color: session.output.color,
            lang: session.chartLanguage, comparison: comparison)
        guard let svg else {
            session.output.emit(TerminalChart.render(timeline, options: options))
            return
        }
        guard let text = SVGChart.render(timeline, options: options) else {
            throw ShellError.failed(TerminalChart.nothingYet)
        }
        try UserFile.write(text, to: svg)
        session.output.line("wrote \(svg): the chart as SVG (\(text.utf8.count) bytes)")
    }

    /// The slice to draw and the options, with the y-range fixed from the whole run.
    static func prepare(
        _ full: Timeline, since: String?, zone: String?, allZones: Bool, glyphs: String, width: Int, height: Int,
        color: Bool, lang: NarrativeLanguage = .en, comparison: RunComparison? = nil
    ) throws -> (Timeline, ChartOptions) {
        guard let g = ChartOptions.Glyphs(rawValue: glyphs.lowercased()) else {
            throw ShellError.usage("unknown glyphs '\(glyphs)'; choose block, braille or ascii")
        }
        guard (20...1000).contains(width), (3...200).contains(height) else {
            throw ShellError.usage("--width takes 20…1000 columns and --height 3…200 rows")
        }
        var subject = ChartOptions.Subject.auto
        if let zone {
            if zone.lowercased() == "node" {
                subject = .node(0)
            } else if let z = ZoneType(name: zone) {
                subject = .zone(z, node: 0)
            } else {
                throw ShellError.usage("unknown zone '\(zone)'; choose DMA, DMA32, Normal, Movable or node")
            }
        }
        var options = ChartOptions(
            subject: subject, allZones: allZones, glyphs: g, width: width, height: height, color: color)
        options.lang = lang
        if let comparison {
            options.overlay = comparison.simulated
            options.timeRange = comparison.timeRange
        }
        if let (resolved, reason) = ChartData.choose(subject, in: full), !allZones {
            options.subject = resolved
            options.reason = reason
            let overlay = comparison.map { ChartData.points(of: resolved, in: $0.simulated) } ?? []
            let points = ChartData.points(of: resolved, in: full)
            if !points.isEmpty { options.pageRange = ChartData.pageRange(of: points + overlay) }
        }
        var timeline = full
        if let since {
            guard let t = full.markerTime(since) else {
                let names = Array(Set(full.markers.map(\.label))).sorted()
                throw ShellError.usage(
                    "no mark named '\(since)'"
                        + (names.isEmpty ? "; set one with: mark NAME" : "; marks: \(names.joined(separator: ", "))"))
            }
            timeline = full.since(t)
            if let range = options.timeRange { options.timeRange = Swift.min(t, range.upperBound)...range.upperBound }
        }
        return (timeline, options)
    }
}
