import ArgumentParser
import Foundation
import SwapLabAnalysis
import SwapLabExplain
import SwapLabKernel
import SwapLabModel

/// `lab run|prepare|restore`: the course experiment on this machine, made to work whatever its size
/// (live-lab.md §5). On the live engine it acts on this machine; on the simulator `lab run` runs the same experiment
/// in the simulator on a machine built from this one (`SimulatedLab`), and `lab prepare`/`restore` act on this machine.
struct LabCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Make kswapd wake, swap out and sleep (sim: simulated; live: on this machine), then restore.",
        discussion: """
            On the live engine the lab acts on this machine (root needed). It adds a swapfile, traces vmscan events \
            in a private instance, raises watermark_scale_factor, takes spare memory away with huge pages, runs a \
            rate-limited hog under a 20 ms watchdog, reads the pages back, and restores it all. On the simulator \
            `lab run` does the same in the simulator, on a machine built from this machine's /proc/zoneinfo (read \
            only: nothing here changes), and keeps that machine for explain, chart and status. `lab prepare` and \
            `lab restore` always act on this machine.
            """,
        subcommands: [LabRunCommand.self, LabPrepareCommand.self, LabRestoreCommand.self],
        defaultSubcommand: nil)

    /// Both engines, each its own way: simulated on the simulator, this machine on live.
    static let engineTag: String? = "sim+live"

    func run(in session: Session) throws {
        throw ShellError.usage("lab needs a subcommand: lab run, lab prepare or lab restore (see `lab --help`)")
    }
}

/// The options `lab run` and `lab prepare` share.
struct LabOptionGroup: ParsableArguments {
    @Option(name: .long, help: "Where kswapd should wake, as free memory (default: floor + 1 GiB).")
    var wakeAt: String?
    @Option(name: .long, help: "The hog's size (default: the measured distance to the wake point + 0.5–1 GiB).")
    var hog: String?
    @Option(name: .long, help: "The hog's write rate, e.g. 200M/s (default 200M/s; --direct: unthrottled).")
    var rate: String?
    @Option(name: .long, help: "Never let free memory go below this (default: larger of min + 256M and 5 % of RAM).")
    var floor: String?
    @Flag(name: .long, help: "The direct-reclaim variant: min_free_kbytes raised in steps, restored at once after.")
    var direct = false

    /// The options in bytes, or a usage error naming the bad word.
    func labOptions() throws -> LabOptions {
        func size(_ s: String?, _ name: String) throws -> Int64? {
            guard let s else { return nil }
            return try Quantity.bytesForShell(s, option: "--\(name)")
        }
        var o = LabOptions(
            wakeAt: try size(wakeAt, "wake-at"), hog: try size(hog, "hog"), floor: try size(floor, "floor"),
            direct: direct)
        if let rate {
            let r = rate.hasSuffix("/s") ? String(rate.dropLast(2)) : rate
            o.rate = Double(try size(r, "rate") ?? 0)
        }
        return o
    }
}

/// `lab run`.
struct LabRunCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the whole lab (about 25 s) and explain what kswapd did; acts on this machine.")

    @OptionGroup var options: LabOptionGroup
    @Flag(name: .long, help: "Print the result as JSON (counts from the trace and /proc/vmstat).")
    var json = false
    @Flag(
        name: .long,
        help: "Live: also run the same lab in the simulator, from this machine as it was before, and compare them.")
    var compare = false

    func run(in session: Session) throws {
        let out = session.output
        let json = json
        let lab: LabRun
        var before: LabCompare?
        if session.engine == .sim {
            lab = try SimulatedLab.run(try options.labOptions(), in: session) { line in
                if !json { out.paragraph(line, indent: "   ") }
            }
        } else {
            let machine = session.thisMachine()
            if machine.labPrepared { throw ShellError.usage("a lab is prepared; `lab restore` first") }
            if compare && json { throw ShellError.usage("--compare prints a table; leave out --json") }
            before = compare ? try LabCompare(root: session.systemRoot) : nil
            session.labComparison = nil
            lab = machine.runLab(try options.labOptions()) { line in if !json { out.paragraph(line, indent: "   ") } }
            session.labTimeline = lab.timeline
        }
        if compare && session.engine == .sim {
            throw ShellError.usage(
                "--compare sets this machine's run beside the simulator's: use it on the live engine")
        }
        if json {
            out.line(lab.result.json.text)
        } else if lab.failure == nil, let timeline = lab.timeline {
            out.line()
            let report = ReclaimExplainer.analyze(timeline)
            let lang: NarrativeLanguage = session.course?.language == .ko ? .ko : .en
            for (i, p) in ReclaimNarrative.paragraphs(report, lang: lang).prefix(3).enumerated() {
                if i > 0 { out.line() }
                out.paragraph(p)
            }
            out.line()
            out.line("(`explain` and `chart` show the lab's timeline in full)")
            if let before { try printComparison(before, live: lab, in: session) }
        }
        if let failure = lab.failure { throw failure }
        if !lab.result.restored {
            throw ShellError.failed("the lab could not put everything back; see above, then run `restore`")
        }
    }
}

/// `lab prepare`.
struct LabPrepareCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract:
            "Set the lab up (swapfile, tracing, watermarks, balloon) for step-by-step lessons; acts on this machine.")

    @OptionGroup var options: LabOptionGroup

    func run(in session: Session) throws {
        let machine = session.thisMachine()
        if machine.labPrepared { throw ShellError.usage("the lab is already prepared; `lab restore` undoes it") }
        let out = session.output
        session.labComparison = nil
        session.labTimeline = try machine.prepareLab(try options.labOptions()) { out.line($0) }
    }
}

/// `lab restore`.
struct LabRestoreCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Undo what `lab prepare` set up (swap, tracing, sysctls, balloon).")

    func run(in session: Session) throws {
        guard let (timeline, restored) = session.thisMachine().restoreLab() else {
            session.output.line("no lab is prepared in this shell (a killed shell's changes: `restore`)")
            return
        }
        session.labTimeline = timeline
        session.labComparison = nil
        if !restored { throw ShellError.failed("not everything could be put back; see above") }
        session.output.line("lab restored")
    }
}

extension LabRunCommand {
    /// Runs the same lab in the simulator from `before` and prints the two side by side.
    func printComparison(_ before: LabCompare, live: LabRun, in session: Session) throws {
        let out = session.output
        out.line()
        out.paragraph("Running the same lab in the simulator, on \(before.source) as it was before the run…")
        let (simRun, _) = try before.simulate(try options.labOptions()) { session.interrupted }.get()
        guard let realTimeline = live.timeline, let realStart = LabCompare.hogStart(realTimeline),
            let simTimeline = simRun.timeline, let simStart = LabCompare.hogStart(simTimeline)
        else {
            out.line("(no hog ran in one of the two runs: nothing to compare)")
            return
        }
        out.line()
        let lines = LabCompare.lines(
            real: FidelityMeasures(realTimeline, from: realStart),
            simulated: FidelityMeasures(simTimeline, from: simStart),
            realLab: live.result, simLab: simRun.result)
        for line in lines { line.hasPrefix("- ") ? out.paragraph(line, indent: "  ") : out.line(line) }
        session.labComparison = RunComparison(
            real: realTimeline, realHogStart: realStart, simulated: simTimeline, simulatedHogStart: simStart,
            balloon: (live.result.balloonPages, simRun.result.balloonPages),
            hogMib: (live.result.hogMib, simRun.result.hogMib))
        out.line()
        out.line("(`chart` draws both free-memory lines; `explain` says where they differ and why)")
    }
}
