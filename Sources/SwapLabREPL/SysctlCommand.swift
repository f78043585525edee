import ArgumentParser
import Foundation
import SwapLabModel

/// `sysctl NAME [VALUE]`: reads or writes a vm sysctl of the running simulated machine, as
/// `sysctl -w vm.NAME=VALUE` writes /proc/sys/vm/NAME (the handlers in mm/page_alloc.c and mm/vmscan.c).
struct SysctlCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "sysctl",
        abstract: "Read or set a vm sysctl of the running simulated machine: sysctl vm.watermark_scale_factor 1000.",
        discussion: """
            Takes vm.min_free_kbytes, vm.watermark_scale_factor, vm.watermark_boost_factor, vm.swappiness and \
            vm.nr_hugepages (vm.NAME=VALUE works too). The first two recompute every zone's min, low and high as \
            __setup_per_zone_wmarks() does; protection stays as it is, as in the kernel. vm.nr_hugepages grows \
            the hugetlb pool from the zones (highest zone first, while free stays above low) or gives huge pages \
            back to the zones they came from; the marks stay. The machine keeps running: the next step allocates \
            and reclaims against the new values. `reset` goes back to the settings the machine was made with.
            """)

    @Argument(help: "The sysctl: vm.watermark_scale_factor, vm.min_free_kbytes, vm.swappiness, …")
    var name: String
    @Argument(help: "The new value (without it: print the value).") var value: String?

    static let engines = EngineChoice.sim

    func run(in session: Session) throws {
        var key = name
        var text = value
        if text == nil, let eq = name.firstIndex(of: "=") {
            key = String(name[..<eq])
            text = String(name[name.index(after: eq)...])
        }
        guard let sysctl = VMSysctlName(name: key) else { throw Self.unknown(key) }
        let clock = try session.simulatedClock(for: "sysctl")
        guard let text else {
            session.output.line("\(sysctl.rawValue) = \(try clock.sysctl(name: sysctl))")
            return
        }
        guard let number = Int64(text.trimmingCharacters(in: .whitespaces)) else {
            throw ShellError.usage(
                "\(sysctl.rawValue) takes a whole number in \(sysctl.range.lowerBound)…\(sysctl.range.upperBound), "
                    + "not '\(text)'")
        }
        let change = try clock.setSysctl(name: sysctl, value: number)
        session.report { w in
            "\(sysctl.rawValue) = \(change.new) "
                + w(
                    String(format: "(was %lld) at t = %.3f s; ", change.old, change.time),
                    String(format: "(이전 %lld), t = %.3f s; ", change.old, change.time)) + Self.effect(sysctl, w)
        }
        if sysctl.setsWatermarks || sysctl == .nrHugepages {
            EngineText.zoneTable(change.zones, to: session.output, session.words)
        }
        if sysctl == .nrHugepages, change.perCPU.count > 0, change.new < change.old {
            let held = Quantity.format(bytes: change.perCPU.bytes)
            session.report { w in
                w(
                    "\(held) of freed huge pages wait on the per-CPU lists (each CPU keeps up to its zone's low mark "
                        + "divided by the CPUs): the zones' free counts leave them out, and only a huge page takes them "
                        + "back; direct reclaim drains them",
                    "풀려난 huge page 중 \(held)는 CPU별 페이지 목록에 남아 있습니다 (CPU마다 zone의 low 워터마크를 CPU 수로 "
                        + "나눈 만큼까지 보관). zone의 free 값에는 잡히지 않고, huge page 할당만 이를 다시 가져가며, "
                        + "직접 회수가 목록을 비웁니다")
            }
        }
        if sysctl == .nrHugepages, change.new < number {
            session.report { w in
                w(
                    "the pool stopped at \(change.new) of \(number): the zones had no more free memory above their low "
                        + "watermarks (the kernel would reclaim for the rest; the simulator does not for huge pages)",
                    "풀은 \(number)개 중 \(change.new)개에서 멈췄습니다. zone마다 low 워터마크 위에 남은 여유 메모리가 "
                        + "없었습니다 (커널이라면 나머지를 위해 회수하지만, 시뮬레이터는 huge page를 위해 회수하지 않습니다)")
            }
        }
    }

    /// What the write changes, in the kernel's words.
    static func effect(_ name: VMSysctlName, _ w: Words = .en) -> String {
        switch name {
        case .minFreeKbytes, .watermarkScaleFactor:
            return w(
                "watermarks recomputed (__setup_per_zone_wmarks()); protection unchanged",
                "워터마크를 다시 계산했습니다 (__setup_per_zone_wmarks()). protection은 그대로입니다")
        case .swappiness:
            return w(
                "get_scan_count() balances anon against file with it from the next reclaim pass",
                "다음 회수 패스부터 get_scan_count()가 이 값으로 익명 페이지와 파일 페이지의 비율을 정합니다")
        case .watermarkBoostFactor:
            return w(
                "accepted; the simulator has no fragmentation events, so boost stays 0",
                "받아들였습니다. 시뮬레이터에는 단편화 이벤트가 없어 boost는 0으로 남습니다")
        case .nrHugepages:
            return w(
                "the hugetlb pool takes its 2 MiB pages from the zones or gives them back; marks unchanged",
                "hugetlb 풀이 zone에서 2 MiB 페이지를 가져오거나 돌려줍니다. 워터마크는 그대로입니다")
        }
    }

    /// An unknown name: the names taken, and the nearest one when it is close.
    static func unknown(_ key: String) -> ShellError {
        let names = VMSysctlName.allCases.map(\.rawValue)
        let short = key.hasPrefix("vm.") ? key : "vm." + key
        let near = Suggest.nearest(to: short, in: names).map { " Did you mean '\($0)'?" } ?? ""
        return .usage("unknown sysctl '\(key)'.\(near) The simulator takes: \(names.joined(separator: ", "))")
    }
}

extension SysctlCommand: CompletionProvider {
    /// The sysctl names the simulator takes.
    static func completions(for words: [String]) -> [String] {
        words.count == 1 ? VMSysctlName.allCases.map(\.rawValue) : []
    }
}
