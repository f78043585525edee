import Foundation
import SwapLabModel

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

    /// Reads the numbers from `<root>/proc/meminfo` and `<root>/proc/zoneinfo`.
    public static func measure(
        root: SystemRoot = SystemRoot(), floorOverride: Int64? = nil
    ) throws(KernelError)
        -> AllocationGuard
    {
        let meminfo = try Meminfo.read(root: root)
        let available = (meminfo.kibibytes["MemAvailable"] ?? 0) * 1024
        let total = (meminfo.kibibytes["MemTotal"] ?? 0) * 1024
        let min = try ZoneinfoParser.read(root: root).totalMin.bytes
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
