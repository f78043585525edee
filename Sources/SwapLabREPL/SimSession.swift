import Foundation
import SwapLabModel
import SwapLabSimulator
import SwapLabKernel
import SwapLabAnalysis
import SwapLabExplain
import SwapLabCourse

/// How the sim commands reach the simulator through the session.
extension Session {
    /// The simulator, creating the course machine (4 GiB RAM, 2 GiB swap) and saying so in one line if none exists.
    func simulatorForCommand() throws -> Simulator {
        if let simulator { return simulator }
        let sim = try simulatorResult { () throws(SimulatorError) in try Simulator(config: .course()) }
        installSimulator(sim)
        output.line("no machine yet: created the course machine (\(sim.config.summary)); change it with `machine`")
        return sim
    }

    /// Makes `sim` the session's machine and registers its timeline for `explain`, `chart` and lesson checks.
    func installSimulator(_ sim: Simulator) {
        simulator = sim
        timelineProviders[.sim] = { [sim] in sim.timeline() }
        // `watch` runs the simulated clock forward while it draws (on the live engine real time passes anyway).
        advance = { [weak self, sim] seconds in
            if self?.engine == .sim { sim.run(seconds: seconds) }
        }
    }
}

/// Runs a simulator call and turns its typed error into the shell's.
func simulatorResult<T>(_ body: () throws(SimulatorError) -> T) throws(ShellError) -> T {
    do {
        return try body()
    } catch {
        throw ShellError.failed(error.description)
    }
}

/// Sizes, rates and durations as learners type them, with the shell's error wording.
enum SimArguments {
    /// `2G`, `300M`, … as pages (rounded down; at least one page).
    static func pages(_ text: String, option: String) throws(ShellError) -> Pages {
        let bytes: Int64
        do { bytes = try Quantity.bytes(text) } catch { throw ShellError.usage("\(option): \(error.description)") }
        guard bytes >= Pages.size else {
            throw ShellError.usage("\(option): '\(text)' is less than one page (4096 bytes); give at least 4K")
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
            throw ShellError.usage("--rate: \(error.description); write a rate like 200M/s")
        }
        return Double(bytes) / Double(Pages.size)
    }

    /// `2s`, `500ms`, … in seconds, at most a day.
    static func duration(_ text: String) throws(ShellError) -> Double {
        let s: Double
        do { s = try Quantity.seconds(text) } catch { throw ShellError.usage(error.description) }
        guard s >= 0, s <= 86_400 else {
            throw ShellError.usage("'\(text)' is out of range; give a duration between 0 and 24h")
        }
        return s
    }

    /// Pages as `123 MiB`.
    static func size(_ p: Pages) -> String { Quantity.format(bytes: p.bytes) }
    static func size(_ pages: Int64) -> String { Quantity.format(bytes: pages * Pages.size) }
}
