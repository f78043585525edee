import Foundation
import SwapLabModel

/// What is wrong with a simulator request, worded as "what is wrong; what to do".
public enum SimulatorError: LearnerError, Equatable, SaidInKorean {
    /// A setting outside the kernel's accepted range (`watermark_scale_factor` 1…3000, `swappiness` 0…200, …).
    case outOfRange(setting: String, value: Int64, range: ClosedRange<Int64>)
    /// A `--zones` text that cannot be read.
    case badZoneSpec(text: String, reason: String)
    /// The machine has no memory the allocator can use.
    case noMemory(String)
    /// The memory asked to be in use at start does not fit above the high watermarks.
    case doesNotFit(wanted: Pages, room: Pages)
    /// No task of that name.
    case noSuchTask(name: String, known: [String])
    /// A task of that name already holds memory.
    case taskExists(name: String)
    /// A request that makes no sense in the current state.
    case invalid(String)
    /// A size beyond what swaplab computes with (`Limits`): what, the value given, and the limit.
    case tooLarge(what: String, value: String, limit: String)
    /// `cache SIZE --file NAME` with a size other than the file's (`size`, already formatted).
    case fileSizeDiffers(name: String, size: String)
    /// `cache --file NAME` without a size, for a file never read.
    case fileUnread(name: String)
    /// `cache --file NAME` while an earlier read of it is still running.
    case fileBusy(name: String)

    public var problem: String {
        switch self {
        case .outOfRange(let s, let v, _): return "\(s) = \(v) is out of range"
        case .badZoneSpec(let t, let why): return "cannot read the zones '\(t)': \(why)"
        case .noMemory(let s), .invalid(let s): return s
        case .doesNotFit(let wanted, let room):
            return "the memory in use at start (\(Quantity.format(bytes: wanted.bytes))) does not fit above the high "
                + "watermarks (room: \(Quantity.format(bytes: room.bytes)))"
        case .noSuchTask(let name, let known):
            let list =
                known.isEmpty ? "none yet" : known.joined(separator: ", ")
            return "no allocation named '\(name)'; known: \(list)"
        case .taskExists(let name): return "an allocation named '\(name)' already exists"
        case .tooLarge(let what, let value, _): return "\(what) of \(value) is too large"
        case .fileSizeDiffers(let name, let size): return "\(name) is \(size) long"
        case .fileUnread(let name): return "\(name) has not been read yet"
        case .fileBusy(let name): return "\(name) is still being read"
        }
    }

    public var remedy: String? {
        switch self {
        case .outOfRange(_, _, let r): return "the kernel accepts \(r.lowerBound)…\(r.upperBound)"
        case .badZoneSpec: return "write them like DMA=3840,DMA32=772915,Normal=5394266"
        case .noMemory, .invalid: return nil
        case .doesNotFit: return "lower --used or --cache, or add --ram"
        case .noSuchTask(let name, let known): return known.isEmpty ? "create one with: alloc 1G --name \(name)" : nil
        case .taskExists: return "release it first or choose another --name"
        case .tooLarge(_, _, let limit): return "swaplab simulates at most \(limit)"
        case .fileSizeDiffers(let name, _): return "read it again with: cache --file \(name)"
        case .fileUnread(let name): return "give its size the first time, e.g. cache 512M --file \(name)"
        case .fileBusy: return "let the first read finish: run 10s"
        }
    }

    public var description: String { sentence }

    /// `sentence` in Korean (what the shell says when the learner reads Korean).
    public var sentenceKo: String? {
        let problem: String
        var remedy: String?
        switch self {
        case .outOfRange(let s, let v, let r):
            problem = "\(s) = \(v)은(는) 범위를 벗어났습니다"
            remedy = "커널이 받아들이는 값은 \(r.lowerBound)…\(r.upperBound)입니다"
        case .badZoneSpec(let t, let why):
            problem = "zone '\(t)'을(를) 읽을 수 없습니다: \(why)"
            remedy = "DMA=3840,DMA32=772915,Normal=5394266처럼 쓰세요"
        case .noMemory(let s), .invalid(let s): problem = s
        case .doesNotFit(let wanted, let room):
            problem =
                "처음부터 쓰고 있는 메모리(\(Quantity.format(bytes: wanted.bytes)))가 high 워터마크 위에 들어가지 "
                + "않습니다 (남은 자리: \(Quantity.format(bytes: room.bytes)))"
            remedy = "--used나 --cache를 줄이거나, --ram을 늘리세요"
        case .noSuchTask(let name, let known):
            problem =
                "'\(name)'(이)라는 할당이 없습니다. 있는 것: \(known.isEmpty ? "아직 없음" : known.joined(separator: ", "))"
            if known.isEmpty { remedy = "alloc 1G --name \(name)으로 만드세요" }
        case .taskExists(let name):
            problem = "'\(name)'(이)라는 할당이 이미 있습니다"
            remedy = "먼저 release하거나 다른 --name을 고르세요"
        case .tooLarge(let what, let value, let limit):
            problem = "\(what) \(value)은(는) 너무 큽니다"
            remedy = "swaplab은 최대 \(limit)까지 시뮬레이션합니다"
        case .fileSizeDiffers(let name, let size):
            problem = "\(name)의 크기는 \(size)입니다"
            remedy = "다시 읽으려면: cache --file \(name)"
        case .fileUnread(let name):
            problem = "\(name)은(는) 아직 읽은 적이 없습니다"
            remedy = "처음에는 크기를 주세요 (예: cache 512M --file \(name))"
        case .fileBusy(let name):
            problem = "\(name)을(를) 아직 읽고 있습니다"
            remedy = "먼저 읽기를 끝내세요: run 10s"
        }
        return remedy.map { problem + "; " + $0 } ?? problem
    }
}

