import Foundation
import SwapLabModel

/// One active swap area from /proc/swaps (`swap_show()` in mm/swapfile.c).
public struct SwapArea: Sendable, Hashable, Codable {
    /// The device or file, with the kernel's octal escapes (`\040` for a space) undone.
    public var path: String
    /// `partition` or `file`.
    public var type: String
    public var size: Pages
    public var used: Pages
    public var priority: Int

    public init(path: String, type: String, size: Pages, used: Pages, priority: Int) {
        self.path = path
        self.type = type
        self.size = size
        self.used = used
        self.priority = priority
    }

    /// A compressed RAM device (`/dev/zram*`): swapping random data to it gains nothing (live-lab.md §5).
    public var isZram: Bool { path.hasPrefix("/dev/zram") }
}

/// /proc/swaps: a header line, then `Filename Type Size Used Priority` with sizes in KiB.
public enum Swaps {
    /// Reads `<root>/proc/swaps`.
    public static func read(root: SystemRoot = SystemRoot()) throws(KernelError) -> [SwapArea] {
        try parse(try root.text("/proc/swaps"), path: root.resolve("/proc/swaps"))
    }

    /// Parses /proc/swaps text. The path is everything before the last four columns, so paths with escaped
    /// spaces survive.
    public static func parse(_ text: String, path: String = "/proc/swaps") throws(KernelError) -> [SwapArea] {
        var areas: [SwapArea] = []
        var n = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            n += 1
            if line.isEmpty || line.hasPrefix("Filename") { continue }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 5, let size = Int64(words[words.count - 3]), let used = Int64(words[words.count - 2]),
                let prio = Int(words[words.count - 1])
            else {
                throw .malformed(
                    path: path, line: n, text: String(line), reason: "expected 'Filename Type Size Used Priority'")
            }
            let name = words[0..<(words.count - 4)].joined(separator: " ")
            areas.append(
                SwapArea(
                    path: unescape(name), type: String(words[words.count - 4]), size: Pages(kibibytes: size),
                    used: Pages(kibibytes: used), priority: prio))
        }
        return areas
    }

    /// Undoes `seq_file_path()`'s octal escapes (`\040` space, `\011` tab, `\012` newline, `\134` backslash).
    static func unescape(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        var out = ""
        var chars = Array(s)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "\\", chars.count >= 3, let v = UInt8(String(chars.prefix(3)), radix: 8) {
                out.append(Character(Unicode.Scalar(v)))
                chars = chars.dropFirst(3)
            } else {
                out.append(c)
            }
        }
        return out
    }
}
