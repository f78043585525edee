import Foundation

/// Paths to the real captures in `../shared/fixtures/` (beside the checkout) and to this repository.
public enum Fixtures {
    /// The repository root (found from this file's path).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/fixtures/linux-6.18-vm`, or `SWAPLAB_FIXTURES` when set.
    public static var root: URL {
        if let e = ProcessInfo.processInfo.environment["SWAPLAB_FIXTURES"], !e.isEmpty {
            return URL(fileURLWithPath: e)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures/linux-6.18-vm")
    }

    /// `../shared/reference`.
    public static var reference: URL {
        repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/reference")
    }

    /// A file below the fixtures root.
    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// The text of a file below the fixtures root.
    public static func text(_ relative: String) throws -> String {
        try String(contentsOf: url(relative), encoding: .utf8)
    }

    /// The run folders (`D0-…`, `D1b-…`, …), sorted.
    public static var runs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url("runs").path)) ?? []).sorted()
    }

    /// Every `zoneinfo.txt` below the fixtures root, as paths relative to it, sorted.
    public static var zoneinfoFiles: [String] {
        let base = root.path
        guard let e = FileManager.default.enumerator(atPath: base) else { return [] }
        return e.compactMap { $0 as? String }.filter { $0.hasSuffix("zoneinfo.txt") }.sorted()
    }
}