/// One populated zone of a simulated node: its type and `managed` pages.
public struct ZoneSpec: Sendable, Hashable, Codable {
    public var type: ZoneType
    public var managed: Pages

    public init(_ type: ZoneType, _ managed: Pages) {
        self.type = type
        self.managed = managed
    }
}

/// How to build a simulated machine: nodes and zones, the vm sysctls, swap and the memory in use at start.
///
/// Defaults follow a real x86-64 box: `min_free_kbytes` from `calculate_min_free_kbytes()` (or the THP rule of
/// `set_recommended_min_free_kbytes()` with `thp`), `watermark_scale_factor` 10, `watermark_boost_factor` 15000,
/// `swappiness` 60.
public struct MachineConfig: Sendable, Hashable, Codable {
    /// The zones of each node, in `enum zone_type` order.
    public var nodes: [[ZoneSpec]]
    /// `vm.min_free_kbytes`; nil means computed as the kernel does at boot.
    public var minFreeKbytesOverride: Int64?
    /// Apply the THP rule (`set_recommended_min_free_kbytes()`) on top of the sqrt rule.
    public var thp: Bool
    /// `vm.watermark_scale_factor`, 1…3000.
    public var watermarkScaleFactor: Int64
    /// `vm.watermark_boost_factor`; accepted and reported, but boost needs fragmentation events (not modelled).
    public var watermarkBoostFactor: Int64
    /// `vm.swappiness`, 0…200.
    public var swappiness: Int64
    /// Swap space.
    public var swap: Pages
    /// Anonymous memory already used by other programs (the task `system`).
    public var used: Pages
    /// Page cache at start (clean part).
    public var cleanCache: Pages
    /// Page cache at start (dirty part).
    public var dirtyCache: Pages
    /// Seed for everything random (only the page addresses printed in `mm_vmscan_write_folio`).
    public var seed: UInt64
    /// Installed RAM, for the summary line (nil when the zones were given).
    public var ramBytes: Int64?
    /// `vm.nr_hugepages` written once the machine is up (`machine --hugepages N`; 0: no pool).
    public var hugepages: Int64 = 0
    /// CPUs of each node. It sizes the per-CPU page lists (`zone_highsize()`: a zone's low mark split over the
    /// node's CPUs), which keep freed huge pages out of the free count. A captured machine counts the `cpu:` entries
    /// its zoneinfo printed; a machine built from sizes has 2, like the lab's VM.
    public var cpus: Int = 2
    /// A captured machine to start from (`machine --zoneinfo FILE`): each zone's free pages, marks, protection and
    /// LRU pages as the capture shows them, even below high. Nil for a machine built from sizes.
    public var capture: MachineCapture?

    public init(
        nodes: [[ZoneSpec]], minFreeKbytes: Int64? = nil, thp: Bool = false, watermarkScaleFactor: Int64 = 10,
        watermarkBoostFactor: Int64 = 15000, swappiness: Int64 = 60, swap: Pages = .zero, used: Pages? = nil,
        cleanCache: Pages? = nil, dirtyCache: Pages = .zero, seed: UInt64 = 1, ramBytes: Int64? = nil
    ) {
        self.nodes = nodes
        self.minFreeKbytesOverride = minFreeKbytes
        self.thp = thp
        self.watermarkScaleFactor = watermarkScaleFactor
        self.watermarkBoostFactor = watermarkBoostFactor
        self.swappiness = swappiness
        self.swap = swap
        // Held at Int64.max rather than overflowing: `validate()` refuses zones above `Limits.maxPages` anyway.
        let managed = nodes.flatMap { $0 }.reduce(Int64(0)) { $0.saturatingAdd($1.managed.count) }
        self.used = used ?? Pages(managed / 100 * 50 + managed % 100 * 50 / 100)
        self.cleanCache = cleanCache ?? Pages(managed / 100 * 15 + managed % 100 * 15 / 100)
        self.dirtyCache = dirtyCache
        self.seed = seed
        self.ramBytes = ramBytes
    }

