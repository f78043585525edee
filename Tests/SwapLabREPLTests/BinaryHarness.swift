import Foundation
import Testing

/// The built `swaplab` binary and a clean environment to run it in.
enum Binary {
    /// `swift test` builds the executable beside the test bundle (`.build/<triple>/debug/swaplab`).
    static var path: String {
        Bundle.main.bundleURL.appendingPathComponent("swaplab").path
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A stable environment: 80 columns, no colour, HOME and XDG_STATE_HOME in `home`, no inherited locale quirks.
    static func environment(home: URL, extra: [String: String] = [:]) -> [String: String] {
        var env = [
            "PATH": "/usr/bin:/bin",
            "HOME": home.path,
            "XDG_STATE_HOME": home.appendingPathComponent("state").path,
            "COLUMNS": "80",
            "NO_COLOR": "1",
            "LANG": "C.UTF-8",
            "TERM": "dumb",
        ]
        for (k, v) in extra { env[k] = v }
        return env
    }

    /// Runs the binary with `input` on a pipe as stdin, stdout and stderr into one pipe (in the order written).
    static func run(
        _ arguments: [String], input: String = "", extra: [String: String] = [:]
    ) throws -> (
        output: String, status: Int32
    ) {
        let home = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = home
        process.environment = environment(home: home, extra: extra)
        let stdin = Pipe()
        let output = Pipe()
        process.standardInput = stdin
        process.standardOutput = output
        process.standardError = output
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: data, as: UTF8.self), process.terminationStatus)
    }
}

/// Snapshot files beside the tests: `Snapshots/NAME.txt`. `RECORD_SNAPSHOTS=1` writes them; a missing one fails.
enum Snapshot {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Snapshots")

    static func check(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent(name + ".txt")
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record(
                "missing snapshot \(url.path); record it with RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
            return
        }
        #expect(actual == expected, "transcript differs from \(name).txt", sourceLocation: sourceLocation)
    }
}
