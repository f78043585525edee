import Foundation
import Glibc

/// A program running on a pseudo-terminal, driven like a person at a keyboard. The child gets a fresh session with
/// the pty as its controlling terminal (so ^C becomes SIGINT) and an empty signal mask (Swift Testing's threads
/// block most signals, and the mask would survive exec).
final class PtyProcess {
    /// A failure of the harness, with what the screen showed.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let pid: pid_t
    let master: Int32
    private var raw: [UInt8] = []
    /// Characters of the cleaned screen text already matched by `expect`.
    private var consumed = 0
    private(set) var exitStatus: Int32?

    init(path: String, arguments: [String] = [], environment: [String: String], columns: UInt16 = 80) throws {
        // Everything the child needs is allocated before fork: after it, only async-signal-safe calls.
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var size = winsize(ws_row: 24, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        var fd: Int32 = -1
        let child = forkpty(&fd, nil, nil, &size)
        if child == 0 {
            var none = sigset_t()
            sigemptyset(&none)
            sigprocmask(SIG_SETMASK, &none, nil)
            execve(path, argv, envp)
            _exit(127)
        }
        guard child > 0 else { throw Failure(description: "forkpty failed: errno \(errno)") }
        pid = child
        master = fd
        _ = fcntl(master, F_SETFD, FD_CLOEXEC)  // later children must not hold our master open
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(master)
    }

    /// Types `keys`.
    func send(_ keys: String) {
        var bytes = Array(keys.utf8)
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            bytes.removeFirst(n)
        }
    }

    /// Reads what is available within `milliseconds`. Returns false at end of output (the child closed the pty).
    @discardableResult
    private func pump(milliseconds: Int32) -> Bool {
        var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&fds, 1, milliseconds) > 0 else { return true }
        var chunk = [UInt8](repeating: 0, count: 4096)
        let n = chunk.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
        if n > 0 {
            raw.append(contentsOf: chunk[..<n])
            return true
        }
        return false  // EIO once the child has gone
    }

    /// The screen text so far, without ANSI escapes, `\r` and bell.
    var screen: String { PtyProcess.clean(String(decoding: raw, as: UTF8.self)) }

    /// Waits until `text` appears after what earlier calls matched, and consumes up to the end of the match only.
    @discardableResult
    func expect(_ text: String, timeout: Double = 20) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let s = Array(screen)
            let rest = String(s[min(consumed, s.count)...])
            if let range = rest.range(of: text) {
                let matched = String(rest[..<range.upperBound])
                consumed += matched.count
                return matched
            }
            if Date() > deadline {
                throw Failure(
                    description:
                        "timed out waiting for \(text.debugDescription); screen after last match: \(rest.debugDescription)"
                )
            }
            if !pump(milliseconds: 50) && exitStatus == nil { _ = waitExit(timeout: 0) }
        }
    }

    /// Waits until the child really reads keys: the terminal is in raw mode (ICANON off) and the child is blocked in
    /// `read()` (syscall 0 in /proc/PID/syscall). Keys typed earlier would be echoed by the kernel or lost. After
    /// typing text, first `expect` its echo: the child may still be blocked in the read that precedes those keys.
    func waitForKeyRead(timeout: Double = 20) throws {
        try waitUntil(timeout: timeout, "the shell to wait for a key") {
            var t = termios()
            guard tcgetattr(master, &t) == 0, t.c_lflag & tcflag_t(ICANON) == 0 else { return false }
            return syscall().hasPrefix("0 ")
        }
    }

    /// Waits until the child sleeps in `clock_nanosleep` (syscall 230 on x86-64, 115 on arm64) or `nanosleep` (35).
    func waitForSleep(timeout: Double = 20) throws {
        try waitUntil(timeout: timeout, "the command to sleep") {
            let s = syscall()
            return s.hasPrefix("230 ") || s.hasPrefix("35 ") || s.hasPrefix("115 ")
        }
    }

    /// The terminal's current modes.
    func modes() -> termios? {
        var t = termios()
        return tcgetattr(master, &t) == 0 ? t : nil
    }

    /// The child's resident set size in KiB (`VmRSS` in /proc/PID/status).
    func residentKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "")
        }
        return nil
    }

    private func syscall() -> String {
        (try? String(contentsOfFile: "/proc/\(pid)/syscall", encoding: .utf8)) ?? ""
    }

    private func waitUntil(timeout: Double, _ what: String, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            if Date() > deadline {
                throw Failure(description: "timed out waiting for \(what); screen: \(screen.debugDescription)")
            }
            pump(milliseconds: 5)
        }
    }

    /// Waits for the child to exit (draining its output). Returns its exit status, or nil on timeout.
    func waitExit(timeout: Double = 20) -> Int32? {
        if let exitStatus { return exitStatus }
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                while pump(milliseconds: 10) && hasPending() {}
                // WIFEXITED / WEXITSTATUS / WTERMSIG are macros; decode by hand.
                exitStatus = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
                return exitStatus
            }
            pump(milliseconds: 10)
        } while Date() < deadline
        return nil
    }

    private func hasPending() -> Bool {
        var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        return poll(&fds, 1, 0) > 0 && fds.revents & Int16(POLLIN) != 0
    }

    /// `text` without ANSI escape sequences, `\r`, bell and backspaces.
    static func clean(_ text: String) -> String {
        var out = ""
        var inEscape = false
        var sawBracket = false
        for s in text.unicodeScalars {
            if inEscape {
                if s == "[" && !sawBracket {
                    sawBracket = true
                    continue
                }
                if !sawBracket || (0x40...0x7E).contains(s.value) { inEscape = false }
                continue
            }
            switch s {
            case "\u{1B}":
                inEscape = true
                sawBracket = false
            case "\r", "\u{7}", "\u{8}": continue
            default: out.unicodeScalars.append(s)
            }
        }
        return out
    }
}
