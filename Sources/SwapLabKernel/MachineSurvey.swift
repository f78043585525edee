import Foundation
import SwapLabModel

/// How the memory cgroup controller is mounted.
public enum CgroupMemory: String, Sendable, Codable {
    /// cgroup v2 (unified hierarchy) with the memory controller: `memory.reclaim` exists.
    case v2
    /// cgroup v1 memory controller (possibly beside a v2 hierarchy without it): `memory.force_empty` exists.
    case v1
    /// No memory controller mounted.
    case none
}

/// What this machine allows, read once for `doctor` and the lab's preflight. Every field is read below a
/// `SystemRoot`, except the user ID, which comes from the process.
public struct MachineSurvey: Sendable {
    public var release: Result<KernelRelease, KernelError>
    public var effectiveUserID: UInt32
    /// tracefs's mount point from /proc/mounts (or `<debugfs>/tracing` when only debugfs is mounted).
    public var tracefsMountPoint: String?
    /// Whether /proc/filesystems lists tracefs and /sys/kernel/tracing exists, so root can mount it there.
    public var tracefsMountable: Bool
    public var swaps: Result<[SwapArea], KernelError>
    /// `/sys/module/zswap/parameters/enabled` (`Y`/`N`), nil when zswap is not built in.
    public var zswapEnabled: Bool?
    /// `zram*` devices under /sys/block.
    public var zramDevices: [String]
    /// `/sys/kernel/mm/lru_gen/enabled` as printed (`0x0007`), nil when the kernel has no MGLRU.
    public var lruGen: String?
    /// The selected THP mode from `/sys/kernel/mm/transparent_hugepage/enabled` (`always`, `madvise`, `never`).
    public var transparentHugepages: String?
    public var zoneinfo: Result<Zoneinfo, KernelError>
    public var meminfo: Result<Meminfo, KernelError>
    public var pressure: Result<(pressure: Pressure?, reason: String?), KernelError>
    public var cgroupMemory: CgroupMemory
    /// Where the memory controller's hierarchy is mounted.
    public var cgroupMemoryMountPoint: String?
    /// `docker` or `podman` when this looks like a container (`/.dockerenv`, `/run/.containerenv`).
    public var container: String?

    public var isRoot: Bool { effectiveUserID == 0 }

    /// MGLRU on: any bit set in `lru_gen/enabled`.
    public var lruGenEnabled: Bool? {
        guard let v = lruGen else { return nil }
        let hex = v.hasPrefix("0x") ? String(v.dropFirst(2)) : v
        if let n = Int(hex, radix: 16) { return n != 0 }
        return v == "y" || v == "Y"
    }

    /// Swap areas that are not zram.
    public var diskSwap: [SwapArea] { ((try? swaps.get()) ?? []).filter { !$0.isZram } }

    /// Nodes whose `node_unreclaimable` is set (kswapd gave up on them).
    public var unreclaimableNodes: [Int] {
        ((try? zoneinfo.get())?.nodes ?? []).filter { $0.unreclaimable == true }.map(\.id)
    }

    /// MemFree against the zones' free pages, when both could be read.
    public var freeCheck: FreeMemoryCheck? {
        guard let z = try? zoneinfo.get(), let free = (try? meminfo.get())?.memFree else { return nil }
        return FreeMemoryCheck(memFree: free, zones: z.snapshots)
    }

    /// Reads everything below `root`; nothing here needs root or changes the system.
    public static func read(
        root: SystemRoot = SystemRoot(), effectiveUserID: UInt32 = Syscall.effectiveUserID
    )
        -> MachineSurvey
    {
        let mounts = Mount.read(root: root)
        var tracefs = mounts.first { $0.type == "tracefs" }?.mountPoint
        if tracefs == nil, let debug = mounts.first(where: { $0.type == "debugfs" })?.mountPoint,
            root.exists(debug + "/tracing/trace_pipe")
        {
            tracefs = debug + "/tracing"
        }
        let filesystems = root.optionalText("/proc/filesystems") ?? ""
        let knowsTracefs = filesystems.split(separator: "\n").contains {
            $0.hasSuffix("\ttracefs") || $0 == "nodev\ttracefs"
        }
        let thpLine = root.firstLine("/sys/kernel/mm/transparent_hugepage/enabled")
        let thp = thpLine.flatMap { line -> String? in
            guard let open = line.firstIndex(of: "["), let close = line.firstIndex(of: "]"), open < close else {
                return nil
            }
            return String(line[line.index(after: open)..<close])
        }
        let zswap = root.firstLine("/sys/module/zswap/parameters/enabled").map { $0 == "Y" || $0 == "1" }
        let memoryV1 = mounts.first { $0.type == "cgroup" && $0.options.contains("memory") }
        let unified = mounts.first { $0.type == "cgroup2" }
        var cgroup = CgroupMemory.none
        var cgroupPath: String?
        if let unified,
            (root.optionalText(unified.mountPoint + "/cgroup.controllers") ?? "").split(
                whereSeparator: { $0 == " " || $0 == "\n" }
            ).contains("memory")
        {
            cgroup = .v2
            cgroupPath = unified.mountPoint
        } else if let memoryV1 {
            cgroup = .v1
            cgroupPath = memoryV1.mountPoint
        }
        var container: String?
        if root.exists("/.dockerenv") {
            container = "docker"
        } else if root.exists("/run/.containerenv") {
            container = "podman"
        }
        return MachineSurvey(
            release: Result { () throws(KernelError) in try KernelRelease.read(root: root) },
            effectiveUserID: effectiveUserID,
            tracefsMountPoint: tracefs,
            tracefsMountable: knowsTracefs && root.exists("/sys/kernel/tracing"),
            swaps: Result { () throws(KernelError) in try Swaps.read(root: root) },
            zswapEnabled: zswap,
            zramDevices: root.entries("/sys/block").filter { $0.hasPrefix("zram") },
            lruGen: root.firstLine("/sys/kernel/mm/lru_gen/enabled"),
            transparentHugepages: thp,
            zoneinfo: Result { () throws(KernelError) in try ZoneinfoParser.read(root: root) },
            meminfo: Result { () throws(KernelError) in try Meminfo.read(root: root) },
            pressure: Result { () throws(KernelError) in try Pressure.read(root: root) },
            cgroupMemory: cgroup, cgroupMemoryMountPoint: cgroupPath, container: container)
    }
}
