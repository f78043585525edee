import ArgumentParser
import Foundation
import SwapLabModel

/// `swap [--json]`, `swap on SIZE`, `swap off`: this machine's swap devices, and a swapfile swaplab manages.
struct SwapCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "swap",
        abstract: "Show swap devices and use; `swap on SIZE` adds a swapfile, `swap off` removes it.",
        subcommands: [SwapOnCommand.self, SwapOffCommand.self])

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run(in session: Session) throws {
        let devices = try session.thisMachine().swapDevices()
        let out = session.output
        if json {
            out.line(LiveJSON.swap(devices).text)
            return
        }
        let size = EngineText.size
        // `swap` reads this machine on either engine; on the simulator, first say what the simulated machine has,
        // so "no swap" about this machine is not taken for the simulated one.
        if session.engine == .sim, session.simulator != nil {
            let s = try session.activeEngine().status()
            session.report { w in
                w(
                    "simulated machine: \(size(s.swapTotal)) of swap, \(size(s.swapUsed)) used (`status`)",
                    "시뮬레이션 머신: swap \(size(s.swapTotal)) 중 \(size(s.swapUsed)) 사용 (`status`)")
            }
            session.report { w in w("this machine:", "이 컴퓨터:") }
        }
        if devices.isEmpty {
            session.report { w in
                w(
                    "no swap is on: anonymous pages cannot be reclaimed (try: swap on 1G)",
                    "켜진 swap이 없습니다. 익명 페이지를 회수할 수 없습니다 (예: swap on 1G)")
            }
            return
        }
        out.line(
            out.styled(
                column("DEVICE", 40) + column("TYPE", 11) + column("SIZE", 12) + column("USED", 12) + "PRIO", .bold))
        for d in devices {
            out.line(
                column(d.path, 40) + column(d.type, 11) + column(size(d.size), 12) + column(size(d.used), 12)
                    + String(d.priority) + (d.isSwaplabs ? "  (swaplab's)" : ""))
        }
    }
}

/// `swap on SIZE`.
struct SwapOnCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "on", abstract: "Create a swapfile of SIZE in /var/lib/swaplab and swap on to it (needs root).")
    static let engines = EngineChoice.live

    @Argument(help: "Size, e.g. 1G or 512M.")
    var size: String

    func run(in session: Session) throws {
        let bytes = try Quantity.bytes(size)
        let path = try session.thisMachine().swapOn(size: Pages(bytes: bytes))
        session.output.line("swap on: \(path) (\(Quantity.format(bytes: bytes)), mode 0600); `swap off` removes it")
    }
}

/// `swap off`.
struct SwapOffCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "off", abstract: "Swap off and remove the swapfiles swaplab created (nothing else).")

    func run(in session: Session) throws {
        let lines = session.thisMachine().swapOff()
        if lines.isEmpty {
            session.output.line("swaplab has turned on no swap in this session; other swap devices are left alone")
        }
        for line in lines { session.output.line(line) }
    }
}

/// A table cell of `width` columns: the text padded by display width, with at least one space after it.
func column(_ text: String, _ width: Int) -> String { DisplayWidth.pad(text, to: width - 1) + " " }
