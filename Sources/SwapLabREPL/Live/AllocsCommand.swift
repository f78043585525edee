import ArgumentParser
import SwapLabModel
import SwapLabSimulator
import SwapLabKernel
import SwapLabAnalysis
import SwapLabExplain
import SwapLabCourse

/// `allocs [--json]`: the live hogs with their RSS and swap.
struct AllocsCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocs", abstract: "List the memory hogs with their RSS and swap (/proc/PID/status).")

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run(in session: Session) throws {
        try session.liveEngine().allocs(json: json, in: session)
    }
}
