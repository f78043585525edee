import Foundation
import Testing

/// Compares text with a snapshot file beside the tests (`Tests/Snapshots/Chart/NAME`). `RECORD_SNAPSHOTS=1`
/// re-records; a missing snapshot fails.
enum ChartSnapshot {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Snapshots/Chart")

    static func check(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name)
        if !(ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] ?? "").isEmpty {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record(
                "snapshot \(name) is missing; record it with RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
            return
        }
        if expected != text {
            let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let b = text.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            Issue.record(
                "snapshot \(name) differs at line \(first + 1):\nexpected: \(first < a.count ? String(a[first]) : "<end>")\nactual:   \(first < b.count ? String(b[first]) : "<end>")\n(re-record with RECORD_SNAPSHOTS=1 if the change is intended)",
                sourceLocation: sourceLocation)
        }
    }
}
