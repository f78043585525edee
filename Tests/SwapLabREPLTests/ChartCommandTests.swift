import Foundation
import SwapLabKernel
import SwapLabModel
import SwapLabTestSupport
import Testing

@testable import SwapLabREPL

/// chart, record, replay and watch through the shell, on a fixture run.
@Suite struct ChartCommandTests {
    func shell(width: Int = 100) -> Shell {
        Shell(
            session: Session(
                output: Output(capturingWidth: width), stateDirectory: FileManager.default.temporaryDirectory))
    }

    func recording(_ run: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "swaplab-test-\(run)-\(getpid()).jsonl"
        ).path
        try TimelineRecording.text(of: FixtureRun.timeline(run: run, includeTrace: true)).write(
            toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func recordThenReplayGivesTheSameTimelineAndChart() throws {
        let sh = shell()
        let original = try FixtureRun.timeline(run: "D1b", includeTrace: true)
        sh.session.replay = original
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-rec-\(getpid()).jsonl").path
        #expect(sh.execute("record \(copy)"))
        #expect(sh.session.output.takeCaptured() == "recorded 233 samples, 15 events and 7 marks to \(copy)\n")
        #expect(sh.execute("chart --glyphs ascii --width 90"))
        let before = sh.session.output.takeCaptured()
        #expect(sh.execute("replay --off"))
        #expect(sh.session.replay == nil)
        #expect(sh.session.output.takeCaptured() == "replay off: reading the sim engine again\n")
        #expect(sh.execute("replay \(copy)"))
        #expect(sh.session.output.takeCaptured().hasPrefix("replaying \(copy) (live: Linux 6.18.44"))
        #expect(sh.execute("chart --glyphs ascii --width 90"))
        #expect(sh.session.output.takeCaptured() == before)
        #expect(try TimelineRecording.text(of: #require(sh.session.replay)) == TimelineRecording.text(of: original))
        #expect(Self.temporaryFiles(beside: copy).isEmpty)
    }

    /// The temporary files `UserFile.replace` would leave beside `path` (`.NAME.swaplab-PID-N`) had a write failed.
    static func temporaryFiles(beside path: String) -> [String] {
        let url = URL(fileURLWithPath: path)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)) ?? []
        return names.filter { $0.hasPrefix("." + url.lastPathComponent + ".swaplab-") }
    }

    /// A record that cannot finish leaves no temporary file and the target as it was.
    @Test func aFailedRecordLeavesNothingBehind() throws {
        let sh = shell()
        sh.session.replay = try FixtureRun.timeline(run: "D1b", includeTrace: true)
        #expect(!sh.execute("record /nonexistent-swaplab-dir/r.jsonl"))
        #expect(
            sh.session.output.takeCaptured().replacingOccurrences(of: "\n  ", with: " ").contains(
                "cannot write /nonexistent-swaplab-dir/r.jsonl: the folder /nonexistent-swaplab-dir does not exist"))
        let target = FileManager.default.temporaryDirectory
            .appendingPathComponent("swaplab-rec-bad-\(getpid()).jsonl").path
        defer { unlink(target) }
        try "before\n".write(toFile: target, atomically: true, encoding: .utf8)
        var bad = try FixtureRun.timeline(run: "D1b", includeTrace: true)
        bad.markers.append(Marker(time: .nan, label: "x"))
        sh.session.replay = bad
        #expect(!sh.execute("record \(target)"))
        #expect(sh.session.output.takeCaptured().contains("cannot record: a time of nan cannot be recorded"))
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "before\n")
        #expect(Self.temporaryFiles(beside: target).isEmpty)
    }

    @Test func chartSinceAMarkKeepsTheRunsYRange() throws {
        let sh = shell()
        sh.session.replay = try FixtureRun.timeline(run: "D6b", includeTrace: true)
        #expect(sh.execute("chart --glyphs ascii --since hog --width 90"))
        let text = sh.session.output.takeCaptured()
        #expect(text.contains("t=0 at 1399.985 s"))
        #expect(text.contains("high+prot 392"))
        #expect(!sh.execute("chart --since nowhere"))
        #expect(sh.session.output.takeCaptured().contains("no mark named 'nowhere'; marks: balloon, hog, hog-hold"))
    }

    @Test func chartWritesAnSVGFile() throws {
        let sh = shell()
        sh.session.replay = try FixtureRun.timeline(run: "D6b", includeTrace: true)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-chart-\(getpid()).svg").path
        #expect(sh.execute("chart --svg \(path)"))
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
    }

    @Test func brokenRecordingIsReportedWithItsLineAndTheShellCarriesOn() throws {
        let path = try recording("D6b")
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[6] = "{\"type\":\"sample\",\"t\":"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let sh = shell()
        #expect(!sh.execute("replay \(path)"))
        #expect(sh.session.output.takeCaptured().contains("\(path): line 7: not valid JSON"))
        #expect(sh.session.replay == nil)
        #expect(sh.execute("help"))
    }

    @Test func watchPlaysAReplayBackOneFramePerInterval() throws {
        let sh = shell(width: 100)
        sh.session.replay = try FixtureRun.timeline(run: "D6b", includeTrace: true)
        #expect(sh.execute("watch --count 3 --interval 100ms --speed 100 --glyphs ascii --height 8"))
        let text = sh.session.output.takeCaptured()
        if ProcessInfo.processInfo.environment["SHOW_CHARTS"] != nil { print(text) }
        #expect(!text.contains("\u{1B}"), "plain frames carry no escapes")
        #expect(text.components(separatedBy: "Ctrl-C to stop").count - 1 == 3)
        #expect(text.contains("replay 0.0 / 30.6 s"))
        #expect(text.contains("replay 20.0 / 30.6 s"))
        #expect(text.contains("kswapd woke"))
        // Normal is the highest zone: its protection is 0, so its lines are its marks.
        #expect(text.contains(" Normal   1997 MiB   895 MiB  1527 MiB  2159 MiB  between low and high"))
    }

    @Test func emptyEngineSaysWhatToDo() {
        let sh = shell()
        sh.session.timelineProviders[.sim] = { Timeline(machine: MachineDescription(engine: "sim", summary: "new")) }
        #expect(sh.execute("chart"))
        #expect(sh.session.output.takeCaptured().hasPrefix("nothing to draw yet"))
        #expect(sh.execute("watch --count 1"))
        #expect(sh.session.output.takeCaptured().hasPrefix("nothing to draw yet"))
    }
}
