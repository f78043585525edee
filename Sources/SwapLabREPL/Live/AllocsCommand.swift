import ArgumentParser
import Foundation
import SwapLabModel

/// `allocs [--json]`: this machine's hogs with their RSS and swap.
struct AllocsCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocs", abstract: "List the memory hogs with their RSS and swap (/proc/PID/status).")

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    /// One hog as `allocs --json` prints it, sizes in bytes.
    struct Row: Codable {
        var name: String
        var pid: Int
        var size: Int64
        var rss: Int64
        var swap: Int64
        var fill: String
    }

    func run(in session: Session) throws {
        let out = session.output
        let rows = session.thisMachine().hogs().map {
            Row(
                name: $0.name, pid: $0.pid, size: ($0.requested ?? .zero).bytes, rss: $0.resident.bytes,
                swap: $0.swapped.bytes, fill: $0.fill?.rawValue ?? "")
        }
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.sortedKeys]
            out.line(String(decoding: try enc.encode(rows), as: UTF8.self))
            return
        }
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
                column(r.name, 10) + column(String(r.pid), 9) + column(f(r.size), 12) + column(f(r.rss), 12)
                    + column(f(r.swap), 12) + r.fill)
        }
    }
}
