import Foundation
import SwapLabTestSupport
import Testing

/// The real captures the tests read live in this repository (`Tests/Fixtures/linux-6.18-vm`). A missing file fails
/// here by name, so a damaged checkout never passes as "no test cases found".
@Suite struct FixtureInventoryTests {
    static let snapshotFiles = ["buddyinfo", "meminfo", "pressure_memory", "swaps", "vmstat", "zoneinfo"]

    func exists(_ relative: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: Fixtures.url(relative).path, isDirectory: &isDirectory)
            && !isDirectory.boolValue
    }

    @Test func theRunFoldersAreTheOnesTheREADMEListsAndNoOthers() throws {
        let listed = try FileManager.default.contentsOfDirectory(atPath: Fixtures.url("runs").path).sorted()
        #expect(listed == Fixtures.runs)
        #expect(exists("README.md"), "the fixture set's README is missing")
    }

    @Test(arguments: Fixtures.runs)
    func everyRunHasItsSamplesSnapshotsStatsAndTrace(run: String) {
        var missing: [String] = []
        var wanted = ["samples.csv", "trace_stats.json", "trace_buffer_stats.txt"]
        for phase in ["snap-before", "snap-during", "snap-after"] {
            wanted += Self.snapshotFiles.map { "\(phase)/\($0).txt" }
        }
        wanted +=
            run.hasPrefix("D0-")
            ? ["trace_pipe.txt"]
            : ["trace_pipe.head.txt", "trace_pipe.milestones.txt", "trace_pipe.sleep-windows.txt"]
        for file in wanted where !exists("runs/\(run)/\(file)") { missing.append(file) }
        #expect(missing.isEmpty, "runs/\(run) lacks \(missing) under \(Fixtures.root.path)")
    }

    @Test func theSnapshotsAreComplete() {
        let wanted =
            ["after-full-growth/meminfo.txt", "after-full-growth/vmstat.txt", "after-full-growth/zoneinfo.txt"]
            + [
                "buddyinfo", "event_formats", "events_oom", "events_vmscan", "meminfo", "pressure_memory", "sysctl_vm",
                "uname", "vmstat", "zoneinfo",
            ].map { "baseline-lazy-zone/\($0).txt" }
            + ["10", "100", "1000", "3000", "3001"].map { "watermark_scale_factor/wsf_\($0).txt" }
        let missing = wanted.filter { !exists("snapshots/\($0)") }
        #expect(missing.isEmpty, "snapshots lack \(missing) under \(Fixtures.root.path)")
    }
}
