import SwapLabModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// What is wrong with a file the learner named (a recording, an export, a script, a capture) or one swaplab keeps
/// (progress, history); `description` says what is wrong and what to do.
public enum UserFileError: LearnerError, Equatable, Sendable {
    /// Nothing at `path`.
    case missing(path: String)
    /// `path` is not a regular file; `kind` says what it is ("a directory", "a FIFO (named pipe)", …); `writing`
    /// when it was to be replaced.
    case notAFile(path: String, kind: String, writing: Bool)
    /// The file is larger than swaplab reads for this purpose.
    case tooLarge(path: String, limit: Int)
    /// The bytes are not UTF-8 text (a UTF-16 file, a binary).
    case notUTF8(path: String)
    /// The file exists but cannot be read (permission, I/O error).
    case unreadable(path: String, errno: Errno)
    /// The folder a file would be written in does not exist (swaplab never creates folders for an export).
    case folderMissing(path: String, folder: String)
    /// A path that must be a folder is something else.
    case notAFolder(path: String)
    /// Writing failed (permission, full disk, read-only file system).
    case unwritable(path: String, errno: Errno)

    public var problem: String {
        switch self {
        case .missing(let path): return "\(path) does not exist"
        case .notAFile(let path, let kind, _): return "\(path) is \(kind), not a regular file"
        case .tooLarge(let path, let limit):
            return "\(path) is larger than \(UserFile.sizeText(limit)), more than swaplab reads here"
        case .notUTF8(let path): return "\(path) is not UTF-8 text"
        case .unreadable(let path, let errno): return "cannot read \(path): \(errno)"
        case .folderMissing(let path, let folder): return "cannot write \(path): the folder \(folder) does not exist"
        case .notAFolder(let path): return "\(path) is a file, not a folder"
        case .unwritable(let path, let errno): return "cannot write \(path): \(errno)"
        }
    }

    public var remedy: String? {
        switch self {
        case .missing: return "check the path"
        case .notAFile(_, _, let writing):
            return writing
                ? "swaplab writes only regular files: name a new file or a regular one" : "name a regular file"
        case .tooLarge: return "check it is the right file"
        case .notUTF8: return "save it as UTF-8"
        case .unreadable: return "check its permissions"
        case .folderMissing: return "create it first or choose another path"
        case .notAFolder: return "move it away so swaplab can keep its state there"
        case .unwritable: return "check the folder exists and is writable"
        }
    }

    public var description: String { sentence }
}

