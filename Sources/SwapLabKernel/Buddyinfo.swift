import SwapLabModel

/// /proc/buddyinfo: free blocks of each order (0…10 on x86-64), zone by zone (`frag_show_print()` in mm/vmstat.c):
/// `Node 0, zone   Normal      1    858   2149 …`.
public struct Buddyinfo: Sendable, Hashable {
    public struct Zone: Sendable, Hashable {
        public var node: Int
        public var zone: ZoneType
        /// Free blocks of order 0, 1, 2, … as printed.
        public var freeBlocks: [Int64]

        /// Free 2 MiB blocks in huge pages' worth: each free block of order 9 and up holds 2^(order - 9).
        public var hugeBlocks: Int64 {
            freeBlocks.enumerated().reduce(Int64(0)) { sum, e in
                e.offset < 9 ? sum : sum.saturatingAdd(e.element.saturatingMultiply(Int64(1) << (e.offset - 9)))
            }
        }
    }

    public var zones: [Zone]

    /// Reads `/proc/buddyinfo` under `root`.
    public static func read(root: SystemRoot = SystemRoot()) throws(KernelError) -> Buddyinfo {
        try parse(try root.text("/proc/buddyinfo"), path: root.resolve("/proc/buddyinfo"))
    }

    /// Reads the text; a line that is not `Node N, zone NAME` followed by whole counts is refused with its number.
    public static func parse(_ text: String, path: String = "/proc/buddyinfo") throws(KernelError) -> Buddyinfo {
        var zones: [Zone] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" })
            if words.isEmpty { continue }
            guard words.count >= 5, words[0] == "Node", let node = Int(words[1]), words[2] == "zone",
                let zone = ZoneType(rawValue: String(words[3]))
            else {
                throw .malformed(
                    path: path, line: i + 1, text: String(line), reason: "expected 'Node N, zone NAME count…'")
            }
            var counts: [Int64] = []
            for w in words.dropFirst(4) {
                guard let n = Int64(w), n >= 0 else {
                    throw .malformed(path: path, line: i + 1, text: String(line), reason: "'\(w)' is not a count")
                }
                counts.append(n)
            }
            zones.append(Zone(node: node, zone: zone, freeBlocks: counts))
        }
        return Buddyinfo(zones: zones)
    }
}
