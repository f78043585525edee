import Foundation
import SwapLabCourse
import SwapLabTestSupport
import Testing

@testable import SwapLabREPL

/// Keeps every outcome the shell hands its hooks.
private final class OutcomeRecorder: ShellHook {
    var outcomes: [CommandOutcome] = []
    func didRun(_ outcome: CommandOutcome) { outcomes.append(outcome) }
}

/// Issue 10 part 6: the shell hands each command's outcome to its hooks, and the course grades from outcomes and
/// the timeline, not from a tap on the terminal.
@Suite struct CourseGradingTests {
    @Test func theShellHandsEachCommandsOutcomeToItsHooks() throws {
        let out = Output(capturingWidth: 80)
        let recorder = OutcomeRecorder()
        let shell = Shell(session: Session(output: out, stateDirectory: testStateDirectory()), hooks: [recorder])
        #expect(shell.session.course == nil)
        #expect(!shell.execute("alloc -1"))
        #expect(shell.execute("machine --ram 4G"))
        #expect(!shell.execute("nosuchcommand"))
        #expect(shell.execute("status --help"))
        // The unknown name and the help request ran no command: no outcome for them.
        #expect(recorder.outcomes.map(\.words) == [["alloc", "-1"], ["machine", "--ram", "4G"]])
        #expect(recorder.outcomes.map(\.succeeded) == [false, true])
        #expect(recorder.outcomes[0].shown == "error: '-1' is not a size; sizes are positive (e.g. 300M)\n")
        #expect(recorder.outcomes[1].name == "machine")
        #expect(recorder.outcomes[1].arguments == ["--ram", "4G"])
        let normal = "\n0 Normal          983        488        735        982     247245"
        #expect(recorder.outcomes[1].shown.contains(normal))
    }

    @Test func anOutputStepIsGradedFromTheCommandsOutcomeNotFromTheSetup() throws {
        let (shell, out, _) = try courseShell(width: 80)
        #expect(shell.execute("start pages; goto sim-watermarks"))
        let entered = out.takeCaptured()
        // The setup ran quietly: its line is shown, its zone table is not, and it is not evidence for the check.
        #expect(entered.contains("│ setup: reset; machine --ram 4G\n"))
        #expect(!entered.contains("machine: 4 GiB RAM"))
        #expect(shell.execute("check"))
        #expect(
            out.takeCaptured() == """
                │ ✗ FAIL — what is missing:
                │ • The zone table has not been shown yet; type `watermarks`.

                """)
        #expect(shell.execute("watermarks"))
        let graded = out.takeCaptured()
        #expect(graded.contains("│ ✓ PASS [sim-watermarks]\n"))
        #expect(graded.contains("Normal has 983 free pages right now, next to Min 488, Low 735"))
        #expect(graded.contains("│ and High 982."))
        let course = try #require(shell.session.course)
        #expect(course.progress.lessons["pages"]?.done == ["sim-watermarks"])
    }

    @Test func aWrongAnswerIsJudgedTypedAndNamesTheRightOne() throws {
        let (shell, out, _) = try courseShell()
        #expect(shell.execute("start pages; goto pages-per-gib"))
        _ = out.takeCaptured()
        #expect(!shell.execute("answer 9"))
        #expect(out.takeCaptured() == "error: choose a number from 1 to 3\n")
        #expect(!shell.execute("goto 1; answer 1"))
        #expect(out.takeCaptured().hasSuffix("error: this step is not a question; `where` shows what it asks\n"))
    }
}
