import ArgumentParser
import SwapLabModel
import SwapLabSimulator
import SwapLabKernel
import SwapLabAnalysis
import SwapLabExplain
import SwapLabCourse

/// `trace on|off|show|stats`: vmscan and oom events from this kernel, in a private tracefs instance.
struct TraceCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Trace this kernel's reclaim events in a private tracefs instance (on, off, show, stats).",
        subcommands: [TraceOnCommand.self, TraceOffCommand.self, TraceShowCommand.self, TraceStatsCommand.self])

    func run(in session: Session) throws {
        try session.liveEngine().traceStats(in: session)
    }
}

/// `trace on [EVENTS…]`.
struct TraceOnCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "on", abstract: "Start tracing (default: the vmscan and oom events; needs root).")

    @Argument(help: "Event systems or events: vmscan, oom, vmscan/mm_vmscan_kswapd_wake, oom:mark_victim.")
    var events: [String] = []

    func run(in session: Session) throws {
        try session.require(.live, for: "trace on")
        try session.liveEngine().traceOn(events: events, in: session)
    }
}

/// `trace off`.
struct TraceOffCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "off", abstract: "Stop tracing and remove the instance.")

    func run(in session: Session) throws {
        try session.liveEngine().traceOff(in: session)
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
        try session.liveEngine().traceShow(last: last, raw: raw, in: session)
    }
}

/// `trace stats`.
struct TraceStatsCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Lines read and events lost (per_cpu/*/stats).")

    func run(in session: Session) throws {
        try session.liveEngine().traceStats(in: session)
    }
}
