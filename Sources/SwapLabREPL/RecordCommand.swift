import ArgumentParser
import Foundation
import SwapLabKernel
import SwapLabModel

/// `record FILE`: save the current timeline as a swaplab-timeline JSON Lines file (docs/recording.md).
struct RecordCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Save the current timeline (samples, events, marks) to a file that replay can load anywhere.")

    @Argument(help: "The file to write (JSON Lines, see docs/recording.md).", completion: .file())
    var file: String

    func run(in session: Session) throws {
        let timeline = try session.currentTimeline()
        // Streamed: each piece of the recording is written as it is made, so a long timeline is never held as
        // one text (docs/recording.md; still atomic: a temporary file, then rename). Ctrl-C stops it between
        // pieces and leaves the target as it was.
        try UserFile.write(to: file) { put in
            do {
                try TimelineRecording.write(timeline) { piece in
                    if session.interrupted { throw ShellError.failed("record interrupted; \(file) was not written") }
                    try put(piece)
                }
            } catch let error as TimelineRecording.WriteError {
                throw ShellError.failed("cannot record: \(error.description)")
            }
        }
        session.output.line(
            "recorded \(timeline.samples.count) samples, \(timeline.events.count) events and \(timeline.markers.count) marks to \(file)"
        )
    }
}

/// `replay FILE` / `replay --off`: make chart, explain and watch read a recording instead of the engine.
struct ReplayCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Load a recording so that chart, explain and watch read it (replay --off returns to the engine).")

    @Argument(help: "A recording made with record.", completion: .file())
    var file: String?

    @Flag(help: "Stop replaying; read the engine again.")
    var off = false

    func run(in session: Session) throws {
        if off {
            session.replay = nil
            session.output.line("replay off: reading the \(session.engine.rawValue) engine again")
            return
        }
        guard let file else { throw ShellError.usage("give a recording to load (replay FILE), or replay --off") }
        let text: String
        do { text = try UserFile.readText(file, limit: 256 << 20) } catch {
            throw ShellError.failed("\(error.description) (recordings are made with: record FILE)")
        }
        do {
            let timeline = try TimelineRecording.timeline(from: text)
            session.replay = timeline
            var what = "\(timeline.samples.count) samples, \(timeline.events.count) events"
            if let span = timeline.span {
                what += ", " + String(format: "%.1f", span.upperBound - span.lowerBound) + " s"
            }
            session.output.line("replaying \(file) (\(timeline.machine.engine): \(timeline.machine.summary); \(what))")
            session.output.line(
                "chart, explain and watch now read it; replay --off returns to the \(session.engine.rawValue) engine")
        } catch {
            throw ShellError.failed("\(file): \(error.description)")
        }
    }
}
