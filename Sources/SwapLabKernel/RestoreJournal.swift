import Foundation
import SwapLabModel

/// One change swaplab makes to the machine, written to the journal before it is made.
public enum JournaledChange: Codable, Equatable, Sendable {
    /// A sysctl file (`/proc/sys/vm/swappiness`) written from `old` to `new` (values as the file prints them).
    case sysctl(path: String, old: String, new: String)
    /// `vm.nr_hugepages` changed; the kernel may grant fewer than asked, so any value between old and new is ours.
    case hugepages(path: String, old: Int64, new: Int64)
    /// A swapfile created at `path` (removed on undo).
    case swapFile(path: String)
    /// `swapon(path)` (undone with `swapoff`).
    case swapOn(path: String)
    /// A filesystem of `type` mounted at `target` (unmounted on undo).
    case mount(target: String, type: String)
    /// A tracefs instance directory created (its events disabled and the directory removed on undo).
    case traceInstance(path: String)
    /// A memory cgroup directory created (removed on undo once no task is left in it).
    case cgroup(path: String)
    /// A scratch file created by swaplab (removed on undo if it is still a regular file).
    case scratchFile(path: String)

    /// A short description for the learner (`vm.swappiness 60 → 10`).
    public var summary: String {
        switch self {
        case .sysctl(let path, let old, let new): return "\(Sysctl.name(ofPath: path)) \(old) → \(new)"
        case .hugepages(_, let old, let new): return "vm.nr_hugepages \(old) → \(new)"
        case .swapFile(let path): return "swapfile \(path) created"
        case .swapOn(let path): return "swapon \(path)"
        case .mount(let target, let type): return "\(type) mounted at \(target)"
        case .traceInstance(let path): return "tracefs instance \(path)"
        case .cgroup(let path): return "memory cgroup \(path)"
        case .scratchFile(let path): return "scratch file \(path)"
        }
    }
}

/// What undoing one change did.
public struct UndoOutcome: Equatable, Sendable, CustomStringConvertible {
    public enum Result: String, Sendable {
        /// Put back as it was.
        case restored
        /// Already as it was (nothing to do).
        case alreadyRestored
        /// Someone else changed it since, or it could not be undone: left as is.
        case left
    }
    public let change: JournaledChange
    public let result: Result
    /// Why, in one sentence for the learner.
    public let detail: String

    public var description: String { "\(change.summary): \(detail)" }
}

/// The restore journal: every change swaplab makes (sysctl, swapfile, swapon, mount, tracefs instance, huge pages)
/// is appended here, fsync'd, **before** it is made, and marked done when undone. A process killed half-way
/// leaves its journal behind, and `swaplab restore` undoes it from another process.
///
/// File: `<stateDirectory>/journal-<pid>.jsonl`, JSON lines: a `session` header with the pid and its start time
/// (from `/proc/PID/stat`, so a reused pid is not mistaken for the owner), then `change` and `done` lines.
public final class RestoreJournal: @unchecked Sendable {
    /// One line of the journal file.
    struct Line: Codable {
        var type: String
        var pid: Int32?
        var startTime: String?
        var id: Int?
        var change: JournaledChange?
        var result: String?
    }

    /// The journal file.
    public let url: URL
    /// The process that owns it.
    public let ownerPID: Int32
    private let ownerStart: String?
    private var changes: [(id: Int, change: JournaledChange)] = []
    private var done: Set<Int> = []
    private var nextID = 1
    private var fileCreated: Bool
    private let lock = NSLock()

    /// A new journal for this process in `directory` (the file is created with the first change).
    public init(directory: URL) {
        ownerPID = Syscall.processID
        ownerStart = RestoreJournal.startTime(of: ownerPID)
        url = directory.appendingPathComponent("journal-\(ownerPID).jsonl")
        fileCreated = false
    }

