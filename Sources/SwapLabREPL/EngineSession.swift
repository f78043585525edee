import Foundation
import SwapLabKernel
import SwapLabModel

/// How commands reach the engines through the session. The selected engine is `activeEngine()`; what only one
/// engine can do is reached through its capability, after the shell has checked the command's `engines`.
extension Session {
    /// The engine the commands act on.
    public func activeEngine() -> any Engine {
        switch engine {
        case .sim: return simulatorEngine
        case .live: return liveEngine()
        }
    }

    /// The selected engine's simulated clock. The shell runs a command whose `engines` is `.sim` only on the
    /// simulator, so this throws only when a command forgot to say so.
    func simulatedClock(for command: String) throws -> any SimulatedClock {
        guard let clock = activeEngine() as? any SimulatedClock else {
            throw ShellError.needsEngine(EngineKind.sim.rawValue, command: command)
        }
        return clock
    }

    /// This machine's kernel, whichever engine is selected: `trace`, `swap`, `allocs` and the lab act on it.
    func thisMachine() -> any ThisMachine { liveEngine() }

    /// The live engine, created on first use; its timeline is registered as the live provider.
    public func liveEngine() -> LiveEngine {
        if let live { return live }
        let engine = LiveEngine(stateDirectory: stateDirectory, root: systemRoot)
        attach(engine)
        live = engine
        timelineProviders[.live] = { [unowned self, unowned engine] in
            // The lab traces and samples on its own while it runs or is prepared; its timeline joins this one.
            let lab = engine.preparedLabTimeline ?? self.labTimeline
            return engine.timeline().merging(lab)
        }
        return engine
    }

    /// Makes `engine` speak through this session: its notices are printed as they come, and Ctrl-C stops its long
    /// calls.
    func attach(_ engine: any Engine) {
        engine.notify = { [unowned self] notice in
            self.output.line(EngineText.notice(notice, output: self.output, self.words))
        }
        engine.interrupted = { [unowned self] in self.interrupted }
    }

    /// Undoes everything the live engine did (hogs, tracing, sysctls, swap, mounts). Called on every exit path
    /// of the shell: quit, Ctrl-D, SIGTERM/SIGHUP (via `LiveCleanup`) and errors.
    public func cleanup() {
        guard let live else { return }
        for line in live.cleanup() { output.line("restore: " + line) }
    }
}

/// Sizes, rates and durations as learners type them, with the shell's error wording.
enum SimArguments {
    /// `2G`, `300M`, … as pages (rounded down; at least one page).
    static func pages(_ text: String, option: String) throws(ShellError) -> Pages {
        let bytes = try Quantity.bytesForShell(text, option: option)
        guard bytes >= Pages.size else {
            throw ShellError.usage(
                (
                    "\(option): '\(text)' is less than one page (4096 bytes); give at least 4K",
                    "\(option): '\(text)'은(는) 한 페이지(4096바이트)보다 작습니다. 4K 이상을 주세요"
                ))
        }
        return Pages(bytes: bytes)
    }

    /// Like `pages` but allows zero in any unit (`--swap 0`, `--swap 0G`).
    static func pagesOrZero(_ text: String, option: String) throws(ShellError) -> Pages {
        if Quantity.isZero(text) { return .zero }
        return try pages(text, option: option)
    }

    /// `200M/s` or `200M` as pages a second.
    static func rate(_ text: String) throws(ShellError) -> Double {
        var t = text.trimmingCharacters(in: .whitespaces)
        if t.lowercased().hasSuffix("/s") { t = String(t.dropLast(2)) }
        let bytes: Int64
        do { bytes = try Quantity.bytes(t) } catch {
            throw ShellError.usage(
                (
                    "--rate: \(error.description); write a rate like 200M/s",
                    "--rate: \(error.ko). 속도는 200M/s처럼 쓰세요"
                ))
        }
        return Double(bytes) / Double(Pages.size)
    }

    /// `2s`, `500ms`, … in seconds, at most a day.
    static func duration(_ text: String) throws(ShellError) -> Double {
        let s: Double
        do { s = try Quantity.seconds(text) } catch { throw ShellError.usage((error.description, error.ko)) }
        guard s >= 0, s <= 86_400 else {
            throw ShellError.usage(
                (
                    "'\(text)' is out of range; give a duration between 0 and 24h",
                    "'\(text)'은(는) 범위를 벗어났습니다. 0부터 24h 사이의 시간을 주세요"
                ))
        }
        return s
    }
}
