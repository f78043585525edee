import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabKernel
@testable import SwapLabModel

/// The lab's phase checks and round sizing, against run D1b's real trace (hog pid 28824, the `timeout` that started
/// it 28823) and its /proc/vmstat before and after: pswpout 1,265,001 → 1,562,490 (+297,489), pswpin 794,083 →
/// 1,079,428 (+285,345).
@Suite struct LabStoryTests {
    static let mib: Int64 = 1 << 20
    static let d1b = "runs/D1b-kswapd-swapout-clean/"

    func milestones() throws -> [TraceEvent] {
        TraceLineParser.parse(text: try Fixtures.text(Self.d1b + "trace_pipe.milestones.txt")).events
    }

    /// D1b: the hog woke kswapd twice (737.520261, 741.907956); 8 balance passes and 2 sleeps follow the first.
    @Test func d1bTellsTheWholeStory() throws {
        let s = LabStory(
            events: try milestones(), hogPIDs: [28824], since: 735.0, swapOutPages: 297_489, swapInPages: 285_345)
        #expect(s.hogWakeups == 2)
        #expect(s.firstHogWakeup == 737.520261)
        #expect(s.wakeups == 2)
        #expect(s.wakesAfterHogWakeup == 8)
        #expect(s.sleepsAfterHogWakeup == 2)
        #expect(s.firstShortfall == nil)
        #expect(s.roundsDone)
    }