    /// Loads a journal left in `url` (by this or another process).
    public init(reading url: URL) throws {
        self.url = url
        let text = try String(contentsOf: url, encoding: .utf8)
        var pid: Int32 = 0
        var start: String?
        let decoder = JSONDecoder()
        for raw in text.split(separator: "\n") {
            // A line cut by a crash mid-write is skipped: the change it announced was not made yet.
            guard let line = try? decoder.decode(Line.self, from: Data(raw.utf8)) else { continue }
            switch line.type {
            case "session":
                pid = line.pid ?? 0
                start = line.startTime
            case "change":
                if let id = line.id, let c = line.change {
                    changes.append((id, c))
                    nextID = max(nextID, id + 1)
                }
            case "done":
                if let id = line.id { done.insert(id) }
            default: continue
            }
        }
        ownerPID = pid
        ownerStart = start
        fileCreated = true
    }

    /// Changes recorded and not yet undone, oldest first.
    public var pending: [JournaledChange] {
        lock.withLock { changes.filter { !done.contains($0.id) }.map(\.change) }
    }

    /// True while the process that wrote this journal is alive: same pid, same start time, and not a zombie
    /// (a zombie whose parent never reaps it can undo nothing).
    public var ownerIsAlive: Bool {
        guard Syscall.processExists(ownerPID) else { return false }
        let stat = RestoreJournal.statFields(of: ownerPID)
        if let state = stat?.first, state == "Z" || state == "X" { return false }
        guard let ownerStart else { return true }
        return RestoreJournal.startTime(of: ownerPID) == ownerStart
    }

    /// Appends `change` to the journal (fsync'd), then runs `make`. If `make` fails, the change is marked done
    /// (it was not made) and the error is rethrown. Returns the change's id.
    @discardableResult
    public func record<T>(_ change: JournaledChange, make: () throws -> T) throws -> T {
        let id = try lock.withLock { () throws -> Int in
            let id = nextID
            nextID += 1
            try append(Line(type: "change", id: id, change: change))
            changes.append((id, change))
            return id
        }
        do {
            return try make()
        } catch {
            markDone(id, result: "not made: \(error)")
            throw error
        }
    }

    /// Undoes every pending change, newest first, re-reading the current state before each one and restoring only
    /// what still has swaplab's value. Each change is marked done (restored, or left with the reason). The file is
    /// removed when nothing is pending.
    @discardableResult
    public func undoAll() -> [UndoOutcome] {
        let todo = lock.withLock { changes.filter { !done.contains($0.id) } }
        var outcomes: [UndoOutcome] = []
        for (id, change) in todo.reversed() {
            let outcome = RestoreJournal.undo(change)
            outcomes.append(outcome)
            markDone(id, result: outcome.result.rawValue)
        }
        lock.withLock {
            if fileCreated && changes.allSatisfy({ done.contains($0.id) }) {
                try? FileManager.default.removeItem(at: url)
                fileCreated = false
                changes = []
                done = []
            }
        }
        return outcomes
    }

    /// Undoes the newest pending change equal to `change` (e.g. `swap off` undoing its own swapon), if any.
    @discardableResult
    public func undo(_ change: JournaledChange) -> UndoOutcome? {
        let entry = lock.withLock { changes.last { $0.change == change && !done.contains($0.id) } }
        guard let entry else { return nil }
        let outcome = RestoreJournal.undo(change)
        markDone(entry.id, result: outcome.result.rawValue)
        return outcome
    }

    /// Marks a change done, e.g. after the code that made it has undone it itself.
    public func markDone(_ change: JournaledChange) {
        let entry = lock.withLock { changes.last { $0.change == change && !done.contains($0.id) } }
        if let entry { markDone(entry.id, result: "undone by its owner") }
    }

    private func markDone(_ id: Int, result: String) {
        lock.withLock {
            done.insert(id)
            try? append(Line(type: "done", id: id, result: result))
        }
    }

