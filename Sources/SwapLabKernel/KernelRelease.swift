import Foundation
import SwapLabModel

/// The running kernel's name and release, from /proc/sys/kernel/ostype and osrelease (what `uname -sr` prints).
public struct KernelRelease: Sendable, Hashable, Codable {
    /// `Linux`.
    public var ostype: String
    /// e.g. `6.18.44-fc-v782`.
    public var release: String

    public init(ostype: String, release: String) {
        self.ostype = ostype
        self.release = release
    }

    /// Major and minor version from the release (`6.18.44-…` → (6, 18)), nil when it does not start with them.
    public var version: (major: Int, minor: Int)? {
        let parts = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        return parts.count == 2 ? (parts[0], parts[1]) : nil
    }

    /// Whether this release is at least `major.minor`.
    public func isAtLeast(_ major: Int, _ minor: Int) -> Bool {
        guard let v = version else { return false }
        return v.major > major || (v.major == major && v.minor >= minor)
    }

    /// Reads `<root>/proc/sys/kernel/ostype` and `osrelease`.
    public static func read(root: SystemRoot = SystemRoot()) throws(KernelError) -> KernelRelease {
        let type = try root.text("/proc/sys/kernel/ostype").trimmingCharacters(in: .whitespacesAndNewlines)
        let rel = try root.text("/proc/sys/kernel/osrelease").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !rel.isEmpty else { throw .empty(path: root.resolve("/proc/sys/kernel/osrelease"), reason: "no release") }
        return KernelRelease(ostype: type, release: rel)
    }
}
