import Foundation
import SwapLabCourse
import SwapLabTestSupport
import Testing

@testable import SwapLabREPL

/// Issue 14 through the shell, as a hostile or careless learner types it: each line used to trap (exit 132) or
/// print an unclear message; now each ends with a result or one clear error, and the shell goes on.
@Suite struct InputBoundsShellTests {
    /// Runs `line` in a fresh shell; returns whether it succeeded and everything it printed.
    func run(_ line: String, width: Int = 100) -> (Bool, String) {
        let sh = SimCommandTests.shell()
        let ok = sh.execute(line)
        return (ok, sh.session.output.takeCaptured())
    }

    @Test(arguments: [
        ("machine --ram 8000000T", "error: --ram: '8000000T' is too large; a size is at most 4 PiB (4096T)"),
        (
            "machine --zones Normal=200000000000000000",
            "error: cannot read the zones 'Normal=200000000000000000': Normal has 200000000000000000 pages; a zone holds "
                + "at most 1099511627776 (4 PiB); write them like DMA=3840,DMA32=772915,Normal=5394266"
        ),
        ("cache 8000000T", "error: SIZE: '8000000T' is too large; a size is at most 4 PiB (4096T)"),
        ("alloc -1", "error: '-1' is not a size; sizes are positive (e.g. 300M)"),
        ("machine --ram -1", "error: '-1' is not a size; sizes are positive (e.g. 300M)"),
        ("events --last -1", "error: '-1' is not a count; --last takes a positive number (e.g. --last 20)"),
        ("run -2s", "error: '-2s' is not a duration; durations are positive (e.g. 2s)"),
    ])
    func absurdNumbersGetOneClearError(line: String, message: String) {
        let (ok, out) = run(line)
        #expect(!ok)
        // Wrapped to 80 columns: continuation lines are indented by two.
        #expect(out.replacingOccurrences(of: "\n  ", with: " ") == message + "\n")
    }

    @Test func hugeButAcceptedMachinesWork() {
        // min_free_kbytes at its maximum on 100 TiB: `pagesMin * managed` needs 128 bits, and no longer traps.
        let (ok, out) = run("machine --ram 100T --min-free-kbytes 2147483647")
        #expect(ok)
        #expect(out.contains("min_free_kbytes 2147483647"))
        // A zone of 10^12 pages: the columns widen instead of running together.
        let (ok2, table) = run("machine --zones Normal=1000000000000")
        #expect(ok2)
        #expect(table.contains("0 Normal     350000000000          65536     1000065536     2000065536  1000000000000"))
    }

    @Test func swapOfZeroInAnyUnitMeansNone() {
        let (ok, out) = run("machine --swap 0G")
        #expect(ok)
        #expect(out.hasPrefix("machine: 4 GiB RAM, no swap, 1 node"))
    }

    @Test func stepNumbersAreCheckedBeforeArithmetic() throws {
        let (shell, out, _) = try courseShell()
        #expect(shell.execute("start pages"))
        _ = out.takeCaptured()
        #expect(!shell.execute("goto -- -9223372036854775808"))
        #expect(out.takeCaptured() == "error: there is no such step; this lesson has steps 1–4\n")
        #expect(!shell.execute("goto -1"))
        #expect(
            out.takeCaptured().replacingOccurrences(of: "\n  ", with: " ")
                == "error: '-1' is not a step; steps are numbered from 1 (`where` shows where you are)\n"
        )
        #expect(!shell.execute("answer -- -9223372036854775808"))
    }

    @Test func hintCountsFromProgressAreClamped() throws {
        let (shell, out, _) = try courseShell()
        #expect(shell.execute("start kswapd; goto push-below-low"))
        let course = try #require(shell.session.course)
        course.progress.lessons["kswapd"]?.hintsUsed["push-below-low"] = Int.max
        _ = out.takeCaptured()
        #expect(shell.execute("hint"))
        #expect(out.takeCaptured().contains("hint 2/2"))
        course.progress.lessons["kswapd"]?.hintsUsed["push-below-low"] = -1
        #expect(shell.execute("hint"))
        #expect(out.takeCaptured().contains("hint 1/2"))
    }
}

/// Issue 14, the table of unclear messages: each input now gets the message the issue asks for.
@Suite struct ClearMessagesTests {
    @Test func templatesKeepAnUnclosedBraceOnce() {
        #expect(Template.fill("AAA {delta BBB", values: ["delta": "5"]) == "AAA {delta BBB")
        #expect(Template.fill("a {x} b {y", values: ["x": "1"]) == "a 1 b {y")
    }

    @Test func lineBreaksEndCommandsWhateverTheirStyle() throws {
        #expect(try Tokenizer.commands("status\r\nmark a\nvmstat") == [["status"], ["mark", "a"], ["vmstat"]])
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("crlf.txt")
        try "machine --ram 4G\r\nmark before\r\n# a comment\r\nstatus\r\n".write(
            to: script, atomically: true, encoding: .utf8)
        let run = try Binary.run(["--script", script.path])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("mark 'before' at t = 0.000 s"))
    }

    @Test func aTinyAllocationBelowAPageAndAHugeOneSayWhy() {
        let sh = SimCommandTests.shell()
        #expect(!sh.execute("alloc 100"))
        #expect(
            sh.session.output.takeCaptured()
                == "error: SIZE: '100' is less than one page (4096 bytes); give at least 4K\n")
        #expect(!sh.execute("alloc 5000T"))
        #expect(
            sh.session.output.takeCaptured() == "error: SIZE: '5000T' is too large; a size is at most 4 PiB (4096T)\n")
    }
}
