import ArgumentParser
import Foundation
import SwapLabKernel
import SwapLabModel

/// `sleep DURATION`: wait, stopping early on Ctrl-C. Handy between live steps ("alloc 1G; sleep 2s; watermarks")
/// and the way the terminal tests prove that Ctrl-C stops a running command.
struct SleepCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "sleep", abstract: "Wait for a while (e.g. sleep 2s, sleep 500ms); Ctrl-C stops waiting.")

    @Argument(help: "How long: 2s, 500ms, 1.5 (seconds), at most 1h.")
    var duration: String

    @Flag(name: .long, help: "Say nothing when Ctrl-C stops the wait.")
    var quiet = false

    /// How often the interrupt flag is polled.
    static let pollInterval = 0.020

    func run(in session: Session) throws {
        let seconds: Double
        do {
            seconds = try Quantity.seconds(duration)
        } catch {
            throw ShellError.usage(error.description)
        }
        guard seconds >= 0, seconds <= 3600 else {
            throw ShellError.usage("sleep takes 0s to 1h, not \(duration)")
        }
        let start = Date()
        while !session.interrupted {
            let left = seconds - Date().timeIntervalSince(start)
            if left <= 0 { return }
            let step = min(left, SleepCommand.pollInterval)
            Syscall.nap(seconds: step)  // ends early on Ctrl-C: the loop looks at the flag at once
        }
        if !quiet {
            session.output.line(String(format: "sleep: interrupted after %.1f s", Date().timeIntervalSince(start)))
        }
    }
}
