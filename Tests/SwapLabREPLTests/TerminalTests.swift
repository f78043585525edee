import Foundation
import Glibc
import Testing

/// The interactive shell on a real pseudo-terminal: completion, history, Ctrl-C, Ctrl-D, terminal modes.
@Suite(.serialized) struct TerminalTests {
    static let prompt = "swaplab[sim]> "

    @Test func aLearnerSessionAtTheKeyboard() throws {
        let home = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let historyFile = home.appendingPathComponent("history")
        let env = Binary.environment(
            home: home, extra: ["TERM": "xterm", "SWAPLAB_HISTORY": historyFile.path, "NO_COLOR": "1"])
        let shell = try PtyProcess(path: Binary.path, environment: env)

        // Tab completes a unique command name and adds a space; then an option name.
        try shell.expect(Self.prompt)
        try shell.waitForKeyRead()
        shell.send("eng\t")
        try shell.expect("engine ")
        try shell.waitForKeyRead()
        shell.send("live\r")
        try shell.expect("engine: live (this machine's kernel)")
        try shell.expect("swaplab[live]> ")

        // An ambiguous word lists the choices under the line and keeps what was typed.
        try shell.waitForKeyRead()
        shell.send("e\t")
        try shell.expect("exit")  // the listing: engine, exit, … (grows as commands are added)
        try shell.waitForKeyRead()
        shell.send("ngine sim\r")
        try shell.expect("engine: sim (the built-in reclaim simulator)")
        try shell.expect(Self.prompt)

        try shell.waitForKeyRead()
        shell.send("sleep 1ms --q\t")
        try shell.expect("--quiet ")
        try shell.waitForKeyRead()
        shell.send("\r")
        try shell.expect(Self.prompt)

        // Up three times walks back past `sleep` and `engine sim` to `engine live`.
        try shell.waitForKeyRead()
        shell.send("\u{1B}[A")
        try shell.waitForKeyRead()
        shell.send("\u{1B}[A")
        try shell.waitForKeyRead()
        shell.send("\u{1B}[A")
        try shell.waitForKeyRead()
        shell.send("\r")
        try shell.expect("engine: live (this machine's kernel)")
        try shell.expect("swaplab[live]> ")

        // Ctrl-C drops a half-typed line: what follows is a fresh line.
        try shell.waitForKeyRead()
        shell.send("engine si")
        try shell.expect("engine si")  // echoed: libedit has taken the keys, so the ^C meets an idle read
        try shell.waitForKeyRead()
        shell.send("\u{3}")
        try shell.expect("^C")
        try shell.expect("swaplab[live]> ")
        try shell.waitForKeyRead()
        shell.send("engine\r")
        try shell.expect("engine: live\n")
        try shell.expect("swaplab[live]> ")

        // Ctrl-C during a running command stops it and returns to the prompt.
        try shell.waitForKeyRead()
        shell.send("sleep 60\r")
        try shell.waitForSleep()
        let started = Date()
        shell.send("\u{3}")
        try shell.expect("sleep: interrupted after")
        try shell.expect("swaplab[live]> ")
        #expect(Date().timeIntervalSince(started) < 5)

        // While the shell waits at the prompt its memory is small; recorded for the report.
        try shell.waitForKeyRead()
        if let kib = shell.residentKiB() { print("swaplab idle RSS at the prompt (debug build): \(kib) KiB") }

        // Ctrl-D leaves with status 0 and the terminal back in cooked mode with echo.
        shell.send("\u{4}")
        let status = shell.waitExit()
        #expect(status == 0)
        if let modes = shell.modes() {
            #expect(modes.c_lflag & tcflag_t(ICANON) != 0)
            #expect(modes.c_lflag & tcflag_t(ECHO) != 0)
        }

        // History was saved atomically at exit: libedit's format, one line per entry, spaces as \040.
        let history = try String(contentsOf: historyFile, encoding: .utf8)
        #expect(
            history == """
                _HiStOrY_V2_
                engine\\040live
                engine\\040sim
                sleep\\0401ms\\040--quiet
                engine\\040live
                engine
                sleep\\04060

                """)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: home.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func historyFromAnEarlierRunIsRecalled() throws {
        let home = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let historyFile = home.appendingPathComponent("history")
        try "_HiStOrY_V2_\nengine\\040live\n".write(to: historyFile, atomically: true, encoding: .utf8)
        let env = Binary.environment(home: home, extra: ["TERM": "xterm", "SWAPLAB_HISTORY": historyFile.path])
        let shell = try PtyProcess(path: Binary.path, environment: env)
        try shell.expect(Self.prompt)
        try shell.waitForKeyRead()
        shell.send("\u{1B}[A")
        try shell.waitForKeyRead()
        shell.send("\r")
        try shell.expect("engine: live (this machine's kernel)")
        try shell.waitForKeyRead()
        shell.send("quit\r")
        #expect(shell.waitExit() == 0)
        let history = try String(contentsOf: historyFile, encoding: .utf8)
        #expect(history == "_HiStOrY_V2_\nengine\\040live\nquit\n")
    }

    @Test func hangulEditsInTheCLocaleAndSigtermAtThePromptEndsCleanly() throws {
        let home = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let historyFile = home.appendingPathComponent("history")
        // LANG=C: the shell must fall back to C.UTF-8, or Backspace would cut a Hangul syllable into bytes.
        let env = Binary.environment(
            home: home, extra: ["TERM": "xterm", "SWAPLAB_HISTORY": historyFile.path, "LANG": "C"])
        let shell = try PtyProcess(path: Binary.path, environment: env)
        try shell.expect(Self.prompt)
        try shell.waitForKeyRead()
        shell.send("engine 라이브")
        try shell.expect("라이브")
        try shell.waitForKeyRead()
        shell.send("\u{7F}\u{7F}\u{7F}live\r")
        try shell.expect("engine: live (this machine's kernel)")
        try shell.expect("swaplab[live]> ")
        try shell.waitForKeyRead()
        shell.send("eng")
        try shell.expect("eng")
        try shell.waitForKeyRead()
        kill(shell.pid, SIGTERM)
        #expect(shell.waitExit() == 128 + SIGTERM)
        if let modes = shell.modes() {
            #expect(modes.c_lflag & tcflag_t(ICANON) != 0)
            #expect(modes.c_lflag & tcflag_t(ECHO) != 0)
        }
        #expect(try String(contentsOf: historyFile, encoding: .utf8) == "_HiStOrY_V2_\nengine\\040live\n")
    }
}