/// Reading and writing files whose paths come from outside: only regular files are read (never a FIFO, a device
/// or a directory, which could block or never end), up to a size limit checked before and while reading; writes
/// replace only a regular file or a missing path, checked with `lstat` (a link is never followed), through a new
/// temporary file in the same folder (`O_CREAT | O_EXCL | O_NOFOLLOW`), `fsync` and `rename(2)`, and never create
/// the folder. Every writer of swaplab (record, chart --svg, progress export and save, history) goes through here.
public enum UserFile {
    /// What a file type is, in words, for messages; nil for a regular file.
    static func kind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "not a regular file"
        }
    }

    /// `1 MiB`, `256 MiB` for messages.
    static func sizeText(_ bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }

    /// Checks that `path` names a regular file (links followed) no larger than `limit`; returns its size.
    @discardableResult
    public static func checkReadable(_ path: String, limit: Int) throws(UserFileError) -> Int {
        let st: stat
        do { st = try Syscall.status(path) } catch {
            if error.errno == .noSuchFile { throw .missing(path: path) }
            throw .unreadable(path: path, errno: error.errno)
        }
        if let kind = kind(st.st_mode) { throw .notAFile(path: path, kind: kind, writing: false) }
        if Int(st.st_size) > limit { throw .tooLarge(path: path, limit: limit) }
        return Int(st.st_size)
    }

    /// The bytes of the regular file `path`, at most `limit` of them (a file that grows past it while being read
    /// is refused too). Opened with `O_NONBLOCK`, so a FIFO swapped in after the check cannot block.
    public static func readBytes(_ path: String, limit: Int) throws(UserFileError) -> [UInt8] {
        try checkReadable(path, limit: limit)
        let fd: Int32
        do { fd = try Syscall.open(path, O_RDONLY | O_NONBLOCK) } catch {
            throw .unreadable(path: path, errno: error.errno)
        }
        defer { Syscall.close(fd) }
        do {
            let st = try Syscall.fileStatus(fd, path: path)
            if let kind = kind(st.st_mode) { throw UserFileError.notAFile(path: path, kind: kind, writing: false) }
        } catch let e as UserFileError {
            throw e
        } catch {
            throw .unreadable(path: path, errno: (error as? SystemError)?.errno ?? Errno(EIO))
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let r = chunk.withUnsafeMutableBytes { raw in
                Result { () throws(SystemError) -> Int in try Syscall.read(fd, raw.baseAddress!, raw.count, path: path)
                }
            }
            let n: Int
            do { n = try r.get() } catch { throw .unreadable(path: path, errno: error.errno) }
            if n == 0 { break }
            if bytes.count + n > limit { throw .tooLarge(path: path, limit: limit) }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    /// The UTF-8 text of the regular file `path` (at most `limit` bytes); a UTF-8 byte-order mark is dropped.
    public static func readText(_ path: String, limit: Int) throws(UserFileError) -> String {
        var bytes = try readBytes(path, limit: limit)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .notUTF8(path: path) }
        return text
    }

    /// Checks that `path` may be replaced: it is missing or a regular file (not followed if it is a link), and its
    /// folder exists. Returns the permission bits of the file there, if any.
    @discardableResult
    public static func checkWritable(_ path: String) throws(UserFileError) -> mode_t? {
        let folder = folderOf(path)
        do {
            let st = try Syscall.status(folder)
            if kind(st.st_mode) != "a directory" { throw UserFileError.notAFolder(path: folder) }
        } catch let e as UserFileError {
            throw e
        } catch {
            let errno = (error as? SystemError)?.errno ?? Errno(EIO)
            if errno == .noSuchFile || errno.rawValue == ENOTDIR { throw .folderMissing(path: path, folder: folder) }
            throw .unwritable(path: path, errno: errno)
        }
        do {
            let st = try Syscall.linkStatus(path)
            if let kind = kind(st.st_mode) { throw UserFileError.notAFile(path: path, kind: kind, writing: true) }
            return st.st_mode & 0o777
        } catch let e as UserFileError {
            throw e
        } catch {
            let errno = (error as? SystemError)?.errno ?? Errno(EIO)
            if errno == .noSuchFile { return nil }
            throw .unwritable(path: path, errno: errno)
        }
    }

    /// Replaces `path` with `bytes` atomically (see the type's doc); a new file gets `mode` (less the umask), an
    /// existing one keeps its permissions.
    public static func replace(_ path: String, with bytes: [UInt8], mode: mode_t = 0o644) throws(UserFileError) {
        try replace(path, mode: mode) { (fd, temporary) throws(UserFileError) in
            do throws(SystemError) { try Syscall.writeAll(fd, bytes, path: temporary) } catch {
                throw .unwritable(path: path, errno: error.errno)
            }
        }
    }

    /// Replaces `path` atomically with `text`.
    public static func write(_ text: String, to path: String) throws {
        try write(to: path) { put in try put(text) }
    }

    /// Replaces `path` atomically with text streamed by `body`, which hands it piece by piece to the function it is
    /// given, each piece written at once, so a large file never sits in memory whole. The target appears (by
    /// rename) only when `body` is done; on any error the temporary file is removed and the target is left as it
    /// was, and the error is `body`'s own or a `UserFileError`.
    public static func write(to path: String, _ body: (_ put: (String) throws -> Void) throws -> Void) throws {
        // `replace` throws only its own errors: an error of `body` is kept here, the write abandoned with a
        // stand-in, and the kept error rethrown.
        var bodyError: (any Error)?
        do {
            try replace(path) { (fd, temporary) throws(UserFileError) in
                do {
                    try body { piece in
                        do throws(SystemError) { try Syscall.writeAll(fd, piece, path: temporary) } catch {
                            throw UserFileError.unwritable(path: path, errno: error.errno)
                        }
                    }
                } catch let e as UserFileError {
                    throw e
                } catch {
                    bodyError = error
                    throw UserFileError.unwritable(path: path, errno: Errno(ECANCELED))
                }
            }
        } catch {
            if let bodyError { throw bodyError }
            throw error
        }
    }

    /// Replaces `path` atomically with what `write` puts in the temporary file (given as an open descriptor and by
    /// its path, for writers such as libedit's `history()` that open the file themselves).
    public static func replace(
        _ path: String, mode: mode_t = 0o644, write: (Int32, String) throws(UserFileError) -> Void
    ) throws(UserFileError) {
        let existing = try checkWritable(path)
        let folder = folderOf(path)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        var temporary = ""
        var fd: Int32 = -1
        for attempt in 0..<100 {
            temporary = folder + "/." + name + ".swaplab-\(Syscall.processID)-\(attempt)"
            do {
                fd = try Syscall.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: existing ?? mode)
                break
            } catch {
                if error.errno.rawValue == EEXIST { continue }
                throw .unwritable(path: path, errno: error.errno)
            }
        }
        guard fd >= 0 else { throw .unwritable(path: path, errno: Errno(EEXIST)) }
        var done = false
        defer {
            Syscall.close(fd)
            if !done { try? Syscall.unlink(temporary) }
        }
        if let existing { try? Syscall.changeMode(fd, existing, path: temporary) }
        try write(fd, temporary)
        do {
            try Syscall.fsync(fd, path: temporary)
            try Syscall.rename(temporary, to: path)
        } catch {
            throw .unwritable(path: path, errno: error.errno)
        }
        done = true
    }

    /// Makes sure `path` is a folder swaplab may keep its own state in, creating it (and missing parents) with
    /// `mode` when absent; something else at `path` is reported, not replaced.
    public static func ensureFolder(_ path: String, mode: mode_t = 0o700) throws(UserFileError) {
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            built += "/" + part
            do {
                let st = try Syscall.status(built)
                if kind(st.st_mode) != "a directory" { throw UserFileError.notAFolder(path: built) }
            } catch let e as UserFileError {
                throw e
            } catch {
                let errno = (error as? SystemError)?.errno ?? Errno(EIO)
                guard errno == .noSuchFile else { throw .unwritable(path: built, errno: errno) }
                do { try Syscall.makeDirectory(built, mode: mode) } catch {
                    if error.errno.rawValue != EEXIST { throw .unwritable(path: built, errno: error.errno) }
                }
            }
        }
    }

    /// The first existing part of `path` (itself or a folder above it) that is not a folder, or nil.
    public static func firstNonFolder(in path: String) -> String? {
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            built += "/" + part
            guard let st = try? Syscall.status(built) else { return nil }
            if kind(st.st_mode) != "a directory" { return built }
        }
        return nil
    }

    /// The folder holding `path` (`.` for a bare name).
    static func folderOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }
}
