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
    /// `found` and `action` in Korean (`doctor --json` keeps the English).
    public var foundKo: String
    public var actionKo: String
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
    /// What live lesson steps lack (`/proc/zoneinfo`, `root`, `tracefs`, `swap`); empty when they can run.
    public private(set) var labMissing: [String] = []
    /// Why live lesson steps cannot run, when they cannot.
    public var labReason: String? { labMissing.isEmpty ? nil : "needs " + labMissing.joined(separator: ", ") }
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

    /// Adds a finding; `found` and `action` are each (English, Korean).
    private mutating func add(
        _ name: String, _ status: DoctorCheck.Status, _ found: (String, String), _ action: (String, String)
    ) {
        checks.append(
            DoctorCheck(
                name: name, status: status, found: found.0, action: action.0, foundKo: found.1, actionKo: action.1))
    }

    /// The kernel release, root, and a container around swaplab.
    private mutating func kernelAndRoot(_ s: MachineSurvey) {
        switch s.release {
        case .success(let r):
            let linux = r.ostype == "Linux"
            let name = "\(r.ostype) \(r.release)"
            add(
                "kernel", linux ? .ok : .missing, (name, name),
                linux
                    ? (r.isAtLeast(4, 4)
                        ? (
                            "live mode reads this kernel's /proc and trace formats (4.4–6.x are known)",
                            "live 모드가 이 커널의 /proc와 trace 형식을 읽습니다 (알려진 버전: 4.4–6.x)"
                        )
                        : (
                            "older than 4.4: live readers may not understand it; the simulator works",
                            "4.4보다 오래된 커널이라 live 모드가 읽지 못할 수 있습니다. 시뮬레이터는 동작합니다"
                        ))
                    : ("live mode needs Linux; the simulator works", "live 모드는 Linux가 필요합니다. 시뮬레이터는 동작합니다"))
        case .failure(let e):
            add(
                "kernel", .missing, ("unknown (\(e.description))", "알 수 없음 (\(e.description))"),
                ("live mode is off; the simulator works", "live 모드는 꺼집니다. 시뮬레이터는 동작합니다"))
        }
        if s.isRoot {
            add(
                "root", .ok, ("running as root (euid 0)", "root로 실행 중 (euid 0)"),
                ("tracing, swapfiles, sysctls and the lab are available", "추적, swapfile, sysctl, 실습을 모두 쓸 수 있습니다"))
        } else {
            add(
                "root", .warn, ("not root (euid \(s.effectiveUserID))", "root가 아님 (euid \(s.effectiveUserID))"),
                (
                    "live reading works; tracing, swap, sysctls and the lab need root (sudo swaplab)",
                    "live 읽기는 됩니다. 추적, swap, sysctl, 실습에는 root가 필요합니다 (sudo swaplab)"
                ))
        }
        if let c = s.container {
            add(
                "container", .info, ("inside a \(c) container", "\(c) 컨테이너 안에서 실행 중"),
                (
                    "the kernel and its memory are shared with the host; the lab changes host-wide sysctls",
                    "커널과 메모리를 호스트와 함께 씁니다. 실습은 호스트 전체의 sysctl을 바꿉니다"
                ))
        }
    }

    /// tracefs: mounted, mountable by root, or missing.
    private mutating func tracefs(_ s: MachineSurvey) {
        if let mp = s.tracefsMountPoint {
            tracefsUsable = true
            add(
                "tracefs", .ok, ("mounted at \(mp)", "\(mp)에 마운트됨"),
                (
                    "traces in a private instance \(mp)/instances/swaplab-<pid>",
                    "전용 인스턴스 \(mp)/instances/swaplab-<pid>에서 추적합니다"
                ))
        } else if s.tracefsMountable {
            tracefsUsable = s.isRoot
            add(
                "tracefs", s.isRoot ? .ok : .warn,
                ("not mounted; the kernel has tracefs", "마운트되지 않음 (커널에는 tracefs가 있음)"),
                s.isRoot
                    ? (
                        "mounts it at /sys/kernel/tracing when tracing starts, and unmounts it after",
                        "추적을 시작할 때 /sys/kernel/tracing에 마운트하고, 끝나면 해제합니다"
                    )
                    : (
                        "as root, swaplab mounts it at /sys/kernel/tracing when tracing starts",
                        "root로 실행하면 추적을 시작할 때 swaplab이 /sys/kernel/tracing에 마운트합니다"
                    ))
        } else {
            add(
                "tracefs", .missing, ("not available", "없음"),
                (
                    "no live tracing; the explainer still reads captured traces",
                    "live 추적은 할 수 없습니다. explain은 저장된 trace를 그대로 읽습니다"
                ))
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
                    "swap", .info, ("no swap in use", "사용 중인 swap 없음"),
                    s.isRoot
                        ? (
                            "the lab creates a swapfile (mode 0600) and removes it afterwards",
                            "실습이 swapfile(mode 0600)을 만들고, 끝나면 지웁니다"
                        )
                        : (
                            "the lab needs root to create a swapfile; without swap anon pages cannot be reclaimed",
                            "실습이 swapfile을 만들려면 root가 필요합니다. swap이 없으면 anon 페이지는 회수할 수 없습니다"
                        ))
            } else {
                let list = { (used: String) in
                    areas.map {
                        "\($0.path) (\($0.type), \(Quantity.coarse($0.size)), \(used) \(Quantity.coarse($0.used)))"
                    }.joined(separator: ", ")
                }
                add(
                    "swap", disk.isEmpty ? .warn : .ok, (list("used"), list("사용")),
                    disk.isEmpty
                        ? (
                            "zram only: swapping random data to zram gains nothing; the lab adds a swapfile",
                            "zram뿐입니다. 무작위 데이터를 zram으로 swap해 봐야 얻는 게 없으니, 실습은 swapfile을 추가합니다"
                        )
                        : (
                            "the lab uses it (and adds a swapfile only if it is too small)",
                            "실습이 이 swap을 씁니다 (너무 작을 때만 swapfile을 추가합니다)"
                        ))
                if !disk.isEmpty { swapCapable = true }
            }
            if !zram.isEmpty || !s.zramDevices.isEmpty {
                let devices = s.zramDevices.joined(separator: ", ")
                add(
                    "zram", .info,
                    (
                        "devices \(devices)" + (zram.isEmpty ? " (none used as swap)" : " (used as swap)"),
                        "장치 \(devices)" + (zram.isEmpty ? " (swap으로 쓰는 것 없음)" : " (swap으로 사용 중)")
                    ),
                    (
                        "not used by swaplab; the lab swaps to a file so pswpout counts real writes",
                        "swaplab은 쓰지 않습니다. 실습은 파일로 swap하므로 pswpout이 실제 쓰기를 셉니다"
                    ))
            }
        case .failure(let e):
            add(
                "swap", .missing,
                ("cannot read /proc/swaps (\(e.description))", "/proc/swaps를 읽을 수 없음 (\(e.description))"),
                ("the lab cannot check swap and will not run", "실습이 swap을 확인할 수 없어 실행되지 않습니다"))
            swapCapable = false
        }
    }

    /// zswap, MGLRU and transparent hugepages: what changes how reclaim reads.
    private mutating func kernelFeatures(_ s: MachineSurvey) {
        let everyPage = ("pswpout counts every page written to swap", "pswpout이 swap에 쓴 페이지를 모두 셉니다")
        switch s.zswapEnabled {
        case .some(true):
            add(
                "zswap", .warn, ("enabled", "켜짐"),
                (
                    "swap-out goes to zswap first: pswpout stays low and zswpout rises; lessons count both",
                    "swap-out이 먼저 zswap으로 갑니다. pswpout은 적게 나오고 zswpout이 늘어나며, 강의는 둘 다 셉니다"
                ))
        case .some(false): add("zswap", .ok, ("built in, disabled", "커널에 있음, 꺼짐"), everyPage)
        case .none: add("zswap", .info, ("not built in", "커널에 없음"), everyPage)
        }
        let classic = (
            "the classic active/inactive LRU, as the course teaches", "강의에서 배우는 고전적인 active/inactive LRU입니다"
        )
        let gen = s.lruGen ?? ""
        switch s.lruGenEnabled {
        case .some(true):
            add(
                "MGLRU", .info, ("enabled (\(gen))", "켜짐 (\(gen))"),
                (
                    "which pages go differs from the two-list LRU the course teaches; when kswapd runs does not",
                    "어떤 페이지를 내보낼지는 강의의 두 목록 LRU와 다르지만, kswapd가 언제 도는지는 같습니다"
                ))
        case .some(false): add("MGLRU", .ok, ("built in, disabled (\(gen))", "커널에 있음, 꺼짐 (\(gen))"), classic)
        case .none: add("MGLRU", .ok, ("not built in", "커널에 없음"), classic)
        }
        if let thp = s.transparentHugepages {
            add(
                "THP", thp == "always" ? .info : .ok,
                ("transparent_hugepage = \(thp)", "transparent_hugepage = \(thp)"),
                (
                    "the hog maps its memory with MADV_NOHUGEPAGE so it uses 4 KiB pages",
                    "hog는 메모리를 MADV_NOHUGEPAGE로 매핑해서 4 KiB 페이지를 씁니다"
                ))
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
                let gap = "MemFree − zone free = \(Quantity.coarse(check.difference))"
                let zones = lazy.joined(separator: ", ")
                add(
                    "lazy zones", .warn,
                    (
                        gap + (lazy.isEmpty ? "" : "; lazily initialised: " + zones),
                        gap + (lazy.isEmpty ? "" : "; 늦게 초기화되는 zone: " + zones)
                    ),
                    s.isRoot
                        ? (
                            "kswapd can hardly wake until the zone grows; the lab grows it once with a balloon first",
                            "zone이 다 자랄 때까지 kswapd는 거의 깨어나지 않습니다. 실습이 먼저 balloon으로 한 번 키웁니다"
                        )
                        : (
                            "kswapd can hardly wake until the zone grows; the lab (as root) grows it once first",
                            "zone이 다 자랄 때까지 kswapd는 거의 깨어나지 않습니다. 실습은 (root로 실행하면) 먼저 한 번 키웁니다"
                        ))
            } else {
                add(
                    "lazy zones", .ok, ("none: MemFree matches the zones' free pages", "없음: MemFree가 zone들의 free와 같음"),
                    Self.nothingToDo)
            }
            let stuck = s.unreclaimableNodes.map(String.init).joined(separator: ", ")
            if stuck.isEmpty {
                add("node_unreclaimable", .ok, ("0 on every node", "모든 노드에서 0"), Self.nothingToDo)
            } else {
                add(
                    "node_unreclaimable", .warn, ("set on node \(stuck)", "노드 \(stuck)에 켜짐"),
                    (
                        "kswapd is not woken there; a reclaim pass that makes progress clears it (the lab does this)",
                        "그 노드의 kswapd는 깨우지 않습니다. 회수가 한 번이라도 진전을 보이면 풀리며, 실습이 그렇게 합니다"
                    ))
            }
            _ = z
        case .failure(let e):
            add(
                "zoneinfo", .missing, (e.description, e.description),
                (
                    "live mode cannot read the watermarks; the simulator works",
                    "live 모드가 워터마크를 읽을 수 없습니다. 시뮬레이터는 동작합니다"
                ))
        }
    }

    /// The memory cgroup (to clear node_unreclaimable) and PSI.
    private mutating func cgroupAndPressure(_ s: MachineSurvey) {
        let at = s.cgroupMemoryMountPoint ?? "?"
        switch s.cgroupMemory {
        case .v2:
            add(
                "memory cgroup", .ok, ("v2 at \(at)", "v2, \(at)"),
                ("uses memory.reclaim to clear node_unreclaimable", "memory.reclaim으로 node_unreclaimable을 풉니다"))
        case .v1:
            add(
                "memory cgroup", .ok, ("v1 memory controller at \(at)", "v1 memory 컨트롤러, \(at)"),
                ("uses memory.force_empty to clear node_unreclaimable", "memory.force_empty로 node_unreclaimable을 풉니다"))
        case .none:
            add(
                "memory cgroup", .info, ("no memory controller mounted", "마운트된 memory 컨트롤러 없음"),
                ("node_unreclaimable can only clear by itself", "node_unreclaimable이 저절로 풀리기를 기다릴 수밖에 없습니다"))
        }
        let leftOut = ("pressure is left out; everything else works", "압력만 빠지고, 나머지는 모두 동작합니다")
        switch s.pressure {
        case .success(let p):
            if p.pressure != nil {
                add(
                    "PSI", .ok, ("/proc/pressure/memory readable", "/proc/pressure/memory를 읽을 수 있음"),
                    (
                        "shows memory pressure (some/full) beside the counters",
                        "카운터 옆에 메모리 압력(some/full)을 함께 보여 줍니다"
                    ))
            } else {
                add("PSI", .info, (p.reason ?? "unavailable", p.reason ?? "쓸 수 없음"), leftOut)
            }
        case .failure(let e):
            add("PSI", .info, (e.description, e.description), leftOut)
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
            labMissing = missing
        }
    }

    static let nothingToDo = ("nothing to do", "할 일 없음")
}
