import Foundation
import Glibc
import SwapLabKernel
import Testing

@testable import SwapLabREPL

/// Issue 14, long work bounded and interruptible, through the shell and the binary.
@Suite(.serialized) struct BoundedWorkShellTests {
    @Test func anAllocationStoppedByTheHourLimitSaysWhatItWrote() {
        let sh = SimCommandTests.shell()
        #expect(sh.execute("alloc 64M --rate 4K/s"))
        #expect(
            sh.session.output.takeCaptured().replacingOccurrences(of: "\n", with: " ").contains(
                "hog (pid 1000): stopped after 3600.00 s of simulated time having written 14.06 MiB of 64 MiB; still "
                    + "running (`run 10s` lets it go on, `release hog` ends it) "))
    }

    /// SIGINT, SIGTERM and SIGHUP end a long `cache` through the usual clean-up: the command stops and says where;
    /// Ctrl-C ends a `-c` run with status 130, SIGTERM and SIGHUP end the process by the same signal.
    @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
    func aSignalEndsALongCommand(signal: Int32) throws {
        let home = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = ["-c", "cache 4T"]
        process.environment = Binary.environment(home: home)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let text = Locked("")
        output.fileHandleForReading.readabilityHandler = { h in
            let d = h.availableData
            text.update { $0 += String(decoding: d, as: UTF8.self) }
        }
        try process.run()
        let started = Date().addingTimeInterval(30)
        while !text.value.contains("created the course machine") && Date() < started {
            Thread.sleep(forTimeInterval: 0.02)
        }
        Thread.sleep(forTimeInterval: 0.3)
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        #expect(!process.isRunning)
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            return
        }
        output.fileHandleForReading.readabilityHandler = nil
        text.update { $0 += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
        if signal == SIGINT {
            #expect(process.terminationReason == .exit && process.terminationStatus == 130)
        } else {
            #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == signal)
        }
        #expect(text.value.contains("page cache: stopped after "), "\(text.value)")
    }

    /// A history file that is a link to /dev/zero, a FIFO or a directory: a warning, a prompt, no hang, and the
    /// file left as it was.
    @Test(arguments: ["zero", "fifo", "directory"])
    func aStrangeHistoryFileIsReportedAndLeftAlone(kind: String) throws {
        let home = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let history = home.appendingPathComponent("history")
        switch kind {
        case "zero": try FileManager.default.createSymbolicLink(atPath: history.path, withDestinationPath: "/dev/zero")
        case "fifo": #expect(mkfifo(history.path, 0o600) == 0)
        default: try FileManager.default.createDirectory(at: history, withIntermediateDirectories: false)
        }
        let env = Binary.environment(home: home, extra: ["TERM": "xterm", "SWAPLAB_HISTORY": history.path])
        let shell = try PtyProcess(path: Binary.path, environment: env)
        let described = ["zero": "a character device", "fifo": "a FIFO (named pipe)", "directory": "a directory"][kind]!
        try shell.expect(
            "warning: history is not loaded or saved this session: \(history.path) is \(described), not a regular "
                + "file; move it away to keep history")
        try shell.expect(TerminalTests.prompt)
        try shell.waitForKeyRead()
        shell.send("quit\r")
        #expect(shell.waitExit() == 0)
        let st = try Syscall.linkStatus(history.path)
        let expected: mode_t = kind == "zero" ? S_IFLNK : kind == "fifo" ? S_IFIFO : S_IFDIR
        #expect(st.st_mode & S_IFMT == expected)
    }
}

/// A value shared with a Pipe's reading thread.
final class Locked<T>: @unchecked Sendable {
    private var stored: T
    private let lock = NSLock()
    init(_ value: T) { stored = value }
    var value: T { lock.withLock { stored } }
    func update(_ body: (inout T) -> Void) { lock.withLock { body(&stored) } }
}
