import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabModel

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
        #expect(lines[0].hasPrefix(#"{"schema":"swaplab.timeline/2","machine":{"engine":"live""#))
        #expect(lines[1].hasPrefix(#"{"type":"sample","t_s":732.146,"zones":[{"node":0,"zone":"DMA","free_pages":"#))
    }

    /// A version 1 recording written by swaplab before the keys carried units (Tests/Fixtures/README.md) reads as it
    /// was written, and goes out again as version 2 with the same timeline.
    @Test func aVersion1RecordingStillReadsAndRewritesAsVersion2() throws {
        let url = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/recordings/timeline-v1-sim.jsonl")
        let old = try TimelineRecording.timeline(from: try String(contentsOf: url, encoding: .utf8))
        #expect(
            old.machine
                == MachineDescription(
                    engine: "sim", summary: "512 MiB RAM, 256 MiB swap, 1 node", minFreeKbytes: 2780,
                    watermarkScaleFactor: 200, swappiness: 60, swapPages: Pages(65536)))
        #expect(old.samples.count == 34)
        #expect(old.events.count == 125)
        #expect(
            old.markers.map(\.label) == [
                "start", "alloc big 500 MiB", "oom kill big", "big stopped: killed by the OOM killer", "end",
            ])
        // Markers keep the file's order even where it steps back in time.
        #expect(old.markers[2].time == 0.6525577605875651 && old.markers[3].time == 0.6522717605875651)
        let dma = try #require(old.samples.first?.zones.first)
        #expect(dma.zone == .dma && dma.free == Pages(3840) && dma.min == Pages(22) && dma.low == Pages(98))
        #expect(dma.high == Pages(174) && dma.managed == Pages(3840) && dma.protection == [0, 457, 457, 457, 457])
        #expect(old.events.first?.time == 0.09848531087239583 && old.events.first?.comm == "big")
        #expect(old.events.first?.flags == "....." && old.events.first?.name == "mm_vmscan_wakeup_kswapd")

        let text = try TimelineRecording.text(of: old)
        let lines = text.split(separator: "\n")
        #expect(
            lines[0]
                == #"{"schema":"swaplab.timeline/2","machine":{"engine":"sim","summary":"512 MiB RAM, 256 MiB swap, "#
                + #"1 node","min_free_kbytes":2780,"watermark_scale_factor":200,"swappiness":60,"swap_pages":65536}}"#)
        #expect(
            lines[1].hasPrefix(
                #"{"type":"sample","t_s":0.0,"zones":[{"node":0,"zone":"DMA","free_pages":3840,"min_pages":22,"#
                    + #""low_pages":98,"high_pages":174,"managed_pages":3840,"protection_pages":[0,457,457,457,457]}"#))
        #expect(lines.last == #"{"type":"marker","t_s":0.952271760587565,"label":"end"}"#)
        let new = try TimelineRecording.timeline(from: text)
        #expect(new.machine == old.machine)
        #expect(new.samples == old.samples)
        #expect(new.events == old.events)
        #expect(new.markers == old.markers)
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
        lines[i] = lines[i].replacingOccurrences(of: #""free_pages":"#, with: #""fre":"#)
        do {
            _ = try TimelineRecording.timeline(from: lines.joined(separator: "\n"))
            Issue.record("a missing key must fail")
        } catch {
            #expect(error.line == i + 1)
            #expect(error.message.contains("missing key \"free_pages\""))
        }
    }

    @Test func unknownVersionIsRejectedClearly() {
        let reads =
            "this swaplab reads versions 1 to 2. Re-record it with this swaplab, or use the swaplab that wrote it"
        for header in [
            #"{"schema":"swaplab.timeline/3","machine":{"engine":"sim","summary":"x"}}"#,
            #"{"format":"swaplab-timeline","version":3,"machine":{"engine":"sim","summary":"x"}}"#,
        ] {
            #expect(
                throws: TimelineRecording.ReadError(line: 1, message: "this recording is version 3; " + reads)
            ) { try TimelineRecording.timeline(from: header + "\n") }
        }
        #expect(
            throws: TimelineRecording.ReadError(
                line: 1, message: "not a swaplab recording: schema is 'swaplab.status/2', not 'swaplab.timeline/2'")
        ) {
            try TimelineRecording.timeline(
                from: #"{"schema":"swaplab.status/2","machine":{"engine":"sim","summary":"x"}}"# + "\n")
        }
        #expect(
            throws: TimelineRecording.ReadError(
                line: 0, message: "the recording is empty; record one with: record FILE")
        ) {
            try TimelineRecording.timeline(from: "")
        }
    }
}