    /// The course machine: 4 GiB RAM, 2 GiB swap, defaults for everything else.
    public static func course() -> MachineConfig {
        // 4 GiB always yields valid zones.
        let zones = (try? defaultZones(ramBytes: 4 << 30, nodes: 1)) ?? [[ZoneSpec(.normal, Pages(1_000_000))]]
        return MachineConfig(nodes: zones, swap: Pages(bytes: 2 << 30), ramBytes: 4 << 30)
    }

    /// Zones of a real x86-64 box with `ramBytes` of RAM split evenly over `nodes` nodes.
    ///
    /// Managed pages are RAM minus the `struct page` array (64 bytes a page) and ~32 MiB of kernel image and
    /// reservations. Node 0 holds DMA (3840 managed pages, the first 16 MiB) and DMA32 (up to 772915 pages, the RAM
    /// below the PCI hole at 3 GiB); the rest of each node is Normal.
    public static func defaultZones(ramBytes: Int64, nodes: Int) throws(SimulatorError) -> [[ZoneSpec]] {
        guard (1...64).contains(nodes) else {
            throw .outOfRange(setting: "nodes", value: Int64(nodes), range: 1...64)
        }
        guard ramBytes <= Limits.maxBytes else {
            throw .tooLarge(what: "RAM", value: Quantity.format(bytes: ramBytes), limit: "4 PiB")
        }
        guard ramBytes >= Int64(nodes) * (64 << 20) else {
            throw .noMemory(
                "\(Quantity.format(bytes: ramBytes)) is too little RAM for \(nodes) node(s); give at least 64 MiB a node"
            )
        }
        let perNode = ramBytes / 4096 / Int64(nodes)
        var result: [[ZoneSpec]] = []
        for n in 0..<nodes {
            var usable = perNode - perNode / 64 - (n == 0 ? 8192 : 0)
            var zones: [ZoneSpec] = []
            if n == 0 {
                let dma = min(Int64(3840), usable)
                zones.append(ZoneSpec(.dma, Pages(dma)))
                usable -= dma
                let dma32 = min(Int64(772_915), usable)
                if dma32 > 0 { zones.append(ZoneSpec(.dma32, Pages(dma32))) }
                usable -= dma32
            }
            if usable > 0 { zones.append(ZoneSpec(.normal, Pages(usable))) }
            result.append(zones)
        }
        return result
    }

