import Foundation
import SwapLabModel

/// One finding of `doctor`: the capability model of this machine, read from a `MachineSurvey`.
public struct DoctorCheck: Sendable {
    /// How a finding stands; the mark reads without colour.
    public enum Status: String, Sendable {
        case ok, info, warn, missing

        public var mark: String {
            switch self {
            case .ok: return "[ok]"
            case .info: return "[--]"
            case .warn: return "[!!]"
            case .missing: return "[no]"
            }
        }
    }

    public var name: String
    public var status: Status
    /// What was found.
    public var found: String
    /// What swaplab does about it.
    public var action: String
}

/// The survey turned into findings and verdicts about engines and lessons.
public struct DoctorReport: Sendable {
    public let survey: MachineSurvey
    public private(set) var checks: [DoctorCheck] = []
    /// `/proc/zoneinfo` readable: `watermarks`, sampling and the live timeline work.
    public private(set) var liveRead = false
    /// Root and tracefs (mounted, or mountable by root): live tracing works.
    public private(set) var liveTrace = false
    /// Root, tracefs and swap (an existing disk swap, or root creates a swapfile): the lab and live lesson steps.
    public private(set) var liveLab = false
    /// Why live lesson steps cannot run, when they cannot.
    public private(set) var labReason: String?
    /// tracefs is mounted, or root can mount it (a lesson's `requires: [tracefs]`).
    public private(set) var tracefsUsable = false
    /// Disk swap is on, or root can add a swapfile (a lesson's `requires: [swap]`).
    public private(set) var swapCapable = false

    public init(_ s: MachineSurvey) {
        survey = s
        kernelAndRoot(s)
        tracefs(s)
        swap(s)
        kernelFeatures(s)
        zones(s)
        cgroupAndPressure(s)
        verdicts(s)
    }

    private mutating func add(_ name: String, _ status: DoctorCheck.Status, _ found: String, _ action: String) {
        checks.append(DoctorCheck(name: name, status: status, found: found, action: action))
    }

    /// The kernel release, root, and a container around swaplab.
    private mutating func kernelAndRoot(_ s: MachineSurvey) {
        switch s.release {
        case .success(let r):
            let linux = r.ostype == "Linux"
            add(
                "kernel", linux ? .ok : .missing, "\(r.ostype) \(r.release)",
                linux
                    ? (r.isAtLeast(4, 4)
                        ? "live mode reads this kernel's /proc and trace formats (4.4–6.x are known)"
                        : "older than 4.4: live readers may not understand it; the simulator works")
                    : "live mode needs Linux; the simulator works")
        case .failure(let e):
            add("kernel", .missing, "unknown (\(e.description))", "live mode is off; the simulator works")
        }
        if s.isRoot {
            add("root", .ok, "running as root (euid 0)", "tracing, swapfiles, sysctls and the lab are available")
        } else {
            add(
                "root", .warn, "not root (euid \(s.effectiveUserID))",
                "live reading works; tracing, swap, sysctls and the lab need root (sudo swaplab)")
        }
        if let c = s.container {
            add(
                "container", .info, "inside a \(c) container",
                "the kernel and its memory are shared with the host; the lab changes host-wide sysctls")
        }
    }

    /// tracefs: mounted, mountable by root, or missing.
    private mutating func tracefs(_ s: MachineSurvey) {
        if let mp = s.tracefsMountPoint {
            tracefsUsable = true
            add("tracefs", .ok, "mounted at \(mp)", "traces in a private instance \(mp)/instances/swaplab-<pid>")
        } else if s.tracefsMountable {
            tracefsUsable = s.isRoot
            add(
                "tracefs", s.isRoot ? .ok : .warn, "not mounted; the kernel has tracefs",
                s.isRoot
                    ? "mounts it at /sys/kernel/tracing when tracing starts, and unmounts it after"
                    : "as root, swaplab mounts it at /sys/kernel/tracing when tracing starts")
        } else {
            add("tracefs", .missing, "not available", "no live tracing; the explainer still reads captured traces")
        }
    }

    /// Swap areas (disk or zram) and zram devices; whether the lab has swap to use.
    private mutating func swap(_ s: MachineSurvey) {
        swapCapable = s.isRoot
        switch s.swaps {
        case .success(let areas):
            let disk = areas.filter { !$0.isZram }
            let zram = areas.filter(\.isZram)
            if areas.isEmpty {
                add(
                    "swap", .info, "no swap in use",
                    s.isRoot
                        ? "the lab creates a swapfile (mode 0600) and removes it afterwards"
                        : "the lab needs root to create a swapfile; without swap anon pages cannot be reclaimed")
            } else {
                let list = areas.map {
                    "\($0.path) (\($0.type), \(Quantity.coarse($0.size)), used \(Quantity.coarse($0.used)))"
                }
                add(
                    "swap", disk.isEmpty ? .warn : .ok, list.joined(separator: ", "),
                    disk.isEmpty
                        ? "zram only: swapping random data to zram gains nothing; the lab adds a swapfile"
                        : "the lab uses it (and adds a swapfile only if it is too small)")
                if !disk.isEmpty { swapCapable = true }
            }
            if !zram.isEmpty || !s.zramDevices.isEmpty {
                add(
                    "zram", .info,
                    "devices \(s.zramDevices.joined(separator: ", "))"
                        + (zram.isEmpty ? " (none used as swap)" : " (used as swap)"),
                    "not used by swaplab; the lab swaps to a file so pswpout counts real writes")
            }
        case .failure(let e):
            add(
                "swap", .missing, "cannot read /proc/swaps (\(e.description))",
                "the lab cannot check swap and will not run")
            swapCapable = false
        }
    }

