import Foundation
import SwapLabModel

/// The vm sysctls swaplab reads and (in the lab) changes, from /proc/sys/vm/*. A value is nil when this kernel
/// has no such file (e.g. `watermark_scale_factor` before 4.6, `watermark_boost_factor` before 5.0).
public struct VMSysctls: Sendable, Hashable, Codable {
    /// `vm.min_free_kbytes` (KiB): the base of every zone's min watermark (`__setup_per_zone_wmarks()`).
    public var minFreeKbytes: Int64?
    /// `vm.watermark_scale_factor` (1/10000 of managed): the min→low→high gap.
    public var watermarkScaleFactor: Int64?
    /// `vm.watermark_boost_factor` (1/10000 of high): the fragmentation boost limit; 0 disables boosting.
    public var watermarkBoostFactor: Int64?
    /// `vm.swappiness` (0–100; 0–200 since 5.8).
    public var swappiness: Int64?
    /// `vm.nr_hugepages`: persistent huge pages (the lab's balloon).
    public var nrHugepages: Int64?
    /// `vm.lowmem_reserve_ratio`, one ratio per zone type (`sysctl_lowmem_reserve_ratio[]`).
    public var lowmemReserveRatio: [Int64]?
    /// `vm.overcommit_memory` (0 heuristic, 1 always, 2 never).
    public var overcommitMemory: Int64?

    /// The file names below /proc/sys/vm that this struct reads.
    public static let names = [
        "min_free_kbytes", "watermark_scale_factor", "watermark_boost_factor", "swappiness", "nr_hugepages",
        "lowmem_reserve_ratio", "overcommit_memory",
    ]

    public init() {}

    /// Reads each sysctl below `<root>/proc/sys/vm`; a missing file leaves its value nil, a value that is not
    /// a number is an error.
    public static func read(root: SystemRoot = SystemRoot()) throws(KernelError) -> VMSysctls {
        var s = VMSysctls()
        func one(_ name: String) throws(KernelError) -> [Int64]? {
            let abs = "/proc/sys/vm/" + name
            guard let text = root.optionalText(abs) else { return nil }
            let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            var values: [Int64] = []
            for w in words {
                guard let v = Int64(w) else {
                    throw .malformed(
                        path: root.resolve(abs), line: 1, text: text.trimmingCharacters(in: .whitespacesAndNewlines),
                        reason: "'\(w)' is not a number")
                }
                values.append(v)
            }
            return values
        }
        s.minFreeKbytes = try one("min_free_kbytes")?.first
        s.watermarkScaleFactor = try one("watermark_scale_factor")?.first
        s.watermarkBoostFactor = try one("watermark_boost_factor")?.first
        s.swappiness = try one("swappiness")?.first
        s.nrHugepages = try one("nr_hugepages")?.first
        s.lowmemReserveRatio = try one("lowmem_reserve_ratio")
        s.overcommitMemory = try one("overcommit_memory")?.first
        return s
    }
}