    /// Parses `--zones DMA=3840,DMA32=772915,Normal=5394266` (managed pages per zone); the same zones on every node.
    public static func zones(parsing text: String) throws(SimulatorError) -> [ZoneSpec] {
        var zones: [ZoneSpec] = []
        for part in text.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2 else { throw .badZoneSpec(text: text, reason: "'\(part)' has no '='") }
            let name = kv[0].trimmingCharacters(in: .whitespaces)
            guard let type = ZoneType(name: name), [.dma, .dma32, .normal, .movable].contains(type) else {
                throw .badZoneSpec(text: text, reason: "'\(name)' is not a zone; use DMA, DMA32, Normal or Movable")
            }
            guard let pages = Int64(kv[1].trimmingCharacters(in: .whitespaces)), pages >= 0 else {
                throw .badZoneSpec(text: text, reason: "'\(kv[1])' is not a page count")
            }
            guard pages <= Limits.maxPages else {
                throw .badZoneSpec(
                    text: text, reason: "\(name) has \(pages) pages; a zone holds at most \(Limits.maxPages) (4 PiB)")
            }
            guard !zones.contains(where: { $0.type == type }) else {
                throw .badZoneSpec(text: text, reason: "\(type.rawValue) is given twice")
            }
            zones.append(ZoneSpec(type, Pages(pages)))
        }
        guard !zones.isEmpty else { throw .badZoneSpec(text: text, reason: "no zone given") }
        return zones.sorted { $0.type < $1.type }
    }

    /// Zones taken from captured zone snapshots (node and `managed` of each populated zone).
    /// Node numbers must be 0…63 and managed pages at most `Limits.maxPages`; both are checked before anything is
    /// built, so a capture naming node 100000000 costs nothing.
    public static func zones(from snapshots: [ZoneSnapshot]) throws(SimulatorError) -> [[ZoneSpec]] {
        for s in snapshots where !Limits.simulatedNodes.contains(s.node) {
            throw .invalid("the zoneinfo names node \(s.node); the simulator has nodes 0…63")
        }
        for s in snapshots where s.managed.count < 0 || s.managed.count > Limits.maxPages {
            throw .tooLarge(
                what: "managed pages of node \(s.node) zone \(s.zone.rawValue)", value: String(s.managed.count),
                limit: "\(Limits.maxPages) pages (4 PiB)")
        }
        let populated = snapshots.filter { $0.managed.count > 0 && $0.zone != .device }
        guard let maxNode = populated.map(\.node).max() else {
            throw .noMemory("the zoneinfo has no zone with managed pages; check the file")
        }
        return (0...maxNode).map { n in
            populated.filter { $0.node == n }.sorted { $0.zone < $1.zone }.map { ZoneSpec($0.zone, $0.managed) }
        }
    }

    /// Every zone of every node, with its node number.
    var allZones: [(node: Int, spec: ZoneSpec)] {
        nodes.enumerated().flatMap { n, zones in zones.map { (n, $0) } }
    }

    /// Lowmem managed pages (DMA, DMA32, Normal), what `nr_free_buffer_pages()` returns at boot.
    public var lowmemManaged: Pages {
        Pages(allZones.filter { $0.spec.type.isLowmem }.reduce(Int64(0)) { $0.saturatingAdd($1.spec.managed.count) })
    }

    /// All managed pages (held at Int64.max rather than overflowing; `validate()` bounds every zone).
    public var totalManaged: Pages { Pages(allZones.reduce(Int64(0)) { $0.saturatingAdd($1.spec.managed.count) }) }

    /// `min_free_kbytes` as the kernel sets it at boot: the user value if given, else the sqrt rule of
    /// `calculate_min_free_kbytes()`, raised by `set_recommended_min_free_kbytes()` when `thp` is on.
    public var minFreeKbytes: Int64 {
        if let minFreeKbytesOverride { return minFreeKbytesOverride }
        let sqrtRule = WatermarkFormula.minFreeKbytes(lowmemManaged: lowmemManaged)
        guard thp else { return sqrtRule }
        let populated = allZones.filter { $0.spec.type.isLowmem && $0.spec.managed.count > 0 }.count
        let recommended = WatermarkFormula.thpRecommendedMinFreeKbytes(
            populatedLowmemZones: populated, lowmemManaged: lowmemManaged)
        return max(sqrtRule, recommended)
    }

    /// Checks every setting against the kernel's ranges (`proc_dointvec_minmax` limits of 6.18).
    public func validate() throws(SimulatorError) {
        guard !nodes.isEmpty, nodes.count <= 64 else {
            throw .outOfRange(setting: "nodes", value: Int64(nodes.count), range: 1...64)
        }
        for (n, zones) in nodes.enumerated() {
            for z in zones where z.managed.count < 0 || z.managed.count > Limits.maxPages {
                throw .tooLarge(
                    what: "node \(n) zone \(z.type.rawValue)", value: "\(z.managed.count) pages",
                    limit: "\(Limits.maxPages) pages (4 PiB)")
            }
        }
        for (name, size) in [("swap", swap), ("used", used), ("cache", cleanCache), ("dirty cache", dirtyCache)]
        where size.count > Limits.maxPages {
            throw .tooLarge(what: name, value: Quantity.format(bytes: size.bytes), limit: "4 PiB")
        }
        guard totalManaged.count > 0 else { throw .noMemory("the machine has no managed pages; give it some RAM") }
        guard (1...3000).contains(watermarkScaleFactor) else {
            throw .outOfRange(setting: "vm.watermark_scale_factor", value: watermarkScaleFactor, range: 1...3000)
        }
        guard (0...200).contains(swappiness) else {
            throw .outOfRange(setting: "vm.swappiness", value: swappiness, range: 0...200)
        }
        guard watermarkBoostFactor >= 0, watermarkBoostFactor <= Int64(Int32.max) else {
            throw .outOfRange(
                setting: "vm.watermark_boost_factor", value: watermarkBoostFactor, range: 0...Int64(Int32.max))
        }
        if let m = minFreeKbytesOverride, m < 0 || m > Int64(Int32.max) {
            throw .outOfRange(setting: "vm.min_free_kbytes", value: m, range: 0...Int64(Int32.max))
        }
        guard VMSysctlName.nrHugepages.range.contains(hugepages) else {
            throw .outOfRange(setting: "vm.nr_hugepages", value: hugepages, range: VMSysctlName.nrHugepages.range)
        }
        guard swap.count >= 0, used.count >= 0, cleanCache.count >= 0, dirtyCache.count >= 0 else {
            throw .invalid("sizes cannot be negative")
        }
    }

    /// `4 GiB RAM, 2 GiB swap, 1 node` or the like.
    public var summary: String {
        let ram =
            ramBytes.map { Quantity.format(bytes: $0) + " RAM" }
            ?? (Quantity.format(bytes: totalManaged.bytes) + " managed")
        let swapText = swap.count > 0 ? Quantity.format(bytes: swap.bytes) + " swap" : "no swap"
        return "\(ram), \(swapText), \(nodes.count) node\(nodes.count == 1 ? "" : "s")"
    }
}