    /// The same trace read as if another process were the hog: kswapd was woken, but not by the hog.
    @Test func aWakeUpByAnotherTaskIsNotTheHogs() throws {
        let s = LabStory(
            events: try milestones(), hogPIDs: [28823], since: 735.0, swapOutPages: 297_489, swapInPages: 285_345)
        #expect(s.hogWakeups == 0)
        #expect(s.wakeups == 2)
        #expect(s.firstShortfall?.phase == .wake)
        #expect(
            s.shortfall(.wake)
                == "kswapd was woken 2 time(s), but never by the hog's allocation (another task crossed the wake point "
                + "first, or kswapd was already awake each time the hog crossed it)")
        #expect(s.shortfall(.sleep) == "kswapd was not woken by the hog, so it could not go back to sleep")
        #expect(!s.roundsDone)
    }

    /// From 745.7 on (after the second sleep) nothing was traced: never woken.
    @Test func nothingTracedMeansNeverWoken() throws {
        let s = LabStory(events: try milestones(), hogPIDs: [28824], since: 745.7, swapOutPages: 0, swapInPages: 0)
        #expect(s.wakeups == 0)
        #expect(s.shortfall(.wake) == "kswapd was never woken: free memory did not reach the wake point")
        #expect(s.shortfall(.swapOut) == "only 0 pages (0 MiB) were swapped out; the lab needs 64 MiB")
        #expect(s.shortfall(.swapIn) == "only 0 pages (0 MiB) were swapped in; the lab needs 64 MiB")
    }

    /// Cut at 739.0, before the first sleep (739.200092): woken by the hog, 3 passes, no sleep yet.
    @Test func awakeAtTheEndIsASleepShortfall() throws {
        let events = try milestones().filter { $0.time < 739.0 }
        let s = LabStory(events: events, hogPIDs: [28824], since: 735.0, swapOutPages: 297_489, swapInPages: 285_345)
        #expect(s.wakesAfterHogWakeup == 3)
        #expect(s.sleepsAfterHogWakeup == 0)
        #expect(s.firstShortfall?.phase == .sleep)
        #expect(
            s.shortfall(.sleep)
                == "kswapd did not go back to sleep after the hog woke it (no zone reached its high watermark in time)")
    }

    /// 64 MiB is 16,384 pages: one page less falls short, and says so in MiB rounded down.
    @Test func swapPhasesNeedSixtyFourMiB() throws {
        var s = LabStory(
            events: try milestones(), hogPIDs: [28824], since: 735.0, swapOutPages: 16_384, swapInPages: 16_383)
        #expect(s.shortfall(.swapOut) == nil)
        #expect(s.shortfall(.swapIn) == "only 16383 pages (63 MiB) were swapped in; the lab needs 64 MiB")
        #expect(s.firstShortfall?.phase == .swapIn)
        #expect(s.roundsDone)
        s.swapOutPages = 573
        #expect(s.shortfall(.swapOut) == "only 573 pages (2 MiB) were swapped out; the lab needs 64 MiB")
        #expect(!s.roundsDone)
    }

    /// A baseline run on the 24 GiB VM measured free 3,729 MiB against a wake point of 2,229 MiB a second after
    /// its balloon (memory reported to the host came back late). Round 1 (extra 2,229 − 1,205 − 256 = 768 MiB): no
    /// top-up (1,500 MiB is within 2 GiB), a hog of 1,500 + 768 = 2,268 MiB, the first 1,500 + 64 = 1,564 MiB at
    /// full speed.
    @Test func roundOneCoversWhatCameBackLateWithTheHog() {
        let extra = LabPlan.hogExtra(wakePoint: 2229 * Self.mib, floor: 1205 * Self.mib)
        #expect(extra == 768 * Self.mib)
        let r = LabPlan.round(
            free: 3729 * Self.mib, wakePoint: 2229 * Self.mib, extra: extra, hugePageSize: 2 * Self.mib,
            hogLeft: 4096 * Self.mib)
        #expect(r == LabPlan.Round(balloonPages: 0, hogBytes: 2268 * Self.mib, fastBytes: 1564 * Self.mib))
    }

    /// Free memory 5,000 MiB above a 2,230 MiB wake point: the balloon takes (7,230 − 2,230 − 1,024) / 2 = 1,988
    /// huge pages, leaving 7,230 − 3,976 − 2,230 = 1,024 MiB to go; + 512 MiB = 1,536 MiB, 1,024 + 64 MiB fast.
    @Test func farAboveTheWakePointTheBalloonIsToppedUp() {
        let r = LabPlan.round(
            free: 7230 * Self.mib, wakePoint: 2230 * Self.mib, extra: 512 * Self.mib, hugePageSize: 2 * Self.mib,
            hogLeft: 4096 * Self.mib)
        #expect(r == LabPlan.Round(balloonPages: 1988, hogBytes: 1536 * Self.mib, fastBytes: 1088 * Self.mib))
    }

    /// Below the wake point already, the hog is the extra alone, nothing fast; the hog budget caps it (370 + 64 MiB
    /// fast of 700 MiB).
    @Test func roundsBelowTheWakePointAndWithinBudget() {
        let below = LabPlan.round(
            free: 2000 * Self.mib, wakePoint: 2230 * Self.mib, extra: 512 * Self.mib, hugePageSize: 2 * Self.mib,
            hogLeft: 2048 * Self.mib)
        #expect(below == LabPlan.Round(balloonPages: 0, hogBytes: 512 * Self.mib, fastBytes: 0))
        let capped = LabPlan.round(
            free: 2600 * Self.mib, wakePoint: 2230 * Self.mib, extra: 512 * Self.mib, hugePageSize: 2 * Self.mib,
            hogLeft: 700 * Self.mib + 5)
        #expect(capped == LabPlan.Round(balloonPages: 0, hogBytes: 700 * Self.mib, fastBytes: 434 * Self.mib))
    }

    /// A live timeline bounded to 100 events keeps D1b's wake-up and first pass from the 4,841 lines of the trace's
    /// head (the rest are reclaim lines), and counts only the others as dropped.
    @Test func milestonesSurviveTheEventBound() throws {
        let text = try Fixtures.text(Self.d1b + "trace_pipe.head.txt")
        let lines = text.split(separator: "\n")
        #expect(lines.count == 4841)
        let t = LiveTimeline(eventCapacity: 100)
        t.append(traceLines: lines)
        let events = t.snapshot(machine: MachineDescription(engine: "live", summary: "")).events
        #expect(events.count == 102)
        #expect(events[0].name == "mm_vmscan_wakeup_kswapd" && events[0].pid == 28824 && events[0].time == 737.520261)
        #expect(events[1].name == "mm_vmscan_kswapd_wake" && events[1].time == 737.524036)
        #expect(t.droppedEvents == 4841 - 102)
        #expect(t.milestones().map(\.name) == ["mm_vmscan_wakeup_kswapd", "mm_vmscan_kswapd_wake"])
    }
}
