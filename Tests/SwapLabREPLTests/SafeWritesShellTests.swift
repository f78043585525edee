import Foundation
import Testing

@testable import SwapLabREPL

/// Issue 14, safe file writes, through the shell: record, chart --svg and progress export write only a regular file
/// or a new path in an existing folder; a corrupt progress file is reported in every mode.
@Suite struct SafeWritesShellTests {
    @Test func writersRefuseDevicesLinksAndMissingFolders() throws {
        let sh = SimCommandTests.shell()
        #expect(sh.execute("alloc 100M"))
        _ = sh.session.output.takeCaptured()
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createSymbolicLink(
            atPath: dir.path + "/link", withDestinationPath: dir.path + "/target")
        let cases = [
            (
                "record /dev/null",
                "error: /dev/null is a character device, not a regular file; swaplab writes only "
                    + "regular files: name a new file or a regular one"
            ),
            (
                "chart --svg \(dir.path)/link",
                "error: \(dir.path)/link is a symbolic link, not a regular file; swaplab "
                    + "writes only regular files: name a new file or a regular one"
            ),
            (
                "progress export \(dir.path)/no/p.json",
                "error: cannot write progress to \(dir.path)/no/p.json: the "
                    + "folder \(dir.path)/no does not exist; create it first or choose another path"
            ),
            (
                "progress import /etc/passwd",
                "error: cannot read progress from /etc/passwd: it is not a swaplab progress "
                    + "file: it is not JSON (a progress file starts with '{'); export one with `progress export FILE`"
            ),
        ]
        for (line, message) in cases {
            #expect(!sh.execute(line))
            // Wrapped at 80 columns: continuation lines are indented by two.
            #expect(
                sh.session.output.takeCaptured().replacingOccurrences(of: "\n  ", with: " ") == message + "\n",
                "\(line)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/target"))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/no"))
        #expect(sh.execute("record \(dir.path)/ok.jsonl"))
    }

    @Test(arguments: [["-c", "status"], ["--script", "SCRIPT"], ["status"]])
    func aCorruptProgressFileIsReportedInEveryMode(arguments: [String]) throws {
        let home = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let state = home.appendingPathComponent("state/swaplab")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        try "garbage".write(to: state.appendingPathComponent("progress.json"), atomically: true, encoding: .utf8)
        let script = home.appendingPathComponent("script.txt")
        try "status\r\n".write(to: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = arguments.map { $0 == "SCRIPT" ? script.path : $0 }
        process.environment = Binary.environment(home: home)
        let err = Pipe()
        process.standardOutput = Pipe()
        process.standardError = err
        try process.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(
            text.hasPrefix(
                "warning: your progress file \(state.path)/progress.json could not be read (it is not "
                    + "JSON (a progress file starts with '{')); it is kept as \(state.path)/progress.json.corrupt-"),
            "\(text)")
    }
}
