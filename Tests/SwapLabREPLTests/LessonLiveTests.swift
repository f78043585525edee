import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabCourse
@testable import SwapLabKernel
@testable import SwapLabREPL

/// The course's live steps on this kernel (`lessons test --live`): the CI proof that every live step fails after
/// its setup, passes after its solution, and leaves the machine as it was. About 2½ minutes (four `lab run`s).
extension LiveSystem {
    @Suite(.serialized) struct LessonLiveTests {
        /// The live steps the course has, by `lesson/step` (written out, so a step that silently stops being live fails).
        static let expectedSteps = [
            "pages/live-watermarks", "watermarks/live-sysctls", "kswapd/live-cycle", "reclaimable/live-reclaim",
            "notes-experiment/big-machine-live", "notes-experiment/htop-live",
            "notes-experiment/lab-run", "direct-reclaim/live-allocstall",
            "swap-in/live-pswpin", "oom/live-guard", "trace/trace-live", "trace/live-tracefs", "tuning/live-settings",
        ]

        @Test(
            "lessons test --live: every live step fails after setup, passes after its solution, and leaves the machine as it was",
            .changesMachine,
            .enabled(if: LabConditions.canRunLab, "needs root, tracefs, the swaplab binary and 4 GiB available"))
        func everyLiveStepPasses() throws {
            let course = try LessonLoader.loadCourse(from: Fixtures.repositoryRoot.appendingPathComponent("Lessons"))
            let live = course.lessons.flatMap { l in LiveLessonTester.liveSteps(of: l).map { "\(l.id)/\($0.id)" } }
            #expect(live == Self.expectedSteps)
            let before = LiveMachineState.read()
            let out = Output(capturingWidth: 100)
            let report = LiveLessonTester.test(course, output: out)
            let text = out.takeCaptured()
            #expect(report.checked == Self.expectedSteps.count, "\(text)")
            #expect(report.skipped == 0, "\(text)")
            #expect(report.failed == 0, "\(text)")
            #expect(report.lines.allSatisfy { $0.hasPrefix("✓ PASS ") }, "\(text)")
            #expect(
                text.contains(
                    "lessons test --live: \(Self.expectedSteps.count) of \(Self.expectedSteps.count) live steps pass"))
            #expect(LiveMachineState.read() == before)
            Self.letFreeMemorySettle()
        }

        /// Waits (at most 20 s) until zone free memory has held within 16 MiB for 3 s: memory the lab gave back reaches
        /// the zones in steps, 1–10 s later, on VMs that report free pages to the host (live-lab.md §7.3), and the next
        /// live suite measures free memory.
        static func letFreeMemorySettle() {
            let deadline = Date().addingTimeInterval(20)
            var steadySince = Date()
            var last = (try? ZoneinfoParser.read().totalFree.bytes) ?? 0
            while Date() < deadline, Date().timeIntervalSince(steadySince) < 3 {
                Thread.sleep(forTimeInterval: 0.5)
                let now = (try? ZoneinfoParser.read().totalFree.bytes) ?? 0
                if abs(now - last) >= 16 << 20 { steadySince = Date() }
                last = now
            }
        }

        @Test("a step whose requirement is missing is skipped, not passed, and nothing runs")
        func missingRequirementSkips() throws {
            let course = try LessonLoader.loadCourse(from: Fixtures.repositoryRoot.appendingPathComponent("Lessons"))
            let out = Output(capturingWidth: 100)
            let report = LiveLessonTester.test(
                course, only: "kswapd", output: out, probe: { $0 == .root ? "root (test)" : nil })
            #expect(report.checked == 1)
            #expect(report.skipped == 1)
            #expect(report.failed == 0)
            #expect(report.passed == 0)
            #expect(report.lines == ["– SKIP kswapd/live-cycle: needs root (test)"])
        }

        @Test(
            "a live step whose check already passes after setup fails the test",
            .changesMachine)
        func checkPassingAfterSetupFails() throws {
            let yaml = """
                format: 1
                id: t
                version: 1
                title: {en: T, ko: T}
                steps:
                  - id: s
                    kind: command
                    engine: live
                    text: {en: "`status`", ko: "`status`"}
                    setup: {live: [status]}
                    input: "status"
                    expect:
                      all:
                        - id: quiet
                          event: {name: kswapd_wake, at_most: 1000000}
                    hints: [{en: "`status`", ko: "`status`"}]
                    solution: {live: [status]}
                """
            let (lesson, _) = try LessonLoader.decode(Lesson.self, yaml: yaml, file: "t.yaml")
            let course = Course(source: .directory(URL(fileURLWithPath: "/")), lessons: [lesson], errors: [])
            let r = LiveLessonTester.testStep(lesson.steps[0], of: lesson, in: course, probe: { _ in nil })
            #expect(r.problem?.contains("already passes right after setup") == true, "\(r.problem ?? "passed")")
        }
    }
}
