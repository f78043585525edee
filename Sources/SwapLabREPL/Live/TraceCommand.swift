import ArgumentParser
import Foundation
import SwapLabModel

/// `trace on|off|show|stats`: vmscan and oom events from this kernel, in a private tracefs instance.
struct TraceCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Trace this kernel's reclaim events in a private tracefs instance (on, off, show, stats).",
        subcommands: [TraceOnCommand.self, TraceOffCommand.self, TraceShowCommand.self, TraceStatsCommand.self])

    func run(in session: Session) throws {
        try TraceStatsCommand().run(in: session)
    }
}

/// `trace on [EVENTS…]`.
struct TraceOnCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "on", abstract: "Start tracing (default: the vmscan and oom events; needs root).")
    static let engines = EngineChoice.live

    @Argument(help: "Event systems or events: vmscan, oom, vmscan/mm_vmscan_kswapd_wake, oom:mark_victim.")
    var events: [String] = []

    func run(in session: Session) throws {
        let t = try session.thisMachine().traceOn(events: events)
        session.output.line(
            "tracing \(t.events.joined(separator: ", ")) in \(t.path) (trace_clock=mono, 16 MiB per CPU); the global "
                + "buffer is untouched")
    }
}

/// `trace off`.
struct TraceOffCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "off", abstract: "Stop tracing and remove the instance.")

    func run(in session: Session) throws {
        guard let stop = try session.thisMachine().traceOff() else {
            session.output.line("tracing is off")
            return
        }
        session.output.line("tracing off: \(stop.linesRead) lines read; instance removed")
        for line in stop.leftBehind { session.output.line("  " + line) }
    }
}

/// `trace show [--last N] [--raw]`.
struct TraceShowCommand: ShellCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the last trace lines.")

    @Option(name: .long, help: "How many lines.")
    var last: Int = 20

    @Flag(name: .long, help: "The lines as trace_pipe printed them.")
    var raw = false

    func run(in session: Session) throws {
        let lines = try session.thisMachine().traceLines(last: last)
        if lines.isEmpty { session.output.line("no trace lines yet (events appear when reclaim happens)") }
        for l in lines { session.output.line(l) }
    }
}

/// `trace stats`.
struct TraceStatsCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Lines read and events lost (per_cpu/*/stats).")

    func run(in session: Session) throws {
        let s = try session.thisMachine().traceStats()
        let out = session.output
        out.line("instance:    \(s.path)\(s.running ? "" : " (removed)")")
        out.line("lines read:  \(s.lines) (\(Quantity.format(bytes: s.bytes)))")
        if let loss = s.loss {
            out.line(
                "lost events: \(loss.lost) (overrun \(loss.overrun), commit overrun \(loss.commitOverrun), dropped "
                    + "\(loss.dropped))")
            out.line("unread:      \(loss.unread)")
        }
    }
}
