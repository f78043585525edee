/// Which engine a session acts on, as the shell and the lessons name it (`engine sim`, `engine: live`).
public enum EngineKind: String, CaseIterable, Sendable, Codable {
    /// The built-in reclaim simulator.
    case sim
    /// The real kernel of this machine.
    case live

    /// What the engine is, in the learner's words.
    public var summary: String {
        switch self {
        case .sim: return "the built-in reclaim simulator"
        case .live: return "this machine's kernel"
        }
    }
}

/// Which engines something runs on: a shell command (`ShellCommand.engines`) or a lesson step (`engine:`).
public enum EngineChoice: String, CaseIterable, Sendable, Codable {
    case sim, live, both

    /// Whether something with this choice runs on `engine`.
    public func allows(_ engine: EngineKind) -> Bool {
        self == .both || rawValue == engine.rawValue
    }
}

/// The clock an engine's times are on.
public enum EngineClock: Sendable, Hashable {
    /// The simulator's virtual clock: it moves only while the simulator runs.
    case simulated
    /// `CLOCK_MONOTONIC`, the clock the private trace instance stamps events with (`trace_clock=mono`).
    case monotonic

    /// The name shown after a time on this clock, or nil when the engine's name says it.
    public var name: String? { self == .monotonic ? "CLOCK_MONOTONIC" : nil }
}

/// A failure an engine reports, already worded for the learner (what went wrong and what to do next). The shell
/// renders it in the one place it renders its own errors.
public enum EngineError: LearnerError, Sendable {
    /// The request cannot be right (no task of that name, a name that is taken).
    case invalid(String)
    /// Something on the machine is missing (root, tracefs, swap); the text says what and what to do.
    case unavailable(String)
    /// Any other failure.
    case failed(String)
    /// A failure worded in both languages (the simulator's errors).
    case said(en: String, ko: String)

    public var problem: String {
        switch self {
        case .invalid(let s), .unavailable(let s), .failed(let s): return s
        case .said(let en, _): return en
        }
    }

    public var description: String { problem }
}

extension EngineError: SaidInKorean {
    public var sentenceKo: String? {
        if case .said(_, let ko) = self { return ko }
        return nil
    }
}

/// Something an engine says while it works, before its result: the shell shows each at once.
public enum EngineNotice: Sendable, Hashable {
    /// A task has written `done` of `total` (the live hog reports every 10 %).
    case progress(task: String, done: Pages, total: Pages)
    /// The simulator built the course machine, described by `summary`, because no machine was there yet (the
    /// engine made something the learner did not ask for).
    case madeCourseMachine(summary: String)
    /// Going ahead against advice (`alloc --force` below the floor).
    case warning(String)
    /// Something happened outside the command (a hog ended, e.g. OOM-killed).
    case note(String)
}

/// Reclaim as the learner drives it, on either engine: the timeline, the machine's state, its counters, tasks that
/// allocate, read back and free memory, and markers. Commands talk to `any Engine` and render the values it returns;
/// an engine never prints. What only one engine can do is a capability (`SimulatedClock`, `ThisMachine`).
public protocol Engine: AnyObject {
    /// Which engine this is.
    var kind: EngineKind { get }
    /// The clock of its times.
    var clock: EngineClock { get }
    /// Where the engine reports while it works; the shell sets it to print each notice at once.
    var notify: (EngineNotice) -> Void { get set }
    /// Polled during long calls (`allocate`, `touch`, `run`); true stops them. The shell sets it to Ctrl-C's flag.
    var interrupted: () -> Bool { get set }

    /// Everything so far: samples, trace events and markers.
    func timeline() throws(EngineError) -> Timeline
    /// The machine now: zones against their watermarks, kswapd, swap, tasks.
    func status() throws(EngineError) -> EngineStatus
    /// /proc/vmstat counters now and their change since the last mark.
    func counters() throws(EngineError) -> CounterReport
    /// The trace events recorded so far.
    func eventLog() throws(EngineError) -> EventLog
    /// The zones `watermarks` shows; nil while the engine has no machine (the simulator before its first command).
    func zoneReading() throws(EngineError) -> ZoneReading?
    /// Memory pressure (PSI), where the engine has it.
    func memoryPressure() -> MemoryPressure

