import Foundation
import SwapLabModel

/// What /proc/PID/status says about one process (`proc_pid_status()` in fs/proc/array.c).
public struct ProcessStatus: Sendable, Hashable {
    public var pid: Int
    /// `Name`: the command name, at most 15 characters.
    public var name: String
    /// `State`, e.g. `S (sleeping)`.
    public var state: String?
    /// `VmRSS`: resident memory, nil for kernel threads (which print no Vm lines).
    public var rss: Pages?
    /// `VmSwap`: anonymous memory swapped out.
    public var swap: Pages?

    /// Reads `<root>/proc/PID/status`.
    public static func read(pid: Int, root: SystemRoot = SystemRoot()) throws(KernelError) -> ProcessStatus {
        let abs = "/proc/\(pid)/status"
        return try parse(try root.text(abs), pid: pid, path: root.resolve(abs))
    }

    /// Parses the text of /proc/PID/status.
    public static func parse(
        _ text: String, pid: Int, path: String = "/proc/PID/status"
    ) throws(KernelError) -> ProcessStatus {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard let name = fields["Name"] else { throw .empty(path: path, reason: "no 'Name:' line") }
        func kb(_ key: String) throws(KernelError) -> Pages? {
            guard let v = fields[key] else { return nil }
            let words = v.split(separator: " ")
            guard words.count == 2, words[1] == "kB", let n = Int64(words[0]) else {
                throw .malformed(path: path, line: 0, text: "\(key): \(v)", reason: "expected 'N kB'")
            }
            return Pages(kibibytes: n)
        }
        return ProcessStatus(pid: pid, name: name, state: fields["State"], rss: try kb("VmRSS"), swap: try kb("VmSwap"))
    }

    /// `/proc/PID/oom_score_adj` (-1000…1000, `oom_score_adj_write()` in fs/proc/base.c); nil when unreadable.
    public static func oomScoreAdjust(pid: Int32, root: SystemRoot = SystemRoot()) -> Int? {
        root.firstLine("/proc/\(pid)/oom_score_adj").flatMap { Int($0) }
    }
}
