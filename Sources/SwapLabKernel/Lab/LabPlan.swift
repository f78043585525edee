import SwapLabModel

/// The lab's arithmetic, pure so tests check it against live-lab.md's numbers: the floor, the
/// `watermark_scale_factor` that puts the wake point where the lab needs it, the balloon and the hog sizes, and the
/// `min_free_kbytes` steps of the direct-reclaim variant. Sizes are bytes unless the name says pages.
public enum LabPlan {
    static let mib: Int64 = 1 << 20
    static let gib: Int64 = 1 << 30

    /// The default floor: the larger of Σ min + 256 MiB and 5 % of RAM (the allocation guard rule).
    public static func defaultFloor(minWatermarks: Pages, memTotalBytes: Int64) -> Int64 {
        max(minWatermarks.bytes + 256 * mib, memTotalBytes / 20)
    }

    /// Σ `min` over the zones the buddy allocator manages (an empty Movable zone prints min 32 but holds nothing).
    public static func managedMin(_ zones: [ZoneSnapshot]) -> Pages {
        zones.filter { $0.managed.count > 0 }.reduce(.zero) { $0 + $1.min }
    }

    /// `zones` with min/low/high recomputed for `minFreeKbytes` and `scaleFactor` from their `managed` pages, as
    /// `__setup_per_zone_wmarks()` in mm/page_alloc.c does after a sysctl write (boost left out: it is transient).
    /// `protection` is kept: `setup_per_zone_lowmem_reserve()` depends on managed pages only.
    public static func recomputed(_ zones: [ZoneSnapshot], minFreeKbytes: Int64, scaleFactor: Int64) -> [ZoneSnapshot] {
        // A real kernel's managed pages are far below the 2^63 / min_free_kbytes that could overflow; should a
        // capture claim otherwise, its zones are kept as printed rather than trapping.
        guard
            let marks = try? WatermarkFormula.perZone(
                managed: zones.map { ($0.zone, $0.managed) }, minFreeKbytes: minFreeKbytes, scaleFactor: scaleFactor)
        else { return zones }
        return zip(zones, marks).map { z, m in
            var s = z
            s.min = m.min
            s.low = m.low
            s.high = m.high
            s.boost = .zero
            return s
        }
    }

    /// The order-0 wake point (`WakePoint.userAllocation`) the zones would have with these sysctls.
    public static func wakePoint(_ zones: [ZoneSnapshot], minFreeKbytes: Int64, scaleFactor: Int64) -> WakePoint {
        WakePoint.userAllocation(recomputed(zones, minFreeKbytes: minFreeKbytes, scaleFactor: scaleFactor))
    }

    /// The largest `watermark_scale_factor` the kernel accepts: 3000 since 5.15 (`3001` → EINVAL), 1000 before.
    public static func maxScaleFactor(kernelAtLeast515: Bool) -> Int64 { kernelAtLeast515 ? 3000 : 1000 }

    /// What `chooseScaleFactor` decided.
    public struct ScaleChoice: Sendable, Equatable {
        /// The value to write to `vm.watermark_scale_factor`.
        public var scaleFactor: Int64
        /// The wake point it gives, in pages (Σ `min(free, low + protection)`).
        public var wakePoint: Pages
        /// The wake point the lab asked for.
        public var target: Int64
        /// False when even `maxScaleFactor` stays below the target (small machine): the lab uses the maximum.
        public var reachesTarget: Bool
    }

