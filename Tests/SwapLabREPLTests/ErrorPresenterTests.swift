import ArgumentParser
import Foundation
import SwapLabKernel
import Testing

@testable import SwapLabREPL

/// Issue 10, typed errors: a parse error shows the command's usage line; an error met while running never does,
/// whatever its type; every learner error renders as `problem; remedy`.
@Suite struct ErrorPresenterTests {
    /// A command whose run meets a kernel-layer error (not a ShellError).
    struct FailingCommand: ShellCommand {
        static let configuration = CommandConfiguration(commandName: "failing", abstract: "fails while running")
        func run(in session: Session) throws {
            throw UserFileError.folderMissing(path: "/nowhere/x", folder: "/nowhere")
        }
    }

    @Test func aParseErrorShowsUsageAndARunErrorDoesNot() {
        let sh = SimCommandTests.shell()
        #expect(!sh.execute("watermarks --jsn"))
        let parse = sh.session.output.takeCaptured().split(separator: "\n").map(String.init)
        #expect(parse.count == 2)
        #expect(parse.first?.hasPrefix("error: Unknown option '--jsn'") == true)
        #expect(parse.last?.hasPrefix("usage: watermarks") == true)

        #expect(!sh.execute(FailingCommand(), words: ["failing"]))
        let run = sh.session.output.takeCaptured()
        // Wrapped to 80 columns: continuation lines are indented by two.
        #expect(
            run.replacingOccurrences(of: "\n  ", with: " ")
                == "error: " + UserFileError.folderMissing(path: "/nowhere/x", folder: "/nowhere").description + "\n")
        #expect(!run.contains("usage:"))
    }

    @Test func aShellErrorIsAProblemAndARemedy() {
        let e = ShellError.usage("--count must be at least 1", remedy: "e.g. --count 5")
        #expect(e.sentence == "--count must be at least 1; e.g. --count 5")
        #expect(e.kind == .usage)
        let engine = ShellError.needsEngine("live", command: "trace")
        #expect(engine.problem == "trace works on the live engine")
        #expect(engine.remedy == "switch with: engine live")
        #expect(ErrorPresenter.runError(engine) == "trace works on the live engine; switch with: engine live")
        #expect(engine.kind == .needsEngine)
    }
}
