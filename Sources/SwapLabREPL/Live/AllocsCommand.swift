import ArgumentParser
import Foundation
import SwapLabModel

/// `allocs [--json]`: this machine's hogs with their RSS and swap; on the simulator, its tasks.
struct AllocsCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocs",
        abstract: "List the memory hogs with their RSS and swap (live: /proc/PID/status; sim: mlocked too).")

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run(in session: Session) throws {
        let out = session.output
        if session.engine == .sim {
            guard !json else { throw ShellError.usage("on the simulator `status --json` lists the tasks") }
            let tasks = try session.activeEngine().status().tasks
            session.report(lines: { out, w in Self.simulated(tasks, to: out, w) })
            return
        }
        if json {
            out.line(LiveJSON.allocs(session.thisMachine().hogs()).text)
            return
        }
        let rows = session.thisMachine().hogs()
        if rows.isEmpty {
            out.line("no hogs (start one with: alloc SIZE)")
            return
        }
        let f = Quantity.format(bytes:)
        Self.table(
            ["NAME", "PID", "SIZE", "RSS", "SWAP", "FILL"],
            rows.map {
                [
                    $0.name, String($0.pid), f(($0.requested ?? .zero).bytes), f($0.resident.bytes),
                    f($0.swapped.bytes), $0.fill?.rawValue ?? "",
                ]
            }, to: out)
    }
}

extension AllocsCommand {
    /// The simulator's tasks holding memory: resident, swapped and mlocked pages.
    static func simulated(_ tasks: [TaskStatus], to out: Output, _ w: Words = .en) {
        let alive = tasks.filter(\.state.isAlive)
        guard !alive.isEmpty else {
            out.line(
                w(
                    "no tasks (start one with: alloc SIZE, or alloc SIZE --mlock)",
                    "task가 없습니다 (alloc SIZE 또는 alloc SIZE --mlock으로 시작하세요)"))
            return
        }
        let f = Quantity.format(bytes:)
        table(
            ["NAME", "PID", "RSS", "SWAP", "MLOCKED", "STATE"],
            alive.map {
                [
                    $0.name, String($0.pid), f($0.resident.bytes), f($0.swapped.bytes), f(($0.locked ?? .zero).bytes),
                    EngineText.stateWord($0.state, w),
                ]
            }, to: out)
    }

    /// The hogs' table, on either engine: NAME and PID, three sizes, and a last column as wide as it is.
    static func table(_ headers: [String], _ rows: [[String]], to out: Output) {
        let widths = [10, 9, 12, 12, 12]
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { column($0, $1) }.joined() + (cells.last ?? "")
        }
        out.line(out.styled(line(headers), .bold))
        for r in rows { out.line(line(r)) }
    }
}
