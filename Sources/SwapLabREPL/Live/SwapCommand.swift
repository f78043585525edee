import ArgumentParser
import SwapLabModel
import SwapLabSimulator
import SwapLabKernel
import SwapLabAnalysis
import SwapLabExplain
import SwapLabCourse

/// `swap [--json]`, `swap on SIZE`, `swap off`: this machine's swap devices, and a swapfile swaplab manages.
struct SwapCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "swap",
        abstract: "Show swap devices and use; `swap on SIZE` adds a swapfile, `swap off` removes it.",
        subcommands: [SwapOnCommand.self, SwapOffCommand.self])

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run(in session: Session) throws {
        try session.liveEngine().swapShow(json: json, in: session)
    }
}

/// `swap on SIZE`.
struct SwapOnCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "on", abstract: "Create a swapfile of SIZE in /var/lib/swaplab and swap on to it (needs root).")

    @Argument(help: "Size, e.g. 1G or 512M.")
    var size: String

    func run(in session: Session) throws {
        try session.require(.live, for: "swap on")
        let bytes: Int64
        do { bytes = try Quantity.bytes(size) } catch { throw ShellError.usage(error.description) }
        try session.liveEngine().swapOn(bytes: bytes, in: session)
    }
}

/// `swap off`.
struct SwapOffCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "off", abstract: "Swap off and remove the swapfiles swaplab created (nothing else).")

    func run(in session: Session) throws {
        try session.liveEngine().swapOff(in: session)
    }
}
