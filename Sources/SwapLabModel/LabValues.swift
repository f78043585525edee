/// What the lab is asked to do and what it found (docs/lab.md): the values `ThisMachine.runLab` and
/// `prepareLab` take and give, so commands reach the lab through the engine's capability.

/// What `lab run` may be told (every size in bytes).
public struct LabOptions: Sendable, Equatable {
    /// `--wake-at SIZE`: the wake point to aim for (default: floor + 1 GiB).
    public var wakeAt: Int64?
    /// `--hog SIZE`: the hog's size (default: measured distance to the wake point + 0.5–1 GiB).
    public var hog: Int64?
    /// `--rate R/s` in bytes per second (default 200 MiB/s; the direct variant is unthrottled).
    public var rate: Double?
    /// `--floor SIZE` (default: the larger of min + 256 MiB and 5 % of RAM).
    public var floor: Int64?
    /// `--direct`: the direct-reclaim variant.
    public var direct = false
    /// The binary that runs the hog (tests; default `MemoryHog.defaultExecutable()`).
    public var hogExecutable: String?

    public init(
        wakeAt: Int64? = nil, hog: Int64? = nil, rate: Double? = nil, floor: Int64? = nil, direct: Bool = false,
        hogExecutable: String? = nil
    ) {
        self.wakeAt = wakeAt
        self.hog = hog
        self.rate = rate
        self.floor = floor
        self.direct = direct
        self.hogExecutable = hogExecutable
    }

    /// The default hog rate, 200 MiB/s (live-lab.md §5 step 6: 150–200 MiB/s so kswapd keeps up).
    public static let defaultRate: Double = 200 * 1_048_576
}

/// What a lab run observed; `lab run --json` prints every field under the same name (docs/lab.md documents each).
/// Counts of trace events carry the event's name, /proc/vmstat counters the counter's name (in pages); every other
/// number has its unit in its name.
public struct LabResult: Sendable, Codable, Equatable {
    /// "ok" when every phase passed and everything was restored, else "failed".
    public var verdict = "failed"
    /// "none", a phase (`wake`, `sleep`, `swap_out`, `swap_in`), or `preflight`, `setup`, `interrupted`,
    /// `watchdog`, `restore`.
    public var failedPhase = "none"
    /// Why, in words ("" when the verdict is ok).
    public var reason = ""
    public var phaseWakeOk = false
    public var phaseSleepOk = false
    public var phaseSwapOutOk = false
    public var phaseSwapInOk = false
    /// Hog rounds run (docs/lab.md "Rounds").
    public var rounds = 0
    public var seconds: Double = 0
    /// Where the time went: preflight to the first hog, the hog rounds, the swap-in, the restore.
    public var setupSeconds: Double = 0
    public var hogSeconds: Double = 0
    public var swapInSeconds: Double = 0
    public var restoreSeconds: Double = 0
    /// `mm_vmscan_wakeup_kswapd` lines in any context / in a hog's.
    public var wakeupKswapd = 0
    public var hogWakeupKswapd = 0
    public var kswapdWake = 0
    public var kswapdSleep = 0
    public var directReclaim = 0
    public var pswpout: Int64 = 0
    public var pswpin: Int64 = 0
    public var pswpoutMib: Int64 = 0
    public var pswpinMib: Int64 = 0
    public var pgstealFile: Int64 = 0
    /// The lowest free memory (Σ zone free pages) seen by the 20 ms watchdog from the first hog on, MiB.
    public var lowestFreeMib: Int64 = 0
    public var floorMib: Int64 = 0
    public var wakePointMib: Int64 = 0
    public var watermarkScaleFactor: Int64 = 0
    public var minFreeKbytes: Int64 = 0
    /// The most huge pages the balloon held at once.
    public var balloonPages: Int64 = 0
    public var balloonMib: Int64 = 0
    public var hogMib: Int64 = 0
    public var hogRateMibPerS: Int64 = 0
    public var swapfileMib: Int64 = 0
    public var badPages: Int64 = 0
    public var zoneGrowthSeconds: Double = 0
    public var traceEvents = 0
    public var watchdogTripped = false
    public var nodeUnreclaimable = false
    public var restored = false
    public var direct = false

    public init() {}
}

/// One `lab run`: its result, the timeline it recorded, and why it stopped short, if it did.
public struct LabRun: Sendable {
    public var result: LabResult
    public var timeline: Timeline?
    public var failure: (any LearnerError)?

    public init(result: LabResult, timeline: Timeline?, failure: (any LearnerError)?) {
        (self.result, self.timeline, self.failure) = (result, timeline, failure)
    }
}
