import Foundation
import SwapLabModel

/// What went wrong reading or changing the real kernel's state, with the file, line and text involved.
/// `problem` says what is wrong and `remedy` what to do.
public enum KernelError: LearnerError, Equatable, Sendable {
    /// A file could not be read at all (missing, permission, or the kernel refused it).
    case unreadable(path: String, errno: Errno)
    /// A line did not have the shape this reader knows.
    case malformed(path: String, line: Int, text: String, reason: String)
    /// The file was read but holds nothing this reader can use.
    case empty(path: String, reason: String)

    public var problem: String {
        switch self {
        case .unreadable(let path, let errno): return "cannot read \(path): \(errno)"
        case .malformed(let path, let line, let text, let reason):
            return "\(path):\(line): \(reason) in '\(text)'"
        case .empty(let path, let reason): return "\(path): \(reason)"
        }
    }

    public var remedy: String? {
        switch self {
        case .unreadable(_, let errno):
            switch errno {
            case .noSuchFile:
                return
                    "check that /proc is mounted and the kernel provides this file (or that --root points at a captured tree)"
            case .permissionDenied: return "run as root, or read it with sudo"
            case .notSupported: return "the kernel has this feature switched off (a boot parameter or config)"
            default: return "check the file exists and is readable"
            }
        case .malformed(let path, _, _, _):
            return
                "this kernel prints a format swaplab does not know — please report the file (cat \(path)) with `uname -r`"
        case .empty: return "check the file is a real capture of it"
        }
    }

    public var description: String { sentence }
}

/// Files below a system root (normally `/`; tests point it at a captured tree, e.g. `<root>/proc/zoneinfo`).
/// Every /proc and /sys reader takes one, so tests read real captured files instead of mocks.
public struct SystemRoot: Sendable, Hashable {
    /// The directory standing for `/`.
    public let path: String

    public init(_ path: String = "/") { self.path = path }

    /// The real path for `absolute` (`/proc/zoneinfo` → `<root>/proc/zoneinfo`).
    public func resolve(_ absolute: String) -> String {
        if path == "/" || path.isEmpty { return absolute }
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        return base + (absolute.hasPrefix("/") ? absolute : "/" + absolute)
    }

    /// The text of `absolute` below this root. Invalid UTF-8 is repaired rather than rejected.
    public func text(_ absolute: String) throws(KernelError) -> String {
        let real = resolve(absolute)
        do {
            let bytes = try Syscall.readBytes(real, limit: 16 << 20)
            return String(decoding: bytes, as: UTF8.self)
        } catch {
            throw .unreadable(path: real, errno: error.errno)
        }
    }

    /// The text of `absolute`, or nil when it cannot be read (for optional files such as MGLRU's switch).
    public func optionalText(_ absolute: String) -> String? {
        try? text(absolute)
    }

    /// The first line of `absolute`, trimmed, or nil when it cannot be read.
    public func firstLine(_ absolute: String) -> String? {
        guard let t = optionalText(absolute) else { return nil }
        return t.split(separator: "\n", omittingEmptySubsequences: false).first
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Whether `absolute` exists below this root.
    public func exists(_ absolute: String) -> Bool { Syscall.exists(resolve(absolute)) }

    /// Entries of the directory `absolute` below this root, sorted; empty when it cannot be read.
    public func entries(_ absolute: String) -> [String] { Syscall.directoryEntries(resolve(absolute)) }
}
