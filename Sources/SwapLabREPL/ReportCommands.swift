import ArgumentParser

/// `status [--json]`: the machine now: zones, kswapd, swap and tasks.
struct StatusCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the machine now: zones and watermarks, kswapd, swap and tasks.")

    @Flag(help: "Print JSON with stable keys.") var json = false

    func run(in session: Session) throws {
        let status = try session.activeEngine().status()
        if json {
            session.output.line(StatusJSON.document(status).text)
        } else {
            session.report { out, w in EngineText.status(status, to: out, w) }
        }
    }
}

/// `vmstat [--json]`: the /proc/vmstat counters and their deltas since the last `mark`.
struct VmstatCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "vmstat", abstract: "Show /proc/vmstat counters and their change since the last mark.")

    @Flag(help: "Print JSON with stable keys.") var json = false

    func run(in session: Session) throws {
        let report = try session.activeEngine().counters()
        if json {
            session.output.line(VmstatJSON.document(report).text)
        } else {
            session.report { out, w in EngineText.counters(report, to: out, w) }
        }
    }
}

/// `events [--last N]`: the trace, as trace_pipe prints it.
struct EventsCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Print the trace in trace_pipe format: the simulated one, or this kernel's while tracing.")

    @Option(help: "Only the last N events (default 40).") var last: Int = 40
    @Flag(help: "Every event.") var all = false
    @Flag(name: .customLong("milestones"), help: "Leave out write_folio and lru_shrink_inactive lines.")
    var milestonesOnly = false

    func run(in session: Session) throws {
        guard last >= 0 else { throw ShellError.usage("--last takes a count of 0 or more, not \(last)") }
        let log = try session.activeEngine().eventLog()
        EngineText.events(
            log, last: last, all: all, milestonesOnly: milestonesOnly, to: session.output, session.words)
    }
}

/// `mark [LABEL]`: a marker on the timeline; `vmstat` deltas count from here.
struct MarkCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark", abstract: "Put a marker on the timeline; vmstat shows changes since the last one.")

    @Argument(help: "A label (default: mark1, mark2, …).") var label: String?

    func run(in session: Session) throws {
        let engine = session.activeEngine()
        let text = try label ?? "mark\(engine.timeline().markers.filter { $0.label.hasPrefix("mark") }.count + 1)"
        session.output.line(EngineText.mark(try engine.mark(text)))
    }
}
