import ArgumentParser
import Foundation
import SwapLabKernel

/// `restore`: undo what a killed swaplab left behind (journals of processes that are gone).
struct RestoreCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Undo what an interrupted swaplab left behind (sysctls, swapfiles, tracefs instances, mounts).")

    func run(in session: Session) throws {
        let out = session.output
        let reports = RestoreJournal.restoreAbandoned(in: session.stateDirectory)
        if reports.isEmpty {
            out.line("nothing to restore: no journal left in \(session.stateDirectory.path)")
            return
        }
        var left = 0
        for r in reports {
            if r.ownerAlive {
                out.line("swaplab pid \(r.ownerPID) is still running; its changes are its own to undo (left alone)")
                continue
            }
            out.line("journal of swaplab pid \(r.ownerPID) (no longer running):")
            if r.outcomes.isEmpty { out.line("  nothing was pending") }
            for o in r.outcomes {
                out.line("  " + o.description)
                if o.result == .left { left += 1 }
            }
        }
        if left > 0 { throw ShellError.failed("\(left) change(s) were left as they are; see above") }
    }
}
