import Foundation

/// The few numbers the live mechanisms need before they act, read minimally (the full /proc readers are
/// elsewhere in Kernel). All take a root path so tests can read captured files.
public enum LiveMemoryFacts {
    static func base(_ root: String) -> String { root.hasSuffix("/") ? root : root + "/" }

    /// A `/proc/meminfo` field in bytes (`MemAvailable`, `MemTotal`), from `Name:   N kB`.
    public static func meminfo(_ field: String, root: String = "/") throws(SystemError) -> Int64? {
        let text = try Syscall.readText(base(root) + "proc/meminfo")
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let f = line.split(separator: " ")
            guard f.count >= 2, let kb = Int64(f[1]) else { return nil }
            return kb * 1024
        }
        return nil
    }

    /// Sums over every zone of /proc/zoneinfo: `pages free` and the `min` watermark, in pages.
    /// Layout: `mm/vmstat.c: zoneinfo_show_print()` (`  pages free     %lu`, `        min      %lu`).
    public struct ZoneTotals: Equatable, Sendable {
        public var free: Pages
        public var min: Pages
    }

    /// Σ `pages free` and Σ `min` over the zones of `<root>/proc/zoneinfo`.
    public static func zoneTotals(root: String = "/") throws(SystemError) -> ZoneTotals {
        parseZoneTotals(try Syscall.readText(base(root) + "proc/zoneinfo"))
    }

    /// Σ `pages free` and Σ `min` in the text of /proc/zoneinfo.
    public static func parseZoneTotals(_ text: String) -> ZoneTotals {
        var free: Int64 = 0
        var min: Int64 = 0
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ")
            if f.count == 3, f[0] == "pages", f[1] == "free", let v = Int64(f[2]) { free += v }
            if f.count == 2, f[0] == "min", let v = Int64(f[1]) { min += v }
        }
        return ZoneTotals(free: Pages(free), min: Pages(min))
    }

    /// One /proc/vmstat counter by its exact name (`oom_kill`), nil when this kernel has none.
    public static func vmstat(_ name: String, root: String = "/") throws(SystemError) -> Int64? {
        let text = try Syscall.readText(base(root) + "proc/vmstat")
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ")
            if f.count == 2, f[0] == name { return Int64(f[1]) }
        }
        return nil
    }

    /// What `/proc/PID/status` says about a process's memory, in bytes (VmRSS, VmSwap).
    public struct ProcessMemory: Equatable, Sendable {
        public var rss: Int64
        public var swap: Int64
    }

    /// VmRSS and VmSwap of `pid`; nil when the process is gone.
    public static func processMemory(_ pid: Int32, root: String = "/") -> ProcessMemory? {
        guard let text = try? Syscall.readText(base(root) + "proc/\(pid)/status") else { return nil }
        var m = ProcessMemory(rss: 0, swap: 0)
        for line in text.split(separator: "\n") {
            let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard f.count >= 2, let kb = Int64(f[1]) else { continue }
            if f[0] == "VmRSS:" { m.rss = kb * 1024 }
            if f[0] == "VmSwap:" { m.swap = kb * 1024 }
        }
        return m
    }

    /// `/proc/PID/oom_score_adj`.
    public static func oomScoreAdjust(_ pid: Int32, root: String = "/") -> Int? {
        (try? Syscall.readText(base(root) + "proc/\(pid)/oom_score_adj")).flatMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}

/// The guard before a hog allocates: refuses what would push available memory below a floor.
public struct AllocationGuard: Equatable, Sendable {
    /// `MemAvailable` now, bytes.
    public var available: Int64
    /// `MemTotal`, bytes.
    public var total: Int64
    /// Σ of the zones' `min` watermarks, bytes.
    public var minWatermarks: Int64
    /// The floor: `floorOverride`, or the larger of min + 256 MiB and 5 % of RAM.
    public var floor: Int64

    /// Reads the numbers from `<root>/proc`.
    public static func measure(root: String = "/", floorOverride: Int64? = nil) throws(SystemError) -> AllocationGuard {
        let available = try LiveMemoryFacts.meminfo("MemAvailable", root: root) ?? 0
        let total = try LiveMemoryFacts.meminfo("MemTotal", root: root) ?? 0
        let min = try LiveMemoryFacts.zoneTotals(root: root).min.bytes
        return AllocationGuard(available: available, total: total, minWatermarks: min, floorOverride: floorOverride)
    }

    public init(available: Int64, total: Int64, minWatermarks: Int64, floorOverride: Int64? = nil) {
        self.available = available
        self.total = total
        self.minWatermarks = minWatermarks
        self.floor = floorOverride ?? Swift.max(minWatermarks + 256 << 20, total / 20)
    }

    /// Why `bytes` is refused, or nil when it fits above the floor.
    public func refusal(for bytes: Int64) -> String? {
        let after = available - bytes
        if after >= floor { return nil }
        let f = Quantity.format(bytes:)
        return "allocating \(f(bytes)) would leave \(f(after)) available (MemAvailable \(f(available)) now), "
            + "below the floor of \(f(floor)) (the larger of min watermarks \(f(minWatermarks)) + 256 MiB and 5 % of "
            + "\(f(total)) RAM); ask for at most \(f(Swift.max(0, available - floor))), or add --force"
    }
}
