import Foundation
import SwapLabModel

/// Why a swapfile could not be made or removed, worded for the learner.
public enum SwapfileError: LearnerError, Sendable {
    case needsRoot
    case unsafeDirectory(String)
    case failed(String)

    public var problem: String {
        switch self {
        case .needsRoot: return "swap on/off needs root (swapon(2) requires CAP_SYS_ADMIN)"
        case .unsafeDirectory(let s), .failed(let s): return s
        }
    }

    public var remedy: String? {
        if case .needsRoot = self { return "run swaplab as root" }
        return nil
    }
    public var description: String { sentence }
}

extension SwapfileError: SaidInKorean {
    public var sentenceKo: String? {
        guard case .needsRoot = self else { return nil }
        return "swap on/off에는 root가 필요합니다 (swapon(2)에 CAP_SYS_ADMIN이 필요합니다); swaplab을 root로 실행하세요"
    }
}

/// A swapfile swaplab creates in a directory only root can write (`/var/lib/swaplab`, mode 0700), so no user can
/// replace it by a link: created with `O_CREAT|O_EXCL|O_NOFOLLOW`, mode 0600, space reserved with `fallocate`,
/// `mkswap`, then `swapon(2)`. Every step is journaled before it is made.
public enum Swapfile {
    /// Where swapfiles go.
    public static let directory = "/var/lib/swaplab"

    /// Checks that `path` is a real directory (not a link) owned by root and writable by no one else.
    static func checkRootOnly(_ path: String) throws(SwapfileError) {
        guard let st = try? Syscall.linkStatus(path) else {
            throw .unsafeDirectory("cannot inspect \(path); check that it exists")
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw .unsafeDirectory("\(path) is not a directory (a link?); remove it and try again")
        }
        guard st.st_uid == 0, st.st_mode & 0o022 == 0 else {
            throw .unsafeDirectory(
                "\(path) is not owned by root or is writable by others (mode \(String(st.st_mode & 0o7777, radix: 8))); "
                    + "fix with: chown root:root \(path); chmod go-w \(path)")
        }
    }

    /// The `mkswap` program from the usual places.
    static func mkswapPath() -> String? {
        ["/usr/sbin/mkswap", "/sbin/mkswap", "/usr/bin/mkswap", "/bin/mkswap"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Creates a swapfile of `bytes` (rounded up to whole pages) and swaps on to it. Returns its path.
    public static func create(bytes: Int64, journal: RestoreJournal) throws -> String {
        guard Syscall.isRoot else { throw SwapfileError.needsRoot }
        guard bytes >= 40 * 4096 else {
            throw SwapfileError.failed("a swapfile needs at least 160 KiB (mkswap's minimum of 40 pages); ask for more")
        }
        guard let mkswap = mkswapPath() else {
            throw SwapfileError.failed("mkswap was not found (util-linux); install it: apt-get install util-linux")
        }
        let parent = URL(fileURLWithPath: directory).deletingLastPathComponent().path
        try checkRootOnly(parent)
        if (try? Syscall.linkStatus(directory)) == nil {
            try Syscall.makeDirectory(directory, mode: 0o700)
        }
        try checkRootOnly(directory)
        let length = (bytes + 4095) / 4096 * 4096
        // O_EXCL|O_NOFOLLOW: never reuse or follow what is already there; the next free name is taken.
        var n = 0
        while (try? Syscall.linkStatus("\(directory)/swapfile-\(Syscall.processID)-\(n)")) != nil { n += 1 }
        let path = "\(directory)/swapfile-\(Syscall.processID)-\(n)"
        let fd = try journal.record(.swapFile(path: path)) { () throws -> Int32 in
            try Syscall.open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: 0o600)
        }
        do {
            defer { Syscall.close(fd) }
            try Syscall.changeMode(fd, 0o600, path: path)
            try Syscall.allocateSpace(fd, length: length, path: path)
            try Syscall.fsync(fd, path: path)
        } catch {
            journal.undo(.swapFile(path: path))
            throw SwapfileError.failed(
                "cannot reserve \(Quantity.format(bytes: length)) for \(path): \(error); free disk space")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: mkswap)
        p.arguments = [path]
        p.standardOutput = FileHandle.nullDevice
        let errPipe = Pipe()
        p.standardError = errPipe
        do {
            try p.run()
            p.waitUntilExit()
        } catch {
            journal.undo(.swapFile(path: path))
            throw SwapfileError.failed("cannot run \(mkswap): \(error)")
        }
        if p.terminationStatus != 0 {
            let msg = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            journal.undo(.swapFile(path: path))
            throw SwapfileError.failed("mkswap \(path) failed: \(msg.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        do {
            try journal.record(.swapOn(path: path)) { () throws -> Void in try Syscall.swapOn(path) }
        } catch {
            journal.undo(.swapFile(path: path))
            throw SwapfileError.failed("swapon \(path) failed: \(error)")
        }
        return path
    }

    /// Swaps off and removes every swapfile this journal created (never anything else). Returns what was done.
    public static func removeAll(journal: RestoreJournal) -> [UndoOutcome] {
        var outcomes: [UndoOutcome] = []
        for change in journal.pending.reversed() {
            if case .swapOn = change, let o = journal.undo(change) { outcomes.append(o) }
        }
        for change in journal.pending.reversed() {
            if case .swapFile = change, let o = journal.undo(change) { outcomes.append(o) }
        }
        return outcomes
    }
}
