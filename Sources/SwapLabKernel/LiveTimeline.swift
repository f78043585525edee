import Foundation
import SwapLabModel

/// The live engine's timeline as it grows: samples of every zone and the reclaim counters taken every 100 ms on
/// `CLOCK_MONOTONIC` (the clock of a `trace_clock=mono` trace), the parsed events of the private trace instance,
/// and swaplab's own markers. Thread-safe: the sampler and the trace reader append from their own threads.
///
/// Memory is bounded: the newest `sampleCapacity` samples (10 minutes at 10 Hz) and `eventCapacity` events are
/// kept; what was dropped is counted, never hidden. The story's milestones (`storyEvents`: kswapd woken, awake,
/// asleep, direct reclaim, OOM) are never dropped: a long swap-out's `write_folio` lines must not push out the
/// wake-up that started it.
public final class LiveTimeline: @unchecked Sendable {
    /// /proc/vmstat counters kept in each sample (exact kernel names; `allocstall_*` as the kernel prints them).
    public static let sampledCounters: [String] = [
        "nr_free_pages", "pgscan_kswapd", "pgscan_direct", "pgsteal_kswapd", "pgsteal_direct", "pgscan_anon",
        "pgscan_file", "pgsteal_anon", "pgsteal_file", "pswpin", "pswpout", "pgmajfault", "oom_kill",
        "kswapd_low_wmark_hit_quickly", "kswapd_high_wmark_hit_quickly", "pageoutrun", "workingset_refault_anon",
        "workingset_refault_file", "workingset_activate_file", "allocstall_dma", "allocstall_dma32",
        "allocstall_normal", "allocstall_movable",
        "nr_anon_pages", "nr_file_pages", "nr_dirty",
    ]

    public let root: SystemRoot
    public let sampleCapacity: Int
    public let eventCapacity: Int
    private let lock = NSLock()
    /// Guards `reader` (its buffer is reused), apart from `lock` so that a read never holds up an append.
    private let readLock = NSLock()
    private var reader: SampleReader
    private var samples: [Sample] = []
    private var events: [TraceEvent] = []
    private var markers: [Marker] = []
    /// Milestones from the part of `events` dropped for capacity, oldest first (all older than `events`).
    private var keptMilestones: [TraceEvent] = []
    /// Every milestone so far, oldest first (`milestones()`), so counting them never copies the whole trace.
    private var milestoneLog: [TraceEvent] = []
    private var parser = TraceLineParser()
    private var pending: [UInt8] = []
    /// Samples and events dropped from the front to stay within capacity.
    public private(set) var droppedSamples = 0
    public private(set) var droppedEvents = 0
    private var sampler: Thread?
    /// Bumped by every start and stop: a sampler thread runs only while the generation it started with is current,
    /// so a stop followed at once by a start never leaves two threads sampling.
    private var samplerGeneration = 0

    public init(root: SystemRoot = SystemRoot(), sampleCapacity: Int = 6000, eventCapacity: Int = 500_000) {
        self.root = root
        self.reader = SampleReader(root: root)
        self.sampleCapacity = sampleCapacity
        self.eventCapacity = eventCapacity
    }

    deinit { stopSampling() }

    /// Reads /proc/zoneinfo and /proc/vmstat once, stamped with `CLOCK_MONOTONIC`.
    public func readSample() throws(KernelError) -> Sample {
        readLock.lock()
        defer { readLock.unlock() }
        let time = Syscall.monotonicSeconds()
        let (zones, counters) = try reader.read()
        return Sample(time: time, zones: zones, counters: counters)
    }

    /// Takes one sample now and appends it (also used on demand, e.g. right before and after an allocation).
    @discardableResult
    public func sampleNow() -> Sample? {
        guard let s = try? readSample() else { return nil }
        append(sample: s)
        return s
    }

    /// Appends a sample, keeping the newest `sampleCapacity`.
    public func append(sample: Sample) {
        lock.withLock {
            samples.append(sample)
            if samples.count > sampleCapacity + sampleCapacity / 4 {
                let drop = samples.count - sampleCapacity
                samples.removeFirst(drop)
                droppedSamples += drop
            }
        }
    }

    /// The events that tell the story and are never dropped: `wakeup_kswapd()`, `kswapd()`'s wake and sleep
    /// (mm/vmscan.c), direct reclaim's begin and end, and the OOM killer's victim.
    public static let storyEvents: Set<String> = Set(
        [TracepointName.wakeupKswapd, .kswapdWake, .kswapdSleep, .directReclaimBegin, .directReclaimEnd, .markVictim]
            .map(\.rawValue))

