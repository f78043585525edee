import Foundation
import SwapLabModel

/// What a live step must leave as it found it (the brief's checklist): the vm sysctls the lab and lessons touch,
/// the swap areas, where tracefs is mounted, and swaplab's tracefs instances.
public struct LiveMachineState: Equatable, CustomStringConvertible, Sendable {
    public var sysctls: [String: String]
    public var swaps: [String]
    public var tracefsMounts: [String]
    public var swaplabInstances: [String]
    /// `HugePages_Total` of /proc/meminfo: the lab's balloon, gone once it is released.
    public var hugePagesTotal: Int64?

    /// The sysctls compared: those the lab and live steps may change.
    public static let sysctlNames = ["watermark_scale_factor", "nr_hugepages", "min_free_kbytes", "swappiness"]

    /// Reads the state now.
    public static func read() -> LiveMachineState {
        var s: [String: String] = [:]
        for n in sysctlNames { s[n] = (try? Sysctl.read(n)) ?? "?" }
        let tracefs = Mount.read().filter { $0.type == "tracefs" }.map(\.mountPoint)
        let instances = tracefs.flatMap { t in
            ((try? FileManager.default.contentsOfDirectory(atPath: t + "/instances")) ?? []).filter {
                $0.hasPrefix("swaplab-")
            }
        }
        return LiveMachineState(
            sysctls: s, swaps: ((try? Swaps.read()) ?? []).map(\.path).sorted(), tracefsMounts: tracefs.sorted(),
            swaplabInstances: instances.sorted(), hugePagesTotal: (try? Meminfo.read())?.hugePagesTotal)
    }

    public var description: String {
        let sys = LiveMachineState.sysctlNames.map { "\($0)=\(sysctls[$0] ?? "?")" }.joined(separator: " ")
        return "{\(sys); swaps \(swaps); tracefs at \(tracefsMounts); instances \(swaplabInstances); "
            + "HugePages_Total \(hugePagesTotal.map(String.init) ?? "?")}"
    }
}
