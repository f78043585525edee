import Foundation
import SwapLabModel

/// One line of /proc/mounts (`show_vfsmnt()` in fs/proc_namespace.c): `device mountpoint type options 0 0`.
public struct Mount: Sendable, Hashable, Codable {
    public var device: String
    public var mountPoint: String
    public var type: String
    public var options: [String]

    /// Parses /proc/mounts text; lines with fewer than four fields are skipped (the file is the kernel's own).
    public static func parse(_ text: String) -> [Mount] {
        text.split(separator: "\n").compactMap { line in
            let w = line.split(separator: " ")
            guard w.count >= 4 else { return nil }
            return Mount(
                device: Swaps.unescape(String(w[0])), mountPoint: Swaps.unescape(String(w[1])), type: String(w[2]),
                options: w[3].split(separator: ",").map(String.init))
        }
    }

    /// The mounts listed in `<root>/proc/mounts`; empty when it cannot be read.
    public static func read(root: SystemRoot = SystemRoot()) -> [Mount] {
        parse(root.optionalText("/proc/mounts") ?? "")
    }

    /// True when a filesystem of `type` is mounted at `mountPoint`.
    public static func isMounted(_ mountPoint: String, type: String, root: SystemRoot = SystemRoot()) -> Bool {
        read(root: root).contains { $0.mountPoint == mountPoint && $0.type == type }
    }
}
