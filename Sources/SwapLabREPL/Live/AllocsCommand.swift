import ArgumentParser
import Foundation
import SwapLabModel

/// `allocs [--json]`: this machine's hogs with their RSS and swap.
struct AllocsCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocs", abstract: "List the memory hogs with their RSS and swap (/proc/PID/status).")

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run(in session: Session) throws {
        let out = session.output
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
