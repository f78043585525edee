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
            try Self.simulated(try session.activeEngine().status().tasks, to: out)
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
        out.line(
            out.styled(
                column("NAME", 10) + column("PID", 9) + column("SIZE", 12) + column("RSS", 12) + column("SWAP", 12)
                    + "FILL", .bold))
        for r in rows {
            out.line(
                column(r.name, 10) + column(String(r.pid), 9) + column(f((r.requested ?? .zero).bytes), 12)
                    + column(f(r.resident.bytes), 12) + column(f(r.swapped.bytes), 12) + (r.fill?.rawValue ?? ""))
        }
    }
}

extension AllocsCommand {
    /// The simulator's tasks holding memory: resident, swapped and mlocked pages.
    static func simulated(_ tasks: [TaskStatus], to out: Output) throws {
        let alive = tasks.filter(\.state.isAlive)
        guard !alive.isEmpty else {
            out.line("no tasks (start one with: alloc SIZE, or alloc SIZE --mlock)")
            return
        }
        let f = Quantity.format(bytes:)
        out.line(
            out.styled(
                column("NAME", 10) + column("PID", 9) + column("RSS", 12) + column("SWAP", 12) + column("MLOCKED", 12)
                    + "STATE", .bold))
        for t in alive {
            out.line(
                column(t.name, 10) + column(String(t.pid), 9) + column(f(t.resident.bytes), 12)
                    + column(f(t.swapped.bytes), 12) + column(f((t.locked ?? .zero).bytes), 12) + t.state.rawValue)
        }
    }
}
