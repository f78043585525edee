import ArgumentParser
import Foundation
import SwapLabAnalysis
import SwapLabCourse
import SwapLabExplain
import SwapLabKernel

/// `explain [--since MARK] [--json] [--lang en|ko] [--trace FILE]`: what reclaim did in the current timeline, or
/// in a captured `trace_pipe` text (any kernel 4.x–6.x), told as a short narrative or as JSON.
struct ExplainCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain what kswapd, direct reclaim, swap and the OOM killer did (this timeline or a trace file).")

    @Option(name: .long, help: "Start at the last marker with this label.")
    var since: String?

    @Flag(name: .long, help: "Print JSON with stable keys instead of words.")
    var json = false

    @Option(name: .long, help: "Language of the narrative: en or ko (default: from LC_ALL/LANG).")
    var lang: String?

    @Option(
        name: .long, help: "Explain a captured trace_pipe text instead of the current timeline.", completion: .file())
    var trace: String?

    func run(in session: Session) throws {
        let language: NarrativeLanguage
        if let lang {
            guard let l = NarrativeLanguage(rawValue: lang.lowercased()) else {
                throw ShellError.usage("--lang takes en or ko, not '\(lang)'")
            }
            language = l
        } else if let course = session.course {
            // The course's language (`lang ko`), which itself starts from the environment or saved progress.
            language = course.language == .ko ? .ko : .en
        } else {
            language = NarrativeLanguage.fromEnvironment(ProcessInfo.processInfo.environment)
        }
        var report: ReclaimReport
        if let trace {
            // Streamed: the file is read in chunks and each event analysed as it is parsed, so a trace of any size
            // is explained in the memory of one chunk plus the analyzer's per-cycle summaries.
            var analyzer = ReclaimAnalyzer()
            let counts: TraceFile.Counts
            do {
                counts = try TraceFile.stream(path: trace) { analyzer.consume($0) }
            } catch {
                throw ShellError.failed("cannot read the trace file \(trace); check the path and that it is text")
            }
            if analyzer.eventCount == 0 {
                let refused = counts.refused.total
                throw ShellError.failed(
                    "\(trace) holds no trace events (\(counts.skipped) other lines"
                        + (refused > 0 ? ", \(refused) of them refused for a length or a number no kernel prints" : "")
                        + "); give a trace_pipe capture")
            }
            // A trace file has no markers.
            if let since { throw Self.noMarker(since, labels: []) }
            report = analyzer.report()
            report.traceLines = counts
        } else {
            var timeline = try session.currentTimeline()
            if let since {
                guard let start = timeline.markerTime(since) else {
                    throw Self.noMarker(since, labels: timeline.markers.map(\.label))
                }
                timeline = timeline.since(start)
            }
            report = ReclaimExplainer.analyze(timeline)
            // The state `status` prints, so an open cycle is told as status tells it (a replay has no engine).
            if session.replay == nil {
                report.kswapdNow = (try? session.activeEngine().status().kswapd) ?? []
                report.noteUnrecorded(try? session.activeEngine().eventLog().suppressed)
            }
        }
        let out = session.output
        if json {
            out.line(report.json().text)
            return
        }
        for (i, p) in ReclaimNarrative.paragraphs(report, lang: language).enumerated() {
            if i > 0 { out.line() }
            out.paragraph(p)
        }
        // After `lab run --compare`: where the simulator's run of the same lab differs from this one, and why.
        if trace == nil, since == nil, session.replay == nil, session.engine == .live,
            let comparison = session.labComparison
        {
            out.line()
            for p in CompareNarrative.paragraphs(comparison, lang: language) {
                p.hasPrefix("- ") ? out.paragraph(p, indent: "  ") : out.paragraph(p)
            }
        }
    }

    static func noMarker(_ since: String, labels: [String]) -> ShellError {
        let hint = labels.isEmpty ? "; add one with `mark NAME` first" : "; markers: \(labels.joined(separator: ", "))"
        return .usage("no marker '\(since)' in this timeline" + hint)
    }
}
