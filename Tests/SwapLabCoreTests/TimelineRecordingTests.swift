import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabModel
@testable import SwapLabSimulator
@testable import SwapLabKernel
@testable import SwapLabAnalysis
@testable import SwapLabExplain
@testable import SwapLabCourse

/// The `swaplab-timeline` JSON Lines format: exact round trips and line-numbered errors.
@Suite struct TimelineRecordingTests {
    @Test func d1bRoundTripIsExact() throws {
        let original = try FixtureRun.timeline(run: "D1b", includeTrace: true)
        #expect(original.samples.count == 233)
        #expect(original.events.count == 15)  // trace_pipe.milestones.txt has 15 lines
        let text = try TimelineRecording.text(of: original)
        let back = try TimelineRecording.timeline(from: text)
        #expect(back.machine == original.machine)
        #expect(back.samples == original.samples)
        #expect(back.events == original.events)
        #expect(back.markers == original.markers)
        #expect(try TimelineRecording.text(of: back) == text)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1 + 233 + 15 + original.markers.count)
        #expect(lines[0].hasPrefix(#"{"format":"swaplab-timeline","version":1,"machine":{"engine":"live""#))
        #expect(lines[1].hasPrefix(#"{"type":"sample","t":732.146,"zones":[{"node":0,"zone":"DMA","free":"#))
    }

    /// `record` streams: written in pieces, the bytes are exactly `text(of:)`'s, each piece whole lines.
    @Test func writtenInPiecesTheBytesAreTheText() throws {
        let t = try FixtureRun.timeline(run: "D2a", includeTrace: true)
        let text = try TimelineRecording.text(of: t)
        for chunk in [1, 500, 1 << 16] {
            var pieces: [String] = []
            try TimelineRecording.write(t, chunkBytes: chunk) { pieces.append($0) }
            #expect(pieces.joined() == text, "chunk \(chunk)")
            #expect(pieces.allSatisfy { $0.hasSuffix("\n") && $0.utf8.count < chunk + 4096 })
            // With 1-byte pieces every line is its own piece, the header riding with the first.
            if chunk == 1 { #expect(pieces.count == t.samples.count + t.events.count + t.markers.count) }
        }
    }

    @Test func aTimeThatIsNotFiniteStopsTheWriteBeforeAnyPiece() {
        let t = Timeline(
            machine: MachineDescription(engine: "sim", summary: "s"),
            events: [
                TraceEvent(time: 1, comm: "a", pid: 1, name: "x", payload: ""),
                TraceEvent(time: .infinity, comm: "a", pid: 1, name: "x", payload: ""),
            ])
        var pieces = 0
        let refusal = TimelineRecording.WriteError(
            description: "a time of inf cannot be recorded; times must be finite")
        #expect(throws: refusal) {
            try TimelineRecording.write(t, chunkBytes: 1) { _ in pieces += 1 }
        }
        #expect(pieces == 0)
        #expect(throws: TimelineRecording.WriteError.self) { try TimelineRecording.text(of: t) }
    }

    @Test func eventsThatStepBackInTimeKeepTheirOrder() throws {
        let e1 = TraceEvent(time: 2.0, comm: "a", pid: 1, cpu: 1, name: "x", payload: "")
        let e2 = TraceEvent(
            time: 1.5, comm: "b \"quoted\"\\", pid: 2, cpu: 0, flags: ".N...", name: "y", payload: "k=v\tz")
        let t = Timeline(
            machine: MachineDescription(engine: "sim", summary: "s", minFreeKbytes: 67584, swapPages: Pages(10)),
            samples: [Sample(time: 1, zones: [], counters: ["b": 2, "a": 1])], events: [e1, e2],
            markers: [Marker(time: 1.75, label: "mark ☃")])
        let back = try TimelineRecording.timeline(from: TimelineRecording.text(of: t))
        #expect(back.events == [e1, e2])
        #expect(back.markers == t.markers)
        #expect(back.machine == t.machine)
        #expect(back.samples == t.samples)
    }

    @Test func brokenLineIsReportedWithItsNumber() throws {
        let text = try TimelineRecording.text(of: try FixtureRun.timeline(run: "D6b", includeTrace: false))
        var lines = text.split(separator: "\n").map(String.init)
        lines[4] = String(lines[4].prefix(40))
        #expect(throws: TimelineRecording.ReadError.self) {
            try TimelineRecording.timeline(from: lines.joined(separator: "\n"))
        }
        do {
            _ = try TimelineRecording.timeline(from: lines.joined(separator: "\n"))
        } catch {
            #expect(error.line == 5)
            #expect(error.description.hasPrefix("line 5: "))
        }
        lines = text.split(separator: "\n").map(String.init)
        let i = try #require(lines.indices.dropFirst(2).first { lines[$0].contains(#""type":"sample""#) })
        lines[i] = lines[i].replacingOccurrences(of: #""free":"#, with: #""fre":"#)
        do {
            _ = try TimelineRecording.timeline(from: lines.joined(separator: "\n"))
            Issue.record("a missing key must fail")
        } catch {
            #expect(error.line == i + 1)
            #expect(error.message.contains("missing key \"free\""))
        }
    }

    @Test func unknownVersionIsRejectedClearly() {
        let text = #"{"format":"swaplab-timeline","version":2,"machine":{"engine":"sim","summary":"x"}}"# + "\n"
        do {
            _ = try TimelineRecording.timeline(from: text)
            Issue.record("version 2 must be rejected")
        } catch {
            #expect(error.line == 1)
            #expect(error.message.contains("version 2; this swaplab reads version 1 only"))
        }
        #expect(
            throws: TimelineRecording.ReadError(
                line: 0, message: "the recording is empty; record one with: record FILE")
        ) {
            try TimelineRecording.timeline(from: "")
        }
    }
}