    /// A task writes `request.size` of anonymous memory, every page; returns when it is done, stopped or killed.
    func allocate(_ request: AllocationRequest) throws(EngineError) -> AllocationOutcome
    /// Task `name` reads every page back (swapped pages are swapped in).
    func touch(name: String) throws(EngineError) -> TouchOutcome
    /// Task `name` (or every task, for `all`) exits and its memory is freed.
    func release(name: String) throws(EngineError) -> ReleaseOutcome
    /// A marker on the timeline; counter deltas count from here.
    func mark(_ label: String) throws(EngineError) -> MarkOutcome

    /// `watch` is about to draw frames.
    func beginWatching()
    /// One frame's interval of `seconds` passed while watching.
    func watchInterval(_ seconds: Double)
    /// `watch` has stopped.
    func endWatching()
}

extension Engine {
    public func beginWatching() {}
    public func watchInterval(_ seconds: Double) {}
    public func endWatching() {}
}

/// The simulator's own clock and machine: time passes only when asked, the machine is made to order, and it can
/// start again. Only the simulator has it.
public protocol SimulatedClock: Engine {
    /// Makes the machine `request` describes, replacing the one there was.
    func makeMachine(_ request: MachineRequest) throws(EngineError) -> MachineOutcome
    /// The same machine, back to time 0 with the sysctls it was made with.
    func reset() throws(EngineError) -> MachineOutcome
    /// Lets `seconds` of simulated time pass (less when interrupted).
    func run(seconds: Double) throws(EngineError) -> RunOutcome
    /// A reader (or with `dirty`, a writer) fills the page cache with `size`; returns when done or stopped.
    func fillCache(_ size: Pages, dirty: Bool) throws(EngineError) -> CacheOutcome
    /// `cat` reads the whole of file `name` (`size` long, given the first time): its pages in the page cache are
    /// accessed again, the others read from disk (refaults where they left a shadow); returns when done or stopped.
    func readFile(name: String, size: Pages?) throws(EngineError) -> FileReadOutcome
    /// The value of `name` on the simulated machine now.
    func sysctl(name: VMSysctlName) throws(EngineError) -> Int64
    /// Writes `name` on the running machine as a write to /proc/sys/vm does: a value outside the kernel's range is
    /// refused (with the range); the watermarks are recomputed (`__setup_per_zone_wmarks()`) when `name` sets them.
    /// The next step allocates and reclaims against the new values.
    func setSysctl(name: VMSysctlName, value: Int64) throws(EngineError) -> SysctlChange
}

/// This machine's kernel: the private trace instance, swap devices and the hogs. Every change it makes is journaled
/// and undone on exit. The lab (`lab run`) works on its journal.
public protocol ThisMachine: Engine {
    /// Starts tracing `events` (default: vmscan and oom) in a private tracefs instance.
    func traceOn(events: [String]) throws(EngineError) -> TraceStart
    /// Stops tracing and removes the instance; nil when tracing was off.
    func traceOff() throws(EngineError) -> TraceStop?
    /// The last `count` raw trace lines.
    func traceLines(last count: Int) throws(EngineError) -> [String]
    /// Lines read and events lost.
    func traceStats() throws(EngineError) -> TraceStats
    /// The swap devices of /proc/swaps.
    func swapDevices() throws(EngineError) -> [SwapDevice]
    /// Creates a swapfile of `size` and swaps on to it; returns its path.
    func swapOn(size: Pages) throws(EngineError) -> String
    /// Swaps off and removes the swapfiles swaplab created; one line per thing undone (empty: there were none).
    func swapOff() -> [String]
    /// The hogs alive, with what /proc/PID/status says they hold.
    func hogs() -> [TaskStatus]
    /// Ends every hog, stops tracing and undoes every journaled change; one line per thing done.
    func cleanup() -> [String]
    /// The lab in one go (docs/lab.md): set up, the hog's story, everything restored; a line per step to `progress`.
    func runLab(_ options: LabOptions, progress: @escaping @Sendable (String) -> Void) -> LabRun
    /// `lab prepare`: the lab set up for step-by-step lessons until `restoreLab()`; its timeline so far.
    func prepareLab(
        _ options: LabOptions, progress: @escaping @Sendable (String) -> Void
    ) throws(EngineError)
        -> Timeline?
    /// `lab restore`: what the prepared lab recorded and whether everything was put back; nil when none is prepared.
    func restoreLab() -> (timeline: Timeline?, restored: Bool)?
    /// Whether a lab is prepared.
    var labPrepared: Bool { get }
}
