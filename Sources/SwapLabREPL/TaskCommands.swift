import ArgumentParser
import SwapLabModel

/// `alloc SIZE [--name N] [--rate R/s]`: a task writes SIZE of anonymous memory (every page) and the command waits
/// for it: on the simulator the clock runs until it is done, on this machine a hog child process writes the bytes.
struct AllocCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "alloc", abstract: "Start a task that writes SIZE of anonymous memory, every page; wait for it.")

    @Argument(help: "How much: 4096, 512K, 300M, 2G, 1T.") var size: String
    @Option(help: "The task's name (default: hog, hog2, …).") var name: String?
    @Option(help: "Write speed, e.g. 200M/s (default: ~1.5 GiB/s, as fast as a CPU writes).") var rate: String?
    @Option(help: "Live engine: fill pages with random bytes (default; swap cannot compress them) or zero.")
    var fill: AllocationFill = .random
    @Flag(help: "Live engine: allocate even if free memory would fall below the floor.") var force = false
    @Option(help: "Live engine: the floor free memory must stay above (default: min + 256 MiB or 5 % of RAM).")
    var floor: String?
    @Flag(help: "Simulator: mlock the pages (unevictable: never scanned, never swapped).") var mlock = false

    func run(in session: Session) throws {
        if mlock && session.engine != .sim {
            throw ShellError.usage("--mlock works on the simulator only (engine sim); the live hog does not lock pages")
        }
        let request = AllocationRequest(
            size: try SimArguments.pages(size, option: "SIZE"), name: name,
            rate: try rate.map { try SimArguments.rate($0) }, fill: fill, force: force,
            floor: try floor.map { Pages(bytes: try Quantity.bytesForShell($0, option: "--floor")) }, mlock: mlock)
        let engine = session.activeEngine()
        let before = try EngineText.Before(engine)
        let outcome = try engine.allocate(request)
        session.report { EngineText.allocation(outcome, $0) }
        try session.report { try EngineText.whatHappened(since: before, engine: engine, $0) }
    }
}

/// `release NAME|all`: the task exits and its memory is freed.
struct ReleaseCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "release", abstract: "End a task started with alloc (or all of them); its memory is freed.")

    @Argument(help: "The task's name, or all.") var name: String

    func run(in session: Session) throws {
        let outcome = try session.activeEngine().release(name: name)
        session.report { EngineText.release(outcome, $0).joined(separator: "\n") }
    }
}

/// `touch NAME`: the task reads every page back; swapped pages come back from swap.
struct TouchCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "touch", abstract: "Make a task read every page back (swapped pages are swapped in); wait for it.")

    @Argument(help: "The task's name.") var name: String

    func run(in session: Session) throws {
        let engine = session.activeEngine()
        let before = try EngineText.Before(engine)
        let outcome = try engine.touch(name: name)
        session.report { EngineText.touch(outcome, output: session.output, $0) }
        if let bad = outcome.badPages, bad > 0 {
            throw ShellError.failed("\(outcome.name): \(bad) of \(outcome.pages.count) pages did not verify")
        }
        try session.report { try EngineText.whatHappened(since: before, engine: engine, $0) }
    }
}

extension AllocationFill: ExpressibleByArgument {}