    /// The smallest `watermark_scale_factor` (never below the current one) whose computed wake point is at least
    /// `target` bytes (live-lab.md §5 step 4: floor + 1–1.5 GiB). The wake point grows with the factor, so a binary
    /// search finds it.
    public static func chooseScaleFactor(
        zones: [ZoneSnapshot], minFreeKbytes: Int64, current: Int64, target: Int64, maxScaleFactor: Int64
    ) -> ScaleChoice {
        func wake(_ f: Int64) -> Pages { wakePoint(zones, minFreeKbytes: minFreeKbytes, scaleFactor: f).wakePoint }
        let lowest = max(1, min(current, maxScaleFactor))
        if wake(lowest).bytes >= target {
            return ScaleChoice(scaleFactor: lowest, wakePoint: wake(lowest), target: target, reachesTarget: true)
        }
        if wake(maxScaleFactor).bytes < target {
            return ScaleChoice(
                scaleFactor: maxScaleFactor, wakePoint: wake(maxScaleFactor), target: target, reachesTarget: false)
        }
        var lo = lowest  // wake(lo) < target
        var hi = maxScaleFactor  // wake(hi) >= target
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if wake(mid).bytes >= target { hi = mid } else { lo = mid }
        }
        return ScaleChoice(scaleFactor: hi, wakePoint: wake(hi), target: target, reachesTarget: true)
    }

    /// Huge pages for the balloon: `(free − wakePoint − room) / hugePageSize` (live-lab.md §5 step 5; room is
    /// 512 MiB, 256 MiB in the direct variant), 0 when free is already that close.
    public static func balloonPages(free: Int64, wakePoint: Int64, room: Int64, hugePageSize: Int64) -> Int64 {
        guard hugePageSize > 0 else { return 0 }
        return max(0, (free - wakePoint - room) / hugePageSize)
    }

    /// The hog: the measured distance to the wake point plus 0.5–1 GiB (live-lab.md §5 step 6), the extra being
    /// what lies between the wake point and the floor less 256 MiB, so that even without any reclaim the hog alone
    /// would stop above the floor when there is room for it. Rounded up to whole MiB.
    public static func hogSize(distance: Int64, wakePoint: Int64, floor: Int64) -> Int64 {
        let bytes = max(0, distance) + hogExtra(wakePoint: wakePoint, floor: floor)
        return (bytes + mib - 1) / mib * mib
    }

    /// What the hog goes past the wake point by: what lies between the wake point and the floor less 256 MiB,
    /// kept within 0.5–1 GiB (live-lab.md §5 step 6), so that without any reclaim the hog alone would stop above the
    /// floor when there is room for it.
    public static func hogExtra(wakePoint: Int64, floor: Int64) -> Int64 {
        min(gib, max(gib / 2, wakePoint - floor - 256 * mib))
    }

    /// One hog round of `lab run` (docs/lab.md "Rounds"), sized from what was just measured.
    public struct Round: Sendable, Equatable {
        /// Huge pages to add to the balloon first (0 unless free memory is far above the wake point).
        public var balloonPages: Int64
        /// The hog, bytes: the distance to the wake point left after the balloon, plus the extra.
        public var hogBytes: Int64
        /// The first part of the hog, written as fast as the hog can: the distance to the wake point and 64 MiB past
        /// it, so that the hog, not some other task, is the one most likely to cross it; the rest is written at the
        /// rate limit, for kswapd to keep up with.
        public var fastBytes: Int64
    }

    /// The next round: a hog of the distance to the wake point plus `extra`, at most `hogLeft` bytes (whole MiB),
    /// its approach written at full speed. Only when free memory lies more than `topUpAbove` above the wake point
    /// (memory reported to the host can come back gigabytes late, live-lab.md §7.3) is the balloon topped up first,
    /// to leave `room`: near the watermarks, after reclaim has fragmented free memory, the balloon's order-9
    /// allocations would wake kswapd themselves and keep it busy compacting.
    public static func round(
        free: Int64, wakePoint: Int64, extra: Int64, hugePageSize: Int64, hogLeft: Int64,
        topUpAbove: Int64 = 2 << 30, room: Int64 = 1 << 30
    ) -> Round {
        let balloon =
            free - wakePoint > topUpAbove
            ? balloonPages(
                free: free, wakePoint: wakePoint, room: room, hugePageSize: hugePageSize) : 0
        let distance = max(0, free - balloon * hugePageSize - wakePoint)
        let want = (distance + extra + mib - 1) / mib * mib
        let hog = max(0, min(want, hogLeft / mib * mib))
        let fast = distance > 0 ? min(hog, distance + 64 * mib) / mib * mib : 0
        return Round(balloonPages: balloon, hogBytes: hog, fastBytes: fast)
    }

    /// The swapfile for a hog: 1.5 × the hog, rounded up to 256 MiB (live-lab.md §5 step 2).
    public static func swapfileSize(hog: Int64) -> Int64 {
        let want = hog * 3 / 2
        let unit = 256 * mib
        return (want + unit - 1) / unit * unit
    }

    /// `min_free_kbytes` steps for the direct-reclaim variant (live-lab.md §3: raised in steps, each only while free
    /// is at least 4× the new value): from `current` by ×2.5 (at least 262144 kB) up to `target` kB. Steps that free
    /// memory does not allow are left out, so the last step may fall short of the target.
    public static func minFreeSteps(current: Int64, target: Int64, freeBytes: Int64) -> [Int64] {
        var steps: [Int64] = []
        var v = current
        while v < target {
            let next = min(target, max(v * 5 / 2, 262_144))
            guard freeBytes >= 4 * next * 1024 else { break }
            steps.append(next)
            v = next
        }
        return steps
    }
}
