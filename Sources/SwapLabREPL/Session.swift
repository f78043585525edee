import Foundation
import SwapLabCourse
import SwapLabExplain
import SwapLabKernel
import SwapLabModel
import SwapLabSimulator

/// Everything a shell session holds: the engine in use, the output, the engines, and where files live.
/// One per shell; commands get it in `run(in:)` and reach the engine through `activeEngine()`.
public final class Session {
    /// The engine the commands act on; `engine sim|live` sets it.
    public var engine: EngineKind = .sim
    public let output: Output
    /// The root of /proc and /sys (normally `/`); tests point it at captured files.
    public var systemRoot: String
    /// Where history, progress and the restore journal are kept (`$XDG_STATE_HOME/swaplab`).
    public let stateDirectory: URL
    /// The language the learner reads: the course's `lang` (saved with progress), else the environment's.
    public var language: Language = Language.fromEnvironment(ProcessInfo.processInfo.environment)
    /// Set by `quit`/`exit`: the shell stops after the current line.
    public var wantsQuit = false
    /// Set by the Ctrl-C handler; long-running commands poll `interrupted` and stop.
    public let interrupt: InterruptFlag

    /// A recording loaded with `replay`: while set, `explain` and `chart` read it instead of the engine.
    public var replay: Timeline?
    /// How each engine hands over its timeline so far; the engine's part registers itself here.
    public var timelineProviders: [EngineKind: () throws -> Timeline] = [:]

    // Engine state. Each part keeps its own stored property here, one line each.
    /// The course: lessons, the current step and progress (created when the shell starts).
    public var course: CourseSession?
    /// The simulator engine; its machine is made by `machine`, or the course machine by the first sim command.
    public let simulatorEngine = SimulatorEngine()
    /// The live engine (journal, tracing, hogs, swap), created by `liveEngine()` on first use.
    public var live: LiveEngine?
    /// The last lab's timeline (samples, trace events, markers per phase), for `explain` and `chart` after `lab run`.
    public var labTimeline: Timeline?
    /// The last `lab run --compare`: this machine's run and the simulator's, for `chart` and `explain` on the live
    /// engine; cleared by the next lab command.
    public var labComparison: RunComparison?

    public init(
        output: Output, systemRoot: String = "/", stateDirectory: URL = Session.defaultStateDirectory(),
        interrupt: InterruptFlag = InterruptFlag()
    ) {
        self.output = output
        self.systemRoot = systemRoot
        self.stateDirectory = stateDirectory
        self.interrupt = interrupt
        attach(simulatorEngine)
        simulatorEngine.onMachine = { [unowned self] sim in
            self.timelineProviders[.sim] = { [sim] in sim.timeline() }
        }
    }

    /// The simulated machine, once there is one.
    public var simulator: Simulator? { simulatorEngine.simulator }

    /// The timeline that `explain`, `chart`, `record` and lesson checks read: a replayed recording if one is
    /// loaded, else the current engine's.
    public func currentTimeline() throws -> Timeline {
        if let replay { return replay }
        guard let provider = timelineProviders[engine] else {
            var e = ShellError.unavailable(
                "the \(engine.rawValue) engine has no timeline yet; run something first (e.g. alloc 1G; run 2s)")
            e.problemKo =
                "\(engine.rawValue) 엔진에는 아직 타임라인이 없습니다; 먼저 무언가를 실행하세요 (예: alloc 1G; run 2s)"
            throw e
        }
        return try provider()
    }

    /// True once Ctrl-C was pressed during the current command.
    public var interrupted: Bool { interrupt.isSet }

    /// `$XDG_STATE_HOME/swaplab`, default `~/.local/state/swaplab`.
    public static func defaultStateDirectory(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL {
        if let xdg = environment["XDG_STATE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("swaplab")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/state/swaplab")
    }
}

/// A flag set from a signal handler and polled by long-running commands.
public final class InterruptFlag: @unchecked Sendable {
    private let storage = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: 1)

    public init() { storage.initialize(to: 0) }
    deinit { storage.deallocate() }

    public var isSet: Bool { storage.pointee != 0 }
    public func set() { storage.pointee = 1 }
    public func clear() { storage.pointee = 0 }
    /// The raw cell, for a C signal handler that may only store to it.
    public var cell: UnsafeMutablePointer<sig_atomic_t> { storage }
}