    /// Appends one JSON line and fsyncs; creates the directory and the file (with its session header) first.
    /// Must be called with `lock` held.
    private func append(_ line: Line) throws {
        var lines: [Line] = []
        if !fileCreated {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            lines.append(Line(type: "session", pid: ownerPID, startTime: ownerStart))
        }
        lines.append(line)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes: [UInt8] = []
        for l in lines {
            bytes += Array(try encoder.encode(l))
            bytes.append(0x0A)
        }
        let fd = try Syscall.open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, mode: 0o600)
        defer { Syscall.close(fd) }
        try Syscall.writeAll(fd, bytes, path: url.path)
        try Syscall.fsync(fd, path: url.path)
        if !fileCreated {
            fileCreated = true
            // The new directory entry must survive a crash too.
            if let dfd = try? Syscall.open(url.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY) {
                try? Syscall.fsync(dfd)
                Syscall.close(dfd)
            }
        }
    }

    // MARK: Undo, one change

    /// Undoes one change after re-reading the machine's current state.
    static func undo(_ change: JournaledChange) -> UndoOutcome {
        let undone: Undone
        switch change {
        case .sysctl(let path, let old, let new): undone = undoSysctl(path: path, old: old, new: new)
        case .hugepages(let path, let old, let new): undone = undoHugepages(path: path, old: old, new: new)
        case .swapOn(let path): undone = undoSwapOn(path: path)
        case .swapFile(let path): undone = undoSwapFile(path: path)
        case .mount(let target, let type): undone = undoMount(target: target, type: type)
        case .traceInstance(let path): undone = undoTraceInstance(path: path)
        case .cgroup(let path): undone = undoCgroup(path: path)
        case .scratchFile(let path): undone = undoScratchFile(path: path)
        }
        return UndoOutcome(change: change, result: undone.result, detail: undone.detail)
    }

    /// What undoing one change came to, and why in words.
    private typealias Undone = (result: UndoOutcome.Result, detail: String)

    /// A sysctl goes back to `old` only while it still holds swaplab's `new`.
    private static func undoSysctl(path: String, old: String, new: String) -> Undone {
        guard let current = try? Sysctl.read(path: path) else {
            return (.left, "cannot read \(path) now; left as is")
        }
        if current == old { return (.alreadyRestored, "already \(old)") }
        if current != new {
            return (
                .left,
                "is \(current) now, not swaplab's \(new): someone else changed it since; left as is "
                    + "(was \(old) before swaplab)"
            )
        }
        do {
            try Syscall.writeText(path, old)
            return (.restored, "restored to \(old)")
        } catch {
            return (.left, "could not write \(old): \(error)")
        }
    }

    /// `vm.nr_hugepages` goes back to `old` while it is anywhere between `old` and `new` (the kernel may have granted
    /// fewer pages than asked: `set_max_huge_pages()` in mm/hugetlb.c).
    private static func undoHugepages(path: String, old: Int64, new: Int64) -> Undone {
        guard let text = try? Sysctl.read(path: path), let current = Int64(text) else {
            return (.left, "cannot read \(path) now; left as is")
        }
        if current == old { return (.alreadyRestored, "already \(old)") }
        let ours = min(old, new)...max(old, new)
        if !ours.contains(current) {
            return (.left, "is \(current) now, outside swaplab's \(old)…\(new): someone else changed it; left as is")
        }
        do {
            try Syscall.writeText(path, String(old))
            return (.restored, "restored to \(old)")
        } catch {
            return (.left, "could not write \(old): \(error)")
        }
    }

    /// swapoff(2) while the file is still in /proc/swaps (it fails when memory cannot take the swapped pages back).
    private static func undoSwapOn(path: String) -> Undone {
        guard let active = try? Swaps.read().map(\.path) else {
            return (.left, "cannot read /proc/swaps; left as is")
        }
        if !active.contains(path) { return (.alreadyRestored, "not active") }
        do {
            try Syscall.swapOff(path)
            return (.restored, "swapped off")
        } catch {
            return (.left, "swapoff failed: \(error); run swapoff \(path) when memory allows")
        }
    }

    /// The swapfile is removed while it is still a regular file and no longer swap, then swaplab's directory if empty.
    private static func undoSwapFile(path: String) -> Undone {
        guard let st = try? Syscall.linkStatus(path) else { return (.alreadyRestored, "already gone") }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            return (.left, "is no longer a regular file; left as is")
        }
        if (try? Swaps.read().map(\.path).contains(path)) == true {
            return (.left, "still in use as swap; run swapoff \(path) then remove it")
        }
        do {
            try Syscall.unlink(path)
            // The directory is swaplab's own: leave no empty one behind (rmdir fails, harmlessly, while
            // another swaplab's swapfile is still in it).
            let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
            if parent == Swapfile.directory { try? Syscall.removeDirectory(parent) }
            return (.restored, "removed")
        } catch {
            return (.left, "could not remove: \(error)")
        }
    }

    /// umount(2) of a file system swaplab mounted, while it is still mounted.
    private static func undoMount(target: String, type: String) -> Undone {
        guard Mount.isMounted(target, type: type) else {
            return (.alreadyRestored, "not mounted")
        }
        do {
            try Syscall.unmount(target)
            return (.restored, "unmounted")
        } catch {
            return (.left, "could not unmount: \(error) (someone may be using it); left mounted")
        }
    }

    /// A private tracefs instance: its events disabled, then the directory removed (rmdir(2) on tracefs).
    private static func undoTraceInstance(path: String) -> Undone {
        guard (try? Syscall.linkStatus(path)) != nil else { return (.alreadyRestored, "already removed") }
        try? Syscall.writeText(path + "/events/enable", "0")
        do {
            try Syscall.removeDirectory(path)
            return (.restored, "removed")
        } catch {
            return (.left, "could not remove: \(error)")
        }
    }

    /// A memory cgroup directory, removed (rmdir(2) fails while a task is still in it).
    private static func undoCgroup(path: String) -> Undone {
        guard (try? Syscall.linkStatus(path)) != nil else { return (.alreadyRestored, "already removed") }
        do {
            try Syscall.removeDirectory(path)
            return (.restored, "removed")
        } catch {
            return (.left, "could not remove: \(error) (a task may still be in it); rmdir \(path) later")
        }
    }

    /// A scratch file is removed while it is still a regular file.
    private static func undoScratchFile(path: String) -> Undone {
        guard let st = try? Syscall.linkStatus(path) else { return (.alreadyRestored, "already gone") }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            return (.left, "is no longer a regular file; left as is")
        }
        do {
            try Syscall.unlink(path)
            return (.restored, "removed")
        } catch {
            return (.left, "could not remove: \(error)")
        }
    }

    // MARK: Journals left by other processes

    /// The journal files in `directory` (`journal-*.jsonl`).
    public static func journals(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasPrefix("journal-") && $0.hasSuffix(".jsonl") }.sorted()
            .map { directory.appendingPathComponent($0) }
    }

    /// What `restoreAbandoned` did with one journal.
    public struct Report: Sendable {
        public let url: URL
        public let ownerPID: Int32
        /// True when the owner is still running: its journal was left alone.
        public let ownerAlive: Bool
        public let outcomes: [UndoOutcome]
    }

    /// Undoes every journal in `directory` whose process is gone; a journal of a live process is left alone.
    public static func restoreAbandoned(in directory: URL, skipping ownPID: Int32 = Syscall.processID) -> [Report] {
        var reports: [Report] = []
        for url in journals(in: directory) {
            guard let journal = try? RestoreJournal(reading: url) else { continue }
            if journal.ownerPID == ownPID { continue }
            if journal.ownerIsAlive {
                reports.append(Report(url: url, ownerPID: journal.ownerPID, ownerAlive: true, outcomes: []))
                continue
            }
            let outcomes = journal.undoAll()
            if journal.pending.isEmpty { try? FileManager.default.removeItem(at: url) }
            reports.append(Report(url: url, ownerPID: journal.ownerPID, ownerAlive: false, outcomes: outcomes))
        }
        return reports
    }

    /// Field 22 of `/proc/PID/stat` (start time in clock ticks since boot), which tells a reused pid apart.
    static func startTime(of pid: Int32) -> String? {
        // Fields after the comm: state is field 3, so starttime (22) is index 19 here.
        guard let fields = statFields(of: pid), fields.count > 19 else { return nil }
        return String(fields[19])
    }

    /// The fields of `/proc/PID/stat` after the `(comm)` (which may contain spaces), starting with the state.
    static func statFields(of pid: Int32) -> [Substring]? {
        guard let text = try? Syscall.readText("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else {
            return nil
        }
        return text[text.index(after: close)...].split(separator: " ")
    }
}
