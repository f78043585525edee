import Foundation
import SwapLabModel

/// Paths to the real captures kept in this repository (`Tests/Fixtures/linux-6.18-vm`) and to the repository itself.
public enum Fixtures {
    /// The repository root (found from this file's path).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/Fixtures/linux-6.18-vm` in this repository, or `SWAPLAB_FIXTURES` when set.
    public static var root: URL {
        if let e = ProcessInfo.processInfo.environment["SWAPLAB_FIXTURES"], !e.isEmpty {
            return URL(fileURLWithPath: e)
        }
        return repositoryRoot.appendingPathComponent("Tests/Fixtures/linux-6.18-vm")
    }

    /// A file below the fixtures root.
    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// The text of a file below the fixtures root.
    public static func text(_ relative: String) throws -> String {
        try String(contentsOf: url(relative), encoding: .utf8)
    }

    /// The run folders the fixture set holds (its README lists them). A fixed list, not a directory listing: a
    /// missing folder must fail the tests that read it, not quietly give them no cases.
    public static let runs: [String] = [
        "D0-course-recipe-default-settings",
        "D1b-kswapd-swapout-clean",
        "D2a-direct-reclaim",
        "D4-noswap-file-thrash-hopeless",
        "D6b-sawtooth-normal-swap",
    ]

    /// Every `zoneinfo.txt` below the fixtures root, as paths relative to it, sorted (a directory listing, so a test
    /// can count them).
    public static var zoneinfoFiles: [String] {
        guard let e = FileManager.default.enumerator(atPath: root.path) else { return [] }
        return e.compactMap { $0 as? String }.filter { $0.hasSuffix("zoneinfo.txt") }.sorted()
    }

    /// Every `vmstat.txt` below the fixtures root, as paths relative to it, sorted.
    public static var vmstatFiles: [String] {
        guard let e = FileManager.default.enumerator(atPath: root.path) else { return [] }
        return e.compactMap { $0 as? String }.filter { $0.hasSuffix("vmstat.txt") }.sorted()
    }
}

extension Fixtures {
    /// One capture of `snapshots/watermark_scale_factor/wsf_N.txt`
    /// (`DMA: free=3840 min=10 low=13 high=16 boost=0 managed=3840 | DMA32: …`): each zone's name and its numbers.
    public static func watermarkCapture(wsf: Int) throws -> [(zone: ZoneType, marks: [String: Int64])] {
        let text = try Fixtures.text("snapshots/watermark_scale_factor/wsf_\(wsf).txt")
        var zones: [(zone: ZoneType, marks: [String: Int64])] = []
        for part in text.split(separator: "|") {
            let words = part.split(separator: " ")
            guard let first = words.first, let zone = ZoneType(name: String(first.dropLast())) else { continue }
            var kv: [String: Int64] = [:]
            for w in words.dropFirst() {
                let p = w.split(separator: "=")
                if p.count == 2 { kv[String(p[0])] = Int64(p[1]) }
            }
            zones.append((zone, kv))
        }
        return zones
    }
}
