import Foundation

/// A throw-away system root (`<tmp>/proc/zoneinfo`, `<tmp>/sys/…`) built from captured files, so readers and
/// commands that take a root path read real captures in tests.
public enum FakeRoot {
    /// Where each file of a fixture snapshot folder goes below the root.
    public static let snapshotLayout: [String: String] = [
        "zoneinfo.txt": "proc/zoneinfo", "vmstat.txt": "proc/vmstat", "meminfo.txt": "proc/meminfo",
        "swaps.txt": "proc/swaps", "pressure_memory.txt": "proc/pressure/memory", "buddyinfo.txt": "proc/buddyinfo",
    ]

    /// A new root holding `files` (relative path → text).
    public static func make(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-root-\(UUID().uuidString)")
        for (relative, text) in files {
            let url = dir.appendingPathComponent(relative)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A new root from a fixture snapshot folder (e.g. `snapshots/after-full-growth`), plus `extra` files.
    public static func fromSnapshot(_ folder: String, extra: [String: String] = [:]) throws -> URL {
        var files = extra
        let base = Fixtures.url(folder)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? [] {
            if let target = snapshotLayout[name] {
                files[target] = try String(contentsOf: base.appendingPathComponent(name), encoding: .utf8)
            }
        }
        return try make(files)
    }

    /// Removes a root made here.
    public static func remove(_ root: URL) { try? FileManager.default.removeItem(at: root) }
}
