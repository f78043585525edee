import SwapLabModel

/// The zone whose threshold decided kswapd's last wake or sleep on a node, read from the samples around it.
///
/// - A sleep (`prepare_kswapd_sleep()` → `pgdat_balanced()` in mm/vmscan.c) is decided by the first eligible zone,
///   bottom-up, with `free > high + lowmem_reserve[highest]` in the last sample at or before the sleep.
/// - A wake (`wake_all_kswapds()` once every eligible zone fails `free > low + lowmem_reserve[highest]`,
///   mm/page_alloc.c) is decided by the zone that failed last: the one with the most pages above its threshold in
///   the last sample at or before the wake (on a tie the lower zone, which the zonelist Normal → DMA32 → DMA
///   drains last).
///
/// Thresholds are `WakePoint.userAllocation`'s, so the chart and `watermarks` name the same lines.
public struct KswapdDecision: Sendable, Equatable {
    /// Which of kswapd's transitions the zone decided.
    public enum Kind: String, Sendable {
        case wake, sleep
    }

    public var kind: Kind
    /// The time of the wake or sleep.
    public var time: Double
    public var node: Int
    public var zone: ZoneType
    /// The zone's free pages in the sample read, and the threshold it was compared with (`low + protection` for a
    /// wake, `high + protection` for a sleep).
    public var free: Pages
    public var threshold: Pages

    public init(kind: Kind, time: Double, node: Int, zone: ZoneType, free: Pages, threshold: Pages) {
        (self.kind, self.time, self.node, self.zone, self.free, self.threshold) =
            (kind, time, node, zone, free, threshold)
    }

    /// The decision of the last of `cycles` (wake and sleep times of node `node`'s kswapd cycles, in order): its
    /// sleep when one zone was balanced then, else its wake. Nil without a cycle or without a sample before it.
    public static func last(cycles: [(wake: Double?, sleep: Double?)], node: Int, samples: [Sample]) -> KswapdDecision?
    {
        guard let c = cycles.last else { return nil }
        if let sleep = c.sleep, let s = sample(atOrBefore: sleep, in: samples) {
            let w = thresholds(s, node: node)
            if let z = w.zones.first(where: { $0.isBalanced }) {
                return KswapdDecision(
                    kind: .sleep, time: sleep, node: node, zone: z.zone, free: z.free, threshold: z.balancedThreshold)
            }
        }
        guard let wake = c.wake, let s = sample(atOrBefore: wake, in: samples) else { return nil }
        let zones = thresholds(s, node: node).zones
        guard var best = zones.first else { return nil }
        func margin(_ z: WakePoint.Zone) -> Int64 { z.free.count - z.wakeThreshold.count }
        for z in zones.dropFirst() where margin(z) > margin(best) { best = z }
        return KswapdDecision(
            kind: .wake, time: wake, node: node, zone: best.zone, free: best.free, threshold: best.wakeThreshold)
    }

    /// The lines the kernel tests for each eligible zone of node `node` in `sample` (`WakePoint.userAllocation`).
    public static func thresholds(_ sample: Sample, node: Int) -> WakePoint {
        WakePoint.userAllocation(
            sample.zones.filter { $0.node == node }.map {
                ZoneSnapshot(
                    node: $0.node, zone: $0.zone, free: $0.free, min: $0.min, low: $0.low, high: $0.high,
                    managed: $0.managed, protection: $0.protection ?? [])
            })
    }

    /// The last sample at or before `t` (binary search; samples are in time order).
    static func sample(atOrBefore t: Double, in samples: [Sample]) -> Sample? {
        var lo = 0
        var hi = samples.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if samples[mid].time <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 ? samples[lo - 1] : nil
    }
}
