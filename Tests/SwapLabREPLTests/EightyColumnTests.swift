import Foundation
import SwapLabModel
import Testing

@testable import SwapLabREPL

/// Every command's output fits 80 columns (issue 11, proof 3): each registered command and its help, run in a
/// simulator scenario with activity, in English and in Korean, and this machine's read-only commands on the live
/// engine. The commands come from `CommandRegistry`, so a new one is covered without touching this test.
@Suite(.serialized) struct EightyColumnTests {
    /// Activity first, so the reports have something to show: an allocation that wakes kswapd and swaps.
    static let scenario = [
        "machine --ram 2G --swap 1G", "mark before", "alloc 1800M", "run 2s", "cache 300M", "run 1s",
    ]

    /// How each command is run when a bare name would not do (or would end the session); others run bare.
    static let invocations: [String: [String]] = [
        "alloc": ["alloc 64M --name small"], "release": ["release small"], "touch": ["touch hog 64M"],
        "cache": [
            "cache 64M", "cache 64M --file data", "cache --file data", "alloc 1500M --name big", "cache --file data",
        ], "run": ["run 500ms"], "mark": ["mark after"], "sleep": ["sleep 1ms"],
        "watch": ["watch --count 1", "watch --count 1 --zone node"],
        "chart": ["chart", "chart --zone node", "chart --all-zones", "chart --glyphs braille", "chart --glyphs ascii"],
        "sysctl": ["sysctl vm.swappiness"],
        "record": ["record \(FileManager.default.temporaryDirectory.path)/80col.jsonl"],
        "replay": ["replay --off"], "goto": ["goto 1"], "answer": ["answer 1"], "machine": ["machine"],
        // `--json` prints one JSON document per line by design (for scripts): not checked here.
        "explain": ["explain"], "lang": ["lang"],
        // These would end the session or undo this machine's changes: their help is enough.
        "quit": [], "restore": [], "lab": [],
    ]

    /// Read-only commands that run on the live engine (they read /proc and change nothing).
    static let liveReadOnly = ["watermarks", "doctor", "status", "vmstat", "allocs", "swap", "chart", "help"]

    /// Runs `lines` in a fresh shell that captures at 80 columns and returns each line printed by each command.
    static func run(_ lines: [String]) -> [(command: String, line: String)] {
        let session = Session(
            output: Output(capturingWidth: 80),
            stateDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-80col-\(getpid())"))
        let shell = Shell(session: session)
        var printed: [(String, String)] = []
        for line in lines {
            _ = shell.execute(line)
            for l in session.output.takeCaptured().split(separator: "\n", omittingEmptySubsequences: false) {
                printed.append((line, String(l)))
            }
        }
        return printed
    }

    /// The lines wider than 80 cells.
    static func tooWide(_ printed: [(command: String, line: String)]) -> [String] {
        printed.filter { DisplayWidth.of(DisplayWidth.stripEscapes($0.line)) > 80 }
            .map { "\($0.command): [\(DisplayWidth.of($0.line))] \($0.line)" }
    }

    static var everyCommand: [String] {
        var lines = ["help"]
        for entry in CommandRegistry.entries {
            lines.append("help \(entry.name)")
            lines += invocations[entry.name] ?? [entry.name]
        }
        return lines
    }

    @Test(arguments: ["en", "ko"])
    func everyCommandFitsEightyColumnsOnTheSimulator(lang: String) {
        let printed = Self.run(["engine sim", "lang \(lang)"] + Self.scenario + Self.everyCommand)
        #expect(printed.count > 500, "the commands printed something to check")
        // The chart speaks the session's language (`lang ko`), and says why it drew the zone it drew.
        let why = lang == "ko" ? " 이 zone을 그린 까닭: " : " why this zone: "
        #expect(printed.contains { $0.command == "chart" && $0.line.hasPrefix(why) })
        let wide = Self.tooWide(printed)
        #expect(wide.isEmpty, "\(wide.count) lines wider than 80:\n\(wide.prefix(40).joined(separator: "\n"))")
    }

    @Test func readOnlyCommandsFitEightyColumnsOnTheLiveEngine() {
        let commands = Self.liveReadOnly.filter { CommandRegistry.find($0) != nil }
        #expect(commands.count == Self.liveReadOnly.count, "every read-only command is still registered")
        let printed = Self.run(["engine live"] + commands)
        let wide = Self.tooWide(printed)
        #expect(wide.isEmpty, "\(wide.count) lines wider than 80:\n\(wide.prefix(40).joined(separator: "\n"))")
    }
}