    /// Every story event so far (`storyEvents`), oldest first: cheap to read while a lab runs.
    public func milestones() -> [TraceEvent] { lock.withLock { milestoneLog } }

    /// Places a marker now.
    public func mark(_ label: String) {
        let m = Marker(time: Syscall.monotonicSeconds(), label: label)
        lock.withLock { markers.append(m) }
    }

    /// Parses raw `trace_pipe` lines (from the trace instance's reader thread) into events.
    public func append(traceLines lines: [Substring]) {
        lock.withLock {
            for line in lines {
                var l = String(line)
                if let e = l.withUTF8({ bytes -> TraceEvent? in
                    if case .event(let e) = parser.classify(UnsafeRawBufferPointer(bytes)) { return e }
                    return nil
                }) {
                    events.append(e)
                    if Self.storyEvents.contains(e.name) { milestoneLog.append(e) }
                }
            }
            if events.count > eventCapacity + eventCapacity / 4 {
                let drop = events.count - eventCapacity
                let kept = events[..<drop].filter { Self.storyEvents.contains($0.name) }
                keptMilestones += kept
                events.removeFirst(drop)
                droppedEvents += drop - kept.count
            }
        }
    }

    /// Lines the parser could not read as events, and events the kernel's ring buffer reported lost.
    public var parserCounts: (parsed: Int, skipped: Int, lost: Int) {
        lock.withLock { (parser.parsed, parser.skipped, parser.lost) }
    }

    /// A copy of everything so far, as a `Timeline`.
    public func snapshot(machine: MachineDescription) -> Timeline {
        lock.withLock {
            Timeline(machine: machine, samples: samples, events: keptMilestones + events, markers: markers)
        }
    }

    /// Starts sampling every `interval` seconds on a background thread (once; later calls do nothing).
    public func startSampling(interval: Double = 0.1) {
        lock.withLock {
            guard sampler == nil else { return }
            samplerGeneration += 1
            let generation = samplerGeneration
            let thread = Thread { [weak self] in
                // Signals (Ctrl-C, SIGTERM) must reach the shell's thread, where they break its read.
                Syscall.blockSignals([SIGINT, SIGTERM, SIGHUP])
                while let self, self.lock.withLock({ self.samplerGeneration == generation }) {
                    self.sampleNow()
                    Thread.sleep(forTimeInterval: interval)
                }
            }
            thread.name = "swaplab-sampler"
            sampler = thread
            thread.start()
        }
    }

    /// Stops the sampler thread (it ends within one interval).
    public func stopSampling() {
        lock.withLock {
            samplerGeneration += 1
            sampler = nil
        }
    }
}

/// One sample's reads: /proc/zoneinfo and /proc/vmstat into one buffer kept between reads, parsed as bytes with
/// only what a sample keeps (each zone's snapshot, the `sampledCounters`). At 10 Hz this is the live engine's
/// steady cost, so it makes no String per line and no dictionary it would throw away.
struct SampleReader {
    let zoneinfoPath: String
    let vmstatPath: String
    let selection = VmstatSelection(LiveTimeline.sampledCounters)
    /// Grown to the larger file once, then reused.
    var buffer: [UInt8] = []

    init(root: SystemRoot) {
        zoneinfoPath = root.resolve("/proc/zoneinfo")
        vmstatPath = root.resolve("/proc/vmstat")
    }

    mutating func read() throws(KernelError) -> (zones: [ZoneSample], counters: [String: Int64]) {
        let zoneinfoPath = zoneinfoPath
        let vmstatPath = vmstatPath
        let selection = selection
        let zones = try readThenParse(zoneinfoPath) { bytes throws(KernelError) in
            try ZoneinfoParser.snapshots(bytes: bytes, path: zoneinfoPath).map(ZoneSample.init)
        }
        let counters = try readThenParse(vmstatPath) { bytes throws(KernelError) in
            try selection.counters(in: bytes, path: vmstatPath)
        }
        return (zones, counters)
    }

    /// Reads `path` whole into the buffer and parses its bytes.
    private mutating func readThenParse<T>(
        _ path: String, _ parse: (UnsafeRawBufferPointer) throws(KernelError) -> T
    ) throws(KernelError) -> T {
        let count: Int
        do {
            count = try Syscall.readWhole(path, into: &buffer)
        } catch {
            throw .unreadable(path: path, errno: error.errno)
        }
        let result = buffer.withUnsafeBytes { raw in
            Result { () throws(KernelError) -> T in try parse(UnsafeRawBufferPointer(rebasing: raw[0..<count])) }
        }
        return try result.get()
    }
}
