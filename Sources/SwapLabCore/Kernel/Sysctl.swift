import Foundation

/// Reads and writes vm sysctls (`/proc/sys/vm/NAME`). Every write goes through the restore journal first.
public enum Sysctl {
    /// `/proc/sys/vm/NAME` below `root`, from `swappiness`, `vm.swappiness` or `vm/swappiness`.
    public static func path(_ name: String, root: String = "/") -> String {
        var n = name
        if n.hasPrefix("vm.") { n = String(n.dropFirst(3)) } else if n.hasPrefix("vm/") { n = String(n.dropFirst(3)) }
        let base = root.hasSuffix("/") ? root : root + "/"
        return base + "proc/sys/vm/" + n
    }

    /// `vm.swappiness` from `/proc/sys/vm/swappiness`.
    public static func name(ofPath path: String) -> String {
        guard let r = path.range(of: "/proc/sys/") else { return path }
        return path[r.upperBound...].replacingOccurrences(of: "/", with: ".")
    }

    /// The value as the file prints it, without the trailing newline.
    public static func read(path: String) throws(SystemError) -> String {
        try Syscall.readText(path).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The value of `vm.NAME` as the file prints it.
    public static func read(_ name: String, root: String = "/") throws(SystemError) -> String {
        try read(path: path(name, root: root))
    }

    /// Writes `value` to `vm.NAME` after journaling `old → new`. Nothing is journaled or written when the value
    /// is already `value`. The kernel's answer (e.g. EINVAL for an out-of-range value) is thrown as is.
    /// Returns the old value.
    @discardableResult
    public static func write(_ name: String, _ value: String, journal: RestoreJournal, root: String = "/") throws -> String {
        let p = path(name, root: root)
        let old = try read(path: p)
        if old == value { return old }
        let change: JournaledChange =
            p.hasSuffix("/nr_hugepages")
            ? .hugepages(path: p, old: Int64(old) ?? 0, new: Int64(value) ?? 0)
            : .sysctl(path: p, old: old, new: value)
        try journal.record(change) { () throws -> Void in try Syscall.writeText(p, value) }
        return old
    }

    /// Puts `vm.NAME` back to what it was before this journal changed it (only if it still has swaplab's value).
    @discardableResult
    public static func restore(_ name: String, journal: RestoreJournal, root: String = "/") -> UndoOutcome? {
        let p = path(name, root: root)
        guard let change = journal.pending.last(where: {
            switch $0 {
            case .sysctl(let cp, _, _), .hugepages(let cp, _, _): return cp == p
            default: return false
            }
        }) else { return nil }
        return journal.undo(change)
    }
}

/// One line of `/proc/swaps`.
public struct SwapDevice: Equatable, Sendable, Codable {
    /// The path, with the kernel's `\040` escapes for spaces undone.
    public var path: String
    /// `partition` or `file`.
    public var type: String
    public var sizeKiB: Int64
    public var usedKiB: Int64
    public var priority: Int
}

/// A minimal `/proc/swaps` reader (the full /proc readers live with the other kernel readers).
public enum SwapDevices {
    /// The active swap devices from `<root>/proc/swaps`. Format: `mm/swapfile.c: swap_show()`.
    public static func read(root: String = "/") throws(SystemError) -> [SwapDevice] {
        let base = root.hasSuffix("/") ? root : root + "/"
        return parse(try Syscall.readText(base + "proc/swaps"))
    }

    /// Parses the text of `/proc/swaps` (header line, then `path type size used priority`).
    public static func parse(_ text: String) -> [SwapDevice] {
        text.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard f.count >= 5, let size = Int64(f[2]), let used = Int64(f[3]), let prio = Int(f[4]) else { return nil }
            let path = String(f[0]).replacingOccurrences(of: "\\040", with: " ")
            return SwapDevice(path: path, type: String(f[1]), sizeKiB: size, usedKiB: used, priority: prio)
        }
    }
}

/// A minimal `/proc/mounts` reader.
public enum MountTable {
    /// One mount: where, and what type.
    public struct Entry: Equatable, Sendable {
        public var target: String
        public var type: String
    }

    /// The mounts listed in `/proc/mounts` (octal escapes like `\040` undone).
    public static func read(root: String = "/") -> [Entry] {
        let base = root.hasSuffix("/") ? root : root + "/"
        guard let text = try? Syscall.readText(base + "proc/mounts") else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let f = line.split(separator: " ")
            guard f.count >= 3 else { return nil }
            return Entry(target: String(f[1]).replacingOccurrences(of: "\\040", with: " "), type: String(f[2]))
        }
    }

    /// True when a filesystem of `type` is mounted at `target`.
    public static func isMounted(target: String, type: String) -> Bool {
        read().contains { $0.target == target && $0.type == type }
    }
}
