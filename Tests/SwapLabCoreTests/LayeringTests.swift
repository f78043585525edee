import Foundation
import SwapLabTestSupport
import Testing

/// Issue 10, "one of each": only `SwapLabKernel/Syscall.swift` calls the C library directly. Every other source file,
/// with its comments and string literals taken out, calls none of these functions (the ones whose names swaplab also
/// uses for its own methods, `read`, `write`, `open`, `close`, are left to review).
@Suite struct LayeringTests {
    static let cCalls = [
        "isatty", "ioctl", "nanosleep", "usleep", "poll", "tcflush", "getpid", "kill", "fsync", "mmap", "madvise",
        "prctl", "sigaction", "signal", "unlink", "rename", "lstat", "fstat", "swapon", "swapoff", "mount", "umount2",
        "clock_gettime", "posix_spawn", "waitpid", "pipe", "fcntl", "strerror", "sysconf", "dup2", "execve",
    ]

    /// `text` without `//` comments and without the contents of string literals (single-line and `"""` ones).
    static func code(_ text: String) -> String {
        var out = ""
        var inBlock = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var kept = ""
            var inString = false
            var chars = Array(line)
            if inBlock {
                if line.trimmingCharacters(in: .whitespaces).hasPrefix("\"\"\"") { inBlock = false }
                continue
            }
            if line.contains("\"\"\"") && line.components(separatedBy: "\"\"\"").count == 2 {
                inBlock = true
                chars = Array(line.components(separatedBy: "\"\"\"")[0])
            }
            var i = 0
            while i < chars.count {
                let c = chars[i]
                if !inString && c == "/" && i + 1 < chars.count && chars[i + 1] == "/" { break }
                if c == "\\" && inString {
                    i += 2
                    continue
                }
                if c == "\"" { inString.toggle() } else if !inString { kept.append(c) }
                i += 1
            }
            out += kept + "\n"
        }
        return out
    }

    @Test func onlyTheSyscallFileCallsTheCLibrary() throws {
        let sources = Fixtures.repositoryRoot.appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") && $0 != "SwapLabKernel/Syscall.swift" }
        #expect(files.count > 100)
        // A call: the name not preceded by a letter, digit, `_` or `.` (a method) and not declared (`func read(`).
        let names = Self.cCalls.joined(separator: "|")
        let pattern = try Regex("(^|[^A-Za-z0-9_.])(" + names + ")\\(")
        let declaration = try Regex("(func|case|var|let) (" + names + ")\\(")
        var found: [String] = []
        for file in files {
            let text = Self.code(try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8))
                .replacing(declaration, with: "")
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains(pattern) || line.contains("Glibc.") {
                found.append("\(file):\(n + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        #expect(found == [])
    }
}
