#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A C `errno` value with its `strerror()` text. Raw syscalls in this file report failures as this value.
public struct Errno: Error, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    /// `ENOENT`: no such file or directory.
    public static let noSuchFile = Errno(ENOENT)
    /// `EOPNOTSUPP`: e.g. /proc/pressure/memory when PSI is disabled (`psi=0`).
    public static let notSupported = Errno(EOPNOTSUPP)
    /// `EACCES`: permission denied.
    public static let permissionDenied = Errno(EACCES)

    /// The `strerror()` text, e.g. "No such file or directory".
    public var description: String { String(cString: strerror(rawValue)) }
}

/// Every raw syscall swaplab makes, in one place (DESIGN.md: "one file holds the raw syscalls").
/// EINTR is retried; failures come back as `Errno`.
public enum Syscalls {
    /// Reads a whole file, as /proc and /sys files must be read: `open()` then `read()` until 0, so the
    /// kernel's own error (e.g. `EOPNOTSUPP` from a disabled PSI file) reaches the caller.
    /// The corresponding C functions are `open`, `read` and `close`.
    public static func readFile(_ path: String, limit: Int = 16 << 20) throws(Errno) -> [UInt8] {
        var fd: Int32
        repeat { fd = open(path, O_RDONLY | O_CLOEXEC) } while fd < 0 && errno == EINTR
        if fd < 0 { throw Errno(errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while bytes.count < limit {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Errno(errno)
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    /// The effective user ID of this process. The corresponding C function is `geteuid`.
    public static func effectiveUserID() -> UInt32 { UInt32(geteuid()) }

    /// Whether `path` exists (any file type, following links). The corresponding C function is `access`.
    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// The entries of directory `path`, without `.` and `..`; empty when it cannot be read.
    /// The corresponding C functions are `opendir`, `readdir` and `closedir`.
    public static func directoryEntries(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
