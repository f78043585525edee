import Foundation
import SwapLabREPL
import Testing

/// The `swaplab` command line a new user meets: `--version`, the one-shot subcommands with ArgumentParser's help and
/// errors, shell commands given on the command line, and the completion scripts.
@Suite struct CommandLineTests {
    @Test func versionIsTheOneConstantAndDoctorShowsIt() throws {
        let version = try Binary.run(["--version"])
        #expect(version.status == 0)
        #expect(version.output == SwapLabVersion.current + "\n")
        let doctor = try Binary.run(["doctor"])
        #expect(doctor.status == 0)
        #expect(doctor.output.hasPrefix("swaplab \(SwapLabVersion.current)\n\n[ok] kernel "))
        let json = try Binary.run(["doctor", "--json"])
        #expect(
            json.output.hasPrefix(
                "{\"schema\": \"swaplab.doctor/1\", \"swaplab_version\": \"\(SwapLabVersion.current)\", \"kernel\": "))
    }

    @Test func subcommandsHaveArgumentParsersHelpAndErrors() throws {
        let help = try Binary.run(["explain", "--help"])
        #expect(help.status == 0)
        #expect(
            help.output.contains(
                "\nUSAGE: swaplab explain [--since <since>] [--json] [--lang <lang>] [--trace <trace>]\n"))
        let bad = try Binary.run(["doctor", "--jsn"])
        #expect(bad.status == 64)
        #expect(
            bad.output == """
                Error: Unknown option '--jsn'. Did you mean '--json'?
                Usage: swaplab doctor [--json]
                  See 'swaplab doctor --help' for more information.

                """)
        let lessons = try Binary.run(["lessons", "--frob"])
        #expect(lessons.status == 64)
        #expect(
            lessons.output == """
                Error: Unknown option '--frob'. Did you mean '--wrong'?
                Usage: swaplab lessons [<words> ...] [--live] [--wrong]
                  See 'swaplab lessons --help' for more information.

                """)
    }

    @Test func aCommandExcludesDashCAndScript() throws {
        let either = "Error: give either -c, --script or a command, not two of them\n"
        let cases: [([String], String)] = [
            (["-c", "engine", "doctor"], either), (["-c", "engine", "watermarks"], either),
            (["--script", "x", "engine"], either),
            (["-c", "a", "--script", "b"], "Error: give -c or --script, not both\n"),
        ]
        for (arguments, message) in cases {
            let run = try Binary.run(arguments)
            #expect(run.status == 64, "\(arguments)")
            #expect(run.output.hasPrefix(message), "\(arguments)")
        }
        // An option's value is never taken for a command: this runs `engine` through -c.
        #expect(try Binary.run(["-c", "engine"]).output == "engine: sim\n")
    }

    @Test func topLevelOptionsReachSubcommandsAndShellCommands() throws {
        let directory = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let builtIn = try Binary.run(["lessons", "lint"])
        #expect(builtIn.status == 0)
        #expect(builtIn.output == "lessons lint: 10 lessons, 68 steps, no problems (built into swaplab)\n")
        // --lessons before a subcommand: the subcommand reads that folder (here an empty one, so it says so).
        let missing = try Binary.run(["--lessons", directory.path, "lessons", "lint"])
        #expect(missing.status == 1)
        #expect(missing.output.hasPrefix("error: no lessons found; looked in:\n  - \(directory.path) (--lessons"))
        let unknown = try Binary.run(["lessons", "test", "no-such-lesson"])
        #expect(unknown.status == 1)
        #expect(unknown.output == "error: no lesson 'no-such-lesson' (`lessons` lists them)\n")
        // --color before a shell command that is not a subcommand.
        let colored = try Binary.run(["--color", "on", "engine", "mars"])
        #expect(colored.status == 1)
        #expect(colored.output.hasPrefix("\u{1B}[31merror:\u{1B}[0m "))
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptNamesTheSubcommandsAndOptions(shell: String) throws {
        let script = try Binary.run(["--generate-completion-script", shell])
        #expect(script.status == 0)
        for word in ["doctor", "explain", "lessons", "restore", "--lessons", "--script", "--color", "--no-edit"] {
            let name = shell == "fish" && word.hasPrefix("--") ? String(word.dropFirst(2)) : word
            #expect(script.output.contains(name), "\(shell) script lacks \(word)")
        }
        #expect(script.output.contains("swaplab"))
    }

    @Test func bashCompletionOffersTheSubcommandsOptionsAndValues() throws {
        guard FileManager.default.isExecutableFile(atPath: "/bin/bash") else {
            print("skipped: no /bin/bash to run the completion script in")
            return
        }
        let directory = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("swaplab.bash")
        try Binary.run(["--generate-completion-script", "bash"]).output.write(
            to: script, atomically: true, encoding: .utf8)
        // Fill COMP_* as bash does on Tab, call the completion function, print what it offers.
        let driver = """
            shopt -s extglob
            source '\(script.path)'
            offer() {
                COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}
                read -ra COMP_WORDS <<< "$COMP_LINE"
                [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
                COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
                COMPREPLY=()
                _swaplab swaplab "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
                echo "$1|${COMPREPLY[*]}"
            }
            offer 'swaplab '
            offer 'swaplab d'
            offer 'swaplab --col'
            offer 'swaplab --color '
            offer 'swaplab doctor --'
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", driver]
        process.environment = Binary.environment(home: directory)
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(
            String(decoding: data, as: UTF8.self) == """
                swaplab |--no-edit --version -h --help --command -c --script --color --lessons doctor explain lessons \
                restore help
                swaplab d|doctor
                swaplab --col|--color
                swaplab --color |auto on off
                swaplab doctor --|--json --version --help

                """)
    }

    @Test func aCopiedBinaryCarriesTheCourse() throws {
        // The binary alone in an empty folder, run from there: the lessons are built in, nothing is read beside it.
        let directory = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let copy = directory.appendingPathComponent("swaplab")
        // Copied by cp, not by this process: a write descriptor open here while a parallel test forks would make
        // running the copy fail with ETXTBSY.
        let cp = Process()
        cp.executableURL = URL(fileURLWithPath: "/bin/cp")
        cp.arguments = [Binary.path, copy.path]
        try cp.run()
        cp.waitUntilExit()
        try #require(cp.terminationStatus == 0)
        func run(_ arguments: [String]) throws -> (String, Int32) {
            let process = Process()
            process.executableURL = copy
            process.arguments = arguments
            process.currentDirectoryURL = directory
            process.environment = Binary.environment(home: directory)
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (String(decoding: data, as: UTF8.self), process.terminationStatus)
        }
        let (menu, menuStatus) = try run(["-c", "lessons"])
        #expect(menuStatus == 0)
        // The menu counts the steps a lesson needs: its optional live step is left out.
        #expect(menu.hasPrefix("  1. · ░░░░░░░░░░ 0/3    Pages and free memory [pages]\n"))
        #expect(menu.contains(" 10. · "))
        let (test, testStatus) = try run(["lessons", "test"])
        #expect(testStatus == 0)
        #expect(test.hasSuffix("lessons test: 32 of 32 steps pass on the simulator\n"))
    }
}
