import Foundation
import Testing

@testable import SwapLabModel
@testable import SwapLabSimulator

/// Issue 14, "long work bounded and interruptible": the simulator polls the interrupt before every action, and the
/// timeline it keeps stays bounded however long it runs, counting what it left out.
@Suite struct BoundedWorkTests {
    @Test func runStopsAtTheFirstActionAfterAnInterrupt() throws {
        let sim = try Simulator(config: .course())
        try sim.startAllocation(name: "hog", size: Pages(bytes: 64 << 20), rate: 1)  // 4 KiB/s: busy all day
        var polls = 0
        sim.run(seconds: 86_400) {
            polls += 1
            return polls > 1000
        }
        #expect(polls == 1001)
        #expect(sim.now < 86_400)
        #expect(sim.isBusy)
    }

    @Test func runUntilIdleStopsWithTheActivityStillRunning() throws {
        let sim = try Simulator(config: .course())
        let pid = try sim.startCacheFill(size: Pages(bytes: 1 << 40), dirty: false)
        var polls = 0
        let used = sim.runUntilIdle {
            polls += 1
            return polls > 200
        }
        // The stretch stops at the poll that said stop; the loop around it asks once more and stops too.
        #expect(polls == 202)
        #expect(used < 3600)
        let left = try #require(sim.remaining(pid: pid))
        #expect(left.count > 0 && left.count < (1 << 28))
        #expect(sim.isBusy(pid: pid))
    }

    @Test func aDayOfSimulatedTimeKeepsTheTimelineBounded() throws {
        let sim = try Simulator(config: .course())
        try sim.startAllocation(name: "hog", size: Pages(bytes: 1 << 30), rate: 1)  // busy for three days
        sim.run(seconds: 86_400)
        let timeline = sim.timeline()
        #expect(sim.now == 86_400)
        #expect(timeline.samples.count <= SimConstants.sampleLimit)
        #expect(sim.thinnedSamples + timeline.samples.count >= 864_000)
        #expect(
            timeline.markers.contains { $0.label == "timeline limit: older samples thinned to keep memory bounded" })
        // Still a whole run: the first sample is kept, and samples stay in time order.
        #expect(timeline.samples.first?.time == 0)
        #expect(zip(timeline.samples, timeline.samples.dropFirst()).allSatisfy { $0.time <= $1.time })
    }

    @Test func milestoneEventsBeyondTheLimitAreCountedNotRecorded() throws {
        let sim = try Simulator(config: .course())
        for i in 0..<(SimConstants.milestoneEventLimit + 25) {
            sim.emit(Double(i) * 1e-6, comm: "x", pid: 1, .wakeupKswapd, "nid=0")
        }
        sim.flushStaged()
        #expect(sim.timeline().events.count == SimConstants.milestoneEventLimit)
        #expect(sim.suppressedBulkEvents == ["mm_vmscan_wakeup_kswapd": 25])
        #expect(
            sim.timeline().markers.contains {
                $0.label == "timeline limit: further milestone events are counted, not recorded"
            })
    }

    /// `record` stops between pieces on Ctrl-C: the streaming writer hands out one piece at a time and stops at once
    /// when the sink throws (RecordCommand's sink throws when the session is interrupted).
    @Test func recordingStopsWhenInterrupted() throws {
        struct Interrupted: Error {}
        let sim = try Simulator(config: .course())
        try sim.startAllocation(name: "hog", size: Pages(bytes: 1 << 30))
        sim.runUntilIdle()
        var whole = 0
        try TimelineRecording.write(sim.timeline(), chunkBytes: 256) { _ in whole += 1 }
        #expect(whole > 3)
        var pieces = 0
        #expect(throws: Interrupted.self) {
            try TimelineRecording.write(sim.timeline(), chunkBytes: 256) { _ in
                pieces += 1
                throw Interrupted()
            }
        }
        #expect(pieces == 1)
    }
}