    /// zswap, MGLRU and transparent hugepages: what changes how reclaim reads.
    private mutating func kernelFeatures(_ s: MachineSurvey) {
        switch s.zswapEnabled {
        case .some(true):
            add(
                "zswap", .warn, "enabled",
                "swap-out goes to zswap first: pswpout stays low and zswpout rises; "
                    + "lessons count both")
        case .some(false): add("zswap", .ok, "built in, disabled", "pswpout counts every page written to swap")
        case .none: add("zswap", .info, "not built in", "pswpout counts every page written to swap")
        }
        switch s.lruGenEnabled {
        case .some(true):
            add(
                "MGLRU", .info, "enabled (\(s.lruGen ?? ""))",
                "which pages go differs from the two-list LRU the course teaches; when kswapd runs does not")
        case .some(false):
            add(
                "MGLRU", .ok, "built in, disabled (\(s.lruGen ?? ""))",
                "the classic active/inactive LRU, as the course teaches")
        case .none:
            add("MGLRU", .ok, "not built in", "the classic active/inactive LRU, as the course teaches")
        }
        if let thp = s.transparentHugepages {
            add(
                "THP", thp == "always" ? .info : .ok, "transparent_hugepage = \(thp)",
                "the hog maps its memory with MADV_NOHUGEPAGE so it uses 4 KiB pages")
        }
    }

    /// The zones: readable, lazily initialised, node_unreclaimable.
    private mutating func zones(_ s: MachineSurvey) {
        switch s.zoneinfo {
        case .success(let z):
            liveRead = true
            if let check = s.freeCheck, check.disagrees {
                let lazy = check.lazyZones.map {
                    "\($0.zone.rawValue) (present \($0.present.count), managed \($0.managed.count))"
                }
                add(
                    "lazy zones", .warn,
                    "MemFree − zone free = \(Quantity.coarse(check.difference))"
                        + (lazy.isEmpty ? "" : "; lazily initialised: " + lazy.joined(separator: ", ")),
                    s.isRoot
                        ? "kswapd can hardly wake until the zone grows; the lab grows it once with a balloon first"
                        : "kswapd can hardly wake until the zone grows; the lab (as root) grows it once first")
            } else {
                add("lazy zones", .ok, "none: MemFree matches the zones' free pages", "nothing to do")
            }
            let stuck = s.unreclaimableNodes
            if stuck.isEmpty {
                add("node_unreclaimable", .ok, "0 on every node", "nothing to do")
            } else {
                add(
                    "node_unreclaimable", .warn, "set on node \(stuck.map(String.init).joined(separator: ", "))",
                    "kswapd is not woken there; a reclaim pass that makes progress clears it (the lab does this)")
            }
            _ = z
        case .failure(let e):
            add("zoneinfo", .missing, e.description, "live mode cannot read the watermarks; the simulator works")
        }
    }

    /// The memory cgroup (to clear node_unreclaimable) and PSI.
    private mutating func cgroupAndPressure(_ s: MachineSurvey) {
        switch s.cgroupMemory {
        case .v2:
            add(
                "memory cgroup", .ok, "v2 at \(s.cgroupMemoryMountPoint ?? "?")",
                "uses memory.reclaim to clear node_unreclaimable")
        case .v1:
            add(
                "memory cgroup", .ok, "v1 memory controller at \(s.cgroupMemoryMountPoint ?? "?")",
                "uses memory.force_empty to clear node_unreclaimable")
        case .none:
            add("memory cgroup", .info, "no memory controller mounted", "node_unreclaimable can only clear by itself")
        }
        switch s.pressure {
        case .success(let p):
            if p.pressure != nil {
                add(
                    "PSI", .ok, "/proc/pressure/memory readable",
                    "shows memory pressure (some/full) beside the counters")
            } else {
                add("PSI", .info, p.reason ?? "unavailable", "pressure is left out; everything else works")
            }
        case .failure(let e):
            add("PSI", .info, e.description, "pressure is left out; everything else works")
        }
    }

    /// Which live engines and lesson steps this machine allows, and why not.
    private mutating func verdicts(_ s: MachineSurvey) {
        liveTrace = liveRead && s.isRoot && tracefsUsable
        liveLab = liveTrace && swapCapable
        if !liveLab {
            var missing: [String] = []
            if !liveRead { missing.append("/proc/zoneinfo") }
            if !s.isRoot { missing.append("root") }
            if !tracefsUsable && s.isRoot { missing.append("tracefs") }
            if !swapCapable && s.isRoot { missing.append("swap") }
            labReason = "needs " + missing.joined(separator: ", ")
        }
    }
}
