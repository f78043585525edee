import Foundation
import SwapLabModel

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
    public static func write(
        _ name: String, _ value: String, journal: RestoreJournal, root: String = "/"
    ) throws -> String {
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
        guard
            let change = journal.pending.last(where: {
                switch $0 {
                case .sysctl(let cp, _, _), .hugepages(let cp, _, _): return cp == p
                default: return false
                }
            })
        else { return nil }
        return journal.undo(change)
    }
}
