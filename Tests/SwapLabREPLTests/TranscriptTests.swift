import Foundation
import Testing

/// Plain-mode sessions through the real binary (`printf … | swaplab`), compared with snapshot files.
@Suite struct TranscriptTests {
    /// One recorded session: the command line, stdin, everything printed, and the exit status.
    static func transcript(_ arguments: [String], input: String = "", extra: [String: String] = [:]) throws -> String {
        let (output, status) = try Binary.run(arguments, input: input, extra: extra)
        var text = "$ swaplab" + arguments.map { " " + ($0.contains(" ") ? "'\($0)'" : $0) }.joined() + "\n"
        if !input.isEmpty {
            text +=
                "# stdin:\n"
                + input.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }
                .joined(separator: "\n") + "\n"
        }
        return text + "# output:\n" + output + "# exit status: \(status)\n"
    }

    @Test func helpListsCommandsByGroupAndShowsOneCommand() throws {
        Snapshot.check(try Self.transcript([], input: "help\nhelp engine\nquit\n"), named: "help")
    }

    @Test func unknownCommandSuggestsTheNearestAndFails() throws {
        Snapshot.check(try Self.transcript([], input: "engin live\nqiut\nfrobnicate\n"), named: "unknown-command")
    }

    /// A learner who switched to Korean reads typos and bad numbers in Korean, with the same advice; back in
    /// English, the same lines are English again.
    @Test func typosAreAnsweredInTheLearnersLanguage() throws {
        let input = "lang ko\nengin live\nalloc 5X\nrun -2s\nalloc 1\nlang en\nalloc 5X\n"
        let (output, status) = try Binary.run([], input: input)
        #expect(status == 1)
        // Error lines, with their wrapped continuations ("  …") joined back.
        var errors: [String] = []
        for line in output.split(separator: "\n").map(String.init) {
            if line.hasPrefix("error: ") {
                errors.append(line)
            } else if line.hasPrefix("  "), !errors.isEmpty, !line.hasPrefix("  │") {
                errors[errors.count - 1] += " " + line.trimmingCharacters(in: .whitespaces)
            }
        }
        #expect(
            errors == [
                "error: 'engin'(이)라는 명령은 없습니다. 'engine'을(를) 쓰려던 건가요? (목록은 `help`)",
                "error: SIZE: '5X'은(는) 크기가 아닙니다. 'X'은(는) 모르는 단위입니다. K, M, G, T 중 하나를 쓰세요 "
                    + "(예: 300M)",
                "error: '-2s'은(는) 시간이 아닙니다. 시간은 양수입니다 (예: 2s)",
                "error: SIZE: '1'은(는) 한 페이지(4096바이트)보다 작습니다. 4K 이상을 주세요",
                "error: SIZE: '5X' is not a size: unknown unit 'X'; use K, M, G or T (e.g. 300M)",
            ], "\(output)")
    }

    @Test func badOptionSuggestsTheNearestWithAUsageLine() throws {
        Snapshot.check(
            try Self.transcript([], input: "sleep 1ms --quite\nengine sim live\nsleep\nsleep 2x\n"), named: "bad-option"
        )
    }

    @Test func engineSwitchesAndSaysSo() throws {
        Snapshot.check(
            try Self.transcript([], input: "engine\nengine live\nengine\nengine sim\nengine mars\n"), named: "engine")
    }

    @Test func badQuoteIsReportedAndTheShellCarriesOn() throws {
        Snapshot.check(
            try Self.transcript([], input: "engine 'live\nengine \"live\"\nengine a\\\n"), named: "bad-quote")
    }

    @Test func quitStopsTheScriptAndLaterLinesDoNotRun() throws {
        Snapshot.check(
            try Self.transcript([], input: "engine live\nquit\nengine sim\nbogus\n"), named: "quit-mid-script")
    }

    @Test func exitStatusIsZeroWhenAllCommandsSucceedAndOneAfterAFailure() throws {
        #expect(try Binary.run([], input: "help\nengine live\n").status == 0)
        #expect(try Binary.run([], input: "bogus\nengine live\n").status == 1)
        #expect(try Binary.run([], input: "").status == 0)
        // The line after a failure still runs in an interactive-style session.
        #expect(try Binary.run([], input: "bogus\nengine live\n").output.contains("engine: live"))
    }

    @Test func dashCRunsCommandsAndStopsAtTheFirstFailure() throws {
        Snapshot.check(try Self.transcript(["-c", "engine live; engine"]), named: "dash-c")
        Snapshot.check(try Self.transcript(["-c", "engine live; bogus; engine sim"]), named: "dash-c-failure")
    }

    @Test func scriptAllowsCommentsAndBlankLinesAndStopsAtTheFirstFailure() throws {
        let directory = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.swaplab")
        try "# a lesson script\n\nengine live   # the real kernel\n\n  # indented comment\nengine\n".write(
            to: good, atomically: true, encoding: .utf8)
        let bad = directory.appendingPathComponent("bad.swaplab")
        try "engine live\nsleep 1ms --jsn\nengine sim\n".write(to: bad, atomically: true, encoding: .utf8)
        let goodRun = try Binary.run(["--script", good.path])
        #expect(goodRun.status == 0)
        #expect(goodRun.output == "engine: live (this machine's kernel)\nengine: live\n")
        let badRun = try Binary.run(["--script", bad.path])
        #expect(badRun.status == 1)
        #expect(
            badRun.output == """
                engine: live (this machine's kernel)
                error: Unknown option '--jsn'
                usage: sleep <duration> [--quiet]  (more: sleep --help)

                """)
        let missing = try Binary.run(["--script", directory.appendingPathComponent("nope").path])
        #expect(missing.status == 2)
        #expect(missing.output.hasPrefix("error: cannot read the script: "))
        #expect(missing.output.hasSuffix("nope does not exist; check the path\n"))
    }

    @Test func topLevelHelpListsTheOptionsAndTheSubcommands() throws {
        Snapshot.check(try Self.transcript(["--help"]), named: "top-help")
        // -h is the same text; top-level options before it do not change it.
        #expect(try Binary.run(["-h"]).output == Binary.run(["--help"]).output)
        #expect(try Binary.run(["--color", "off", "--help"]).status == 0)
    }

    @Test func badTopLevelOptionIsArgumentParsersErrorWithStatus64() throws {
        Snapshot.check(try Self.transcript(["--colour", "on", "watermarks"]), named: "bad-top-option")
    }

    @Test func oneCommandOnTheCommandLineRunsAndExits() throws {
        Snapshot.check(try Self.transcript(["engine", "live"]), named: "one-command")
    }

    @Test func colorIsOffWhenNotATerminalAndOnWhenForced() throws {
        let auto = try Binary.run([], input: "bogus\n", extra: ["NO_COLOR": ""])
        #expect(!auto.output.contains("\u{1B}["))
        let forced = try Binary.run(["--color", "on"], input: "bogus\n")
        #expect(forced.output.hasPrefix("\u{1B}[31merror:\u{1B}[0m unknown command 'bogus'"))
    }

    @Test func sigtermEndsThePlainShellCleanly() throws {
        let home = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.environment = Binary.environment(home: home)
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        stdin.fileHandleForWriting.write(Data("sleep 30\n".utf8))
        // Once the command sleeps, ask the shell to end: it must stop the command and exit with 128+15.
        let started = Date().addingTimeInterval(20)
        func sleeping() -> Bool {
            let s = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/syscall", encoding: .utf8)) ?? ""
            return s.hasPrefix("230 ") || s.hasPrefix("35 ") || s.hasPrefix("115 ")
        }
        while !sleeping() && Date() < started { Thread.sleep(forTimeInterval: 0.01) }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        #expect(!process.isRunning)
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            return
        }
        // The shell cleans up, then ends by the same signal, so a parent sees how it ended.
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == SIGTERM)
    }
}
