import Foundation
import SwapLabModel

/// /proc/meminfo (`meminfo_proc_show()` in fs/proc/meminfo.c): `Label:   value kB`, or a bare count for the
/// `HugePages_*` lines. Values keep their unit: kB fields are read as kB, converted to pages only on request.
public struct Meminfo: Sendable, Hashable {
    /// Fields printed with ` kB`, in KiB, by exact label (`MemFree`, `Active(file)`, `SwapTotal`).
    public var kibibytes: [String: Int64]
    /// Fields printed without a unit (`HugePages_Total`, `HugePages_Free`, `HugePages_Rsvd`, `HugePages_Surp`).
    public var counts: [String: Int64]

    public init(kibibytes: [String: Int64], counts: [String: Int64] = [:]) {
        self.kibibytes = kibibytes
        self.counts = counts
    }

    /// The kB field `label` as pages (rounded down), nil when absent.
    public func pages(_ label: String) -> Pages? { kibibytes[label].map { Pages(kibibytes: $0) } }

    public var memTotal: Pages? { pages("MemTotal") }
    /// `MemFree`: `global_zone_page_state(NR_FREE_PAGES)`; can differ from Σ zone free (lazily initialised zones).
    public var memFree: Pages? { pages("MemFree") }
    public var memAvailable: Pages? { pages("MemAvailable") }
    public var swapTotal: Pages? { pages("SwapTotal") }
    public var swapFree: Pages? { pages("SwapFree") }
    /// `HugePages_Total`: persistent huge pages (the balloon's size), a count of huge pages, not 4 KiB pages.
    public var hugePagesTotal: Int64? { counts["HugePages_Total"] }
    /// `Hugepagesize` in KiB.
    public var hugePageSizeKiB: Int64? { kibibytes["Hugepagesize"] }

    /// Reads `<root>/proc/meminfo`.
    public static func read(root: SystemRoot = SystemRoot()) throws(KernelError) -> Meminfo {
        try parse(try root.text("/proc/meminfo"), path: root.resolve("/proc/meminfo"))
    }

    /// Parses /proc/meminfo text; `path` is used in errors.
    public static func parse(_ text: String, path: String = "/proc/meminfo") throws(KernelError) -> Meminfo {
        var kb: [String: Int64] = [:]
        var counts: [String: Int64] = [:]
        var n = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            n += 1
            if line.isEmpty { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw .malformed(path: path, line: n, text: String(line), reason: "expected 'Label: value'")
            }
            let label = String(line[..<colon])
            let words = line[line.index(after: colon)...].split(separator: " ", omittingEmptySubsequences: true)
            guard let first = words.first, let v = Int64(first) else {
                throw .malformed(path: path, line: n, text: String(line), reason: "the value is not a number")
            }
            if words.count == 2 && words[1] == "kB" {
                kb[label] = v
            } else if words.count == 1 {
                counts[label] = v
            } else {
                throw .malformed(
                    path: path, line: n, text: String(line),
                    reason: "unknown unit '\(words.dropFirst().joined(separator: " "))'")
            }
        }
        guard !kb.isEmpty else { throw .empty(path: path, reason: "no fields") }
        return Meminfo(kibibytes: kb, counts: counts)
    }
}
