import SwapLabModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A C `errno` value with its `strerror()` text.
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

/// A failed system call: which call, on what, and the kernel's `errno` with its `strerror` text.
public struct SystemError: LearnerError, Equatable, Sendable {
    /// The C function that failed (`open`, `swapon`, …).
    public let function: String
    /// The path or object it acted on, if any.
    public let subject: String
    /// The `errno` value.
    public let errno: Errno

    public init(_ function: String, _ subject: String = "", errno: Int32) {
        self.function = function
        self.subject = subject
        self.errno = Errno(errno)
    }

    /// `strerror(errno)`.
    public var reason: String { errno.description }

    public var problem: String {
        subject.isEmpty ? "\(function) failed: \(reason)" : "\(function) \(subject) failed: \(reason)"
    }

    public var description: String { problem }
}

/// libc functions the Swift Glibc module does not import (`fallocate`, `swapon`, `prctl` need `_GNU_SOURCE` or
/// `<sys/swap.h>`), looked up once by name with `dlsym`.
enum LibC {
    static func function<T>(_ name: String, as type: T.Type) -> T? {
        guard let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(sym, to: type)
    }
    typealias Fallocate = @convention(c) (Int32, Int32, Int64, Int64) -> Int32
    typealias SwapOn = @convention(c) (UnsafePointer<CChar>, Int32) -> Int32
    typealias SwapOff = @convention(c) (UnsafePointer<CChar>) -> Int32
    /// `prctl` is variadic in C; on x86-64 and arm64 Linux integer arguments travel in the same registers either way.
    typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    static let fallocate = function("fallocate", as: Fallocate.self)
    static let swapon = function("swapon", as: SwapOn.self)
    static let swapoff = function("swapoff", as: SwapOff.self)
    static let prctl = function("prctl", as: Prctl.self)
    static let pipe2 = function("pipe2", as: Pipe2.self)
    static let prSetPdeathsig: Int32 = 1
    static let prSetName: Int32 = 15
}

/// Every raw system call swaplab makes, in one place (DESIGN.md: "one file holds the raw syscalls"). Names read as
/// English; each doc line names the C function. Calls that can be interrupted are retried on `EINTR`; failures come
/// back as `SystemError` values.
public enum Syscall {
    /// Runs `body` until it does not fail with `EINTR`; a result of -1 becomes a `SystemError`.
    @inline(__always)
    static func retrying<T: BinaryInteger>(
        _ function: String, _ subject: String, _ body: () -> T
    ) throws(SystemError) -> T {
        while true {
            let r = body()
            if r != -1 { return r }
            let e = Glibc.errno
            if e == EINTR { continue }
            throw SystemError(function, subject, errno: e)
        }
    }

    /// Stands in for a libc function this system lacks: fails with ENOSYS.
    static func missing() -> Int32 {
        Glibc.errno = ENOSYS
        return -1
    }

    /// Opens `path` with `flags` (and `mode` for `O_CREAT`). The corresponding C function is `open`.
    public static func open(_ path: String, _ flags: Int32, mode: mode_t = 0) throws(SystemError) -> Int32 {
        try retrying("open", path) { Glibc.open(path, flags | O_CLOEXEC, mode) }
    }

    /// Closes `fd`, ignoring errors (there is nothing useful to do about them). The C function is `close`.
    public static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    /// Reads up to `count` bytes into `buffer`; 0 means end of file. The corresponding C function is `read`.
    public static func read(
        _ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, path: String = ""
    )
        throws(SystemError) -> Int
    {
        try retrying("read", path) { Glibc.read(fd, buffer, count) }
    }

    /// Writes all of `bytes` to `fd`. The corresponding C function is `write`.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String = "") throws(SystemError) {
        var done = 0
        while done < bytes.count {
            let r = bytes.withUnsafeBytes { raw in
                Result { () throws(SystemError) -> Int in
                    try retrying("write", path) { Glibc.write(fd, raw.baseAddress! + done, raw.count - done) }
                }
            }
            done += try r.get()
        }
    }

    /// Writes all of `text`'s UTF-8 bytes to `fd`, without copying them first. The corresponding C function is
    /// `write`.
    public static func writeAll(_ fd: Int32, _ text: String, path: String = "") throws(SystemError) {
        var text = text
        let r = text.withUTF8 { raw in
            Result { () throws(SystemError) -> Void in
                var done = 0
                while done < raw.count {
                    done += try retrying("write", path) { Glibc.write(fd, raw.baseAddress! + done, raw.count - done) }
                }
            }
        }
        try r.get()
    }

    /// Renames `from` to `to`, replacing `to` at once (the reader sees the old file or the new one, never half); a
    /// link at `to` is replaced, never followed. The corresponding C function is `rename`.
    public static func rename(_ from: String, to: String) throws(SystemError) {
        _ = try retrying("rename", to) { Glibc.rename(from, to) }
    }

    /// Flushes `fd`'s data and metadata to disk. The corresponding C function is `fsync`.
    public static func fsync(_ fd: Int32, path: String = "") throws(SystemError) {
        _ = try retrying("fsync", path) { Glibc.fsync(fd) }
    }

    /// Creates directory `path` with `mode`. The corresponding C function is `mkdir`.
    public static func makeDirectory(_ path: String, mode: mode_t) throws(SystemError) {
        _ = try retrying("mkdir", path) { Glibc.mkdir(path, mode) }
    }

    /// Removes the empty directory `path`. The corresponding C function is `rmdir`.
    public static func removeDirectory(_ path: String) throws(SystemError) {
        _ = try retrying("rmdir", path) { Glibc.rmdir(path) }
    }

    /// Removes the file `path`. The corresponding C function is `unlink`.
    public static func unlink(_ path: String) throws(SystemError) {
        _ = try retrying("unlink", path) { Glibc.unlink(path) }
    }

    /// The status of `path` itself (a link is not followed). The corresponding C function is `lstat`.
    public static func linkStatus(_ path: String) throws(SystemError) -> stat {
        var st = stat()
        _ = try retrying("lstat", path) { Glibc.lstat(path, &st) }
        return st
    }

    /// The status of what `path` names, following links. The corresponding C function is `stat`.
    public static func status(_ path: String) throws(SystemError) -> stat {
        var st = stat()
        _ = try retrying("stat", path) { Glibc.fstatat(AT_FDCWD, path, &st, 0) }
        return st
    }

    /// The status of an open file. The corresponding C function is `fstat`.
    public static func fileStatus(_ fd: Int32, path: String = "") throws(SystemError) -> stat {
        var st = stat()
        _ = try retrying("fstat", path) { Glibc.fstat(fd, &st) }
        return st
    }

    /// Sets an open file's permission bits. The corresponding C function is `fchmod`.
    public static func changeMode(_ fd: Int32, _ mode: mode_t, path: String = "") throws(SystemError) {
        _ = try retrying("fchmod", path) { Glibc.fchmod(fd, mode) }
    }

    /// Reserves `length` bytes of disk for `fd` (real blocks, as swap needs). The C function is `fallocate`.
    public static func allocateSpace(_ fd: Int32, length: Int64, path: String = "") throws(SystemError) {
        _ = try retrying("fallocate", path) { LibC.fallocate?(fd, 0, 0, length) ?? missing() }
    }

    /// Mounts a filesystem of `type` at `target`. The corresponding C function is `mount`.
    public static func mount(source: String, target: String, type: String) throws(SystemError) {
        _ = try retrying("mount", target) { Glibc.mount(source, target, type, 0, nil) }
    }

    /// Unmounts `target`. The corresponding C function is `umount2` (flags 0: fails with EBUSY when in use).
    public static func unmount(_ target: String) throws(SystemError) {
        _ = try retrying("umount2", target) { Glibc.umount2(target, 0) }
    }

    /// Starts swapping to `path`. The corresponding C function is `swapon` (flags 0: default priority).
    public static func swapOn(_ path: String) throws(SystemError) {
        _ = try retrying("swapon", path) { LibC.swapon?(path, 0) ?? missing() }
    }

    /// Stops swapping to `path` (the kernel reads its pages back first). The C function is `swapoff`.
    public static func swapOff(_ path: String) throws(SystemError) {
        _ = try retrying("swapoff", path) { LibC.swapoff?(path) ?? missing() }
    }

    /// Waits up to `timeoutMilliseconds` for `fd` to become readable; true when it is (or hung up).
    /// The corresponding C function is `poll`.
    public static func waitReadable(_ fd: Int32, timeoutMilliseconds: Int32) throws(SystemError) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let r = Glibc.poll(&p, 1, timeoutMilliseconds)
        if r == -1 {
            if Glibc.errno == EINTR { return false }
            throw SystemError("poll", "fd \(fd)", errno: Glibc.errno)
        }
        return r > 0
    }

    /// Sends `signal` to process `pid`. The corresponding C function is `kill`.
    public static func sendSignal(_ signal: Int32, to pid: Int32) throws(SystemError) {
        _ = try retrying("kill", "pid \(pid)") { Glibc.kill(pid, signal) }
    }

    /// True when process `pid` exists (signal 0 probes without sending; EPERM means it exists).
    /// The corresponding C function is `kill`.
    public static func processExists(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        if Glibc.kill(pid, 0) == 0 { return true }
        return Glibc.errno == EPERM
    }

    /// This process's id. The corresponding C function is `getpid`.
    public static var processID: Int32 { Glibc.getpid() }

    /// The parent's process id. The corresponding C function is `getppid`.
    public static var parentProcessID: Int32 { Glibc.getppid() }

    /// The effective user ID of this process. The corresponding C function is `geteuid`.
    public static var effectiveUserID: UInt32 { UInt32(Glibc.geteuid()) }

    /// True when running as root (effective uid 0). The corresponding C function is `geteuid`.
    public static var isRoot: Bool { Glibc.geteuid() == 0 }

    /// Whether `path` exists (any file type, following links). The corresponding C function is `access`.
    public static func exists(_ path: String) -> Bool { Glibc.access(path, F_OK) == 0 }

    /// The entries of directory `path`, without `.` and `..`, sorted; empty when it cannot be read.
    /// The corresponding C functions are `opendir`, `readdir` and `closedir`.
    public static func directoryEntries(_ path: String) -> [String] {
        guard let dir = Glibc.opendir(path) else { return [] }
        defer { Glibc.closedir(dir) }
        var names: [String] = []
        while let entry = Glibc.readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Maps `length` bytes of private anonymous memory. The corresponding C function is `mmap`.
    public static func mapAnonymous(length: Int) throws(SystemError) -> UnsafeMutableRawPointer {
        let p = Glibc.mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let p, p != MAP_FAILED else { throw SystemError("mmap", "\(length) bytes", errno: Glibc.errno) }
        return p
    }

    /// Unmaps memory mapped by `mapAnonymous`. The corresponding C function is `munmap`.
    public static func unmap(_ address: UnsafeMutableRawPointer, length: Int) {
        _ = Glibc.munmap(address, length)
    }

    /// Gives the kernel advice about a mapping (`MADV_NOHUGEPAGE` keeps it in 4 KiB pages).
    /// The corresponding C function is `madvise`.
    /// `MADV_COLD` (Linux 5.4+, include/uapi/asm-generic/mman-common.h): the pages are deactivated and their
    /// references forgotten, so reclaim takes them first; not every libc header names it.
    public static let adviseCold: Int32 = 20

    public static func advise(_ address: UnsafeMutableRawPointer, length: Int, _ advice: Int32) throws(SystemError) {
        _ = try retrying("madvise", "\(length) bytes") { Glibc.madvise(address, length, advice) }
    }

    /// Asks the kernel to send `signal` to this process when its parent dies, and names the thread `name`
    /// (at most 15 characters, what `ps` and trace lines show). The corresponding C function is `prctl`
    /// (`PR_SET_PDEATHSIG`, `PR_SET_NAME`).
    public static func bindToParent(deathSignal signal: Int32, name: String) {
        _ = LibC.prctl?(LibC.prSetPdeathsig, UInt(signal), 0, 0, 0)
        var bytes = Array(name.utf8.prefix(15))
        bytes.append(0)
        bytes.withUnsafeBufferPointer { _ = LibC.prctl?(LibC.prSetName, UInt(bitPattern: $0.baseAddress), 0, 0, 0) }
    }

    /// Sleeps `seconds` (resumes after signals). The corresponding C function is `nanosleep`.
    public static func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        var req = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        var rem = timespec()
        while Glibc.nanosleep(&req, &rem) == -1 && Glibc.errno == EINTR { req = rem }
    }

    /// Seconds on `CLOCK_MONOTONIC`, the clock of `trace_clock=mono`. The C function is `clock_gettime`.
    public static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Installs `handler` for `signal` with `SA_RESTART` and an empty mask, so a signal never makes a buffered read
    /// spin (`poll()` and `nanosleep()` still return EINTR early). The corresponding C function is `sigaction`.
    public static func installSignalHandler(_ signal: Int32, _ handler: @convention(c) (Int32) -> Void) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        action.sa_flags = SA_RESTART
        sigemptyset(&action.sa_mask)
        _ = sigaction(signal, &action, nil)
    }

    /// Unblocks `signals` for the calling thread. The corresponding C function is `pthread_sigmask`.
    public static func unblockSignals(_ signals: [Int32]) {
        var set = sigset_t()
        sigemptyset(&set)
        for s in signals { sigaddset(&set, s) }
        _ = pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Blocks `signals` for the calling thread, so the process's main thread gets them. The corresponding C
    /// function is `pthread_sigmask`.
    public static func blockSignals(_ signals: [Int32]) {
        var set = sigset_t()
        sigemptyset(&set)
        for s in signals { sigaddset(&set, s) }
        _ = pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Restores the default action for `signal`. The corresponding C function is `signal`.
    public static func restoreDefaultHandler(_ signal: Int32) {
        _ = Glibc.signal(signal, SIG_DFL)
    }

    /// Sends `signal` to this process. The corresponding C function is `raise`.
    public static func raiseSignal(_ signal: Int32) { _ = Glibc.raise(signal) }

    // MARK: Whole small files (/proc, /sys, tracefs)

    /// The bytes of a whole file, read as /proc and /sys files must be: `read` until 0 (at most about `limit`
    /// bytes), so the kernel's own error (e.g. `EOPNOTSUPP` from a disabled PSI file) reaches the caller.
    /// The corresponding C functions are `open`, `read` and `close`.
    public static func readBytes(_ path: String, limit: Int = .max) throws(SystemError) -> [UInt8] {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        var bytes: [UInt8] = []
        // Start small: a sysctl read makes the kernel allocate and zero a buffer as large as the request
        // (proc_sys_call_handler()), so 64 KiB for a 3-byte value costs more than the read itself.
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let r = chunk.withUnsafeMutableBytes { raw in
                Result { () throws(SystemError) -> Int in try read(fd, raw.baseAddress!, raw.count, path: path) }
            }
            let n = try r.get()
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if n == chunk.count && chunk.count < 65536 { chunk = [UInt8](repeating: 0, count: chunk.count * 4) }
        }
        return bytes
    }

    /// Reads the whole of `path` into `buffer` from its start and returns how many bytes it holds; the buffer only
    /// grows, so a reader that keeps it (the 10 Hz sampler) allocates nothing once it is big enough. Reads until
    /// `read` returns 0, as /proc files must be read. The corresponding C functions are `open`, `read` and `close`.
    public static func readWhole(_ path: String, into buffer: inout [UInt8]) throws(SystemError) -> Int {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        if buffer.count < 4096 { buffer.append(contentsOf: repeatElement(0, count: 4096 - buffer.count)) }
        var used = 0
        while true {
            if used == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
            let r = buffer.withUnsafeMutableBytes { raw in
                Result { () throws(SystemError) -> Int in
                    try read(fd, raw.baseAddress! + used, raw.count - used, path: path)
                }
            }
            let n = try r.get()
            if n == 0 { return used }
            used += n
        }
    }

    /// The whole text of a small file such as `/proc/sys/vm/swappiness` or a `/proc` table (read with `read`).
    public static func readText(_ path: String) throws(SystemError) -> String {
        String(decoding: try readBytes(path), as: UTF8.self)
    }

    /// Writes `text` to an existing file (a sysctl, a tracefs control file) in one `write`, as `echo` does.
    public static func writeText(_ path: String, _ text: String) throws(SystemError) {
        let fd = try open(path, O_WRONLY | O_TRUNC)
        defer { close(fd) }
        try writeAll(fd, Array(text.utf8), path: path)
    }
}

// MARK: Child processes

/// How a child process ended.
public enum ChildExit: Equatable, Sendable, CustomStringConvertible {
    /// `exit(code)`.
    case exited(Int32)
    /// Killed by `signal` (9 = SIGKILL, as the OOM killer sends).
    case signaled(Int32)

    public var description: String {
        switch self {
        case .exited(let c): return "exited with status \(c)"
        case .signaled(let s): return "killed by signal \(s) (\(Syscall.signalName(s)))"
        }
    }
}

extension Syscall {
    /// A pipe whose ends close on exec. The corresponding C function is `pipe2` (`O_CLOEXEC`).
    public static func makePipe() throws(SystemError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        _ = try retrying("pipe2", "") { LibC.pipe2?(&fds, O_CLOEXEC) ?? missing() }
        return (fds[0], fds[1])
    }

    /// Starts `executable` with `arguments` (argv[0] included), its stdin and stdout connected to `stdin` and
    /// `stdout` (stderr inherited). The corresponding C function is `posix_spawn`.
    public static func spawn(
        _ executable: String, arguments: [String], stdin: Int32, stdout: Int32
    ) throws(SystemError) -> Int32 {
        // The child starts with no blocked signals and default dispositions (the caller may block or ignore some).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGPIPE, SIGTERM, SIGHUP, SIGINT] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let r = argv.withUnsafeBufferPointer { buf in
            Glibc.posix_spawn(&pid, executable, &actions, &attributes, buf.baseAddress!, environ)
        }
        if r != 0 { throw SystemError("posix_spawn", executable, errno: r) }
        return pid
    }

    /// Reaps child `pid` if it has ended (or waits for it with `block`); nil while it runs.
    /// The corresponding C function is `waitpid`.
    public static func reap(_ pid: Int32, block: Bool) throws(SystemError) -> ChildExit? {
        var status: Int32 = 0
        let r = try retrying("waitpid", "pid \(pid)") { Glibc.waitpid(pid, &status, block ? 0 : WNOHANG) }
        if r == 0 { return nil }
        let sig = status & 0x7f
        if sig == 0 { return .exited((status >> 8) & 0xff) }
        return .signaled(sig)
    }

    /// User + system CPU seconds this process has used. The corresponding C function is `getrusage` (`RUSAGE_SELF`).
    public static func cpuSeconds() -> Double {
        var usage = rusage()
        _ = getrusage(RUSAGE_SELF.rawValue, &usage)
        return seconds(usage)
    }

    private static func seconds(_ u: rusage) -> Double {
        Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec)
            + Double(u.ru_stime.tv_usec) / 1e6
    }

    /// `SIGKILL` for 9 and so on. The corresponding C function is `sigabbrev_np` (here a small table).
    public static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGKILL: return "SIGKILL"
        case SIGTERM: return "SIGTERM"
        case SIGSEGV: return "SIGSEGV"
        case SIGBUS: return "SIGBUS"
        case SIGABRT: return "SIGABRT"
        case SIGINT: return "SIGINT"
        case SIGHUP: return "SIGHUP"
        default: return "signal \(signal)"
        }
    }
}

extension Syscall {
    /// Makes writes to a pipe whose reader died fail with EPIPE instead of killing this process.
    /// The corresponding C function is `signal` (`SIGPIPE`, `SIG_IGN`).
    public static func ignoreBrokenPipes() { _ = Glibc.signal(SIGPIPE, SIG_IGN) }

    /// Reads without blocking: nil when nothing is there yet (`EAGAIN`), 0 at end of file.
    /// The corresponding C function is `read` on an `O_NONBLOCK` descriptor.
    public static func readIfReady(
        _ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, path: String = ""
    )
        throws(SystemError) -> Int?
    {
        while true {
            let r = Glibc.read(fd, buffer, count)
            if r >= 0 { return r }
            let e = Glibc.errno
            if e == EINTR { continue }
            if e == EAGAIN || e == EWOULDBLOCK { return nil }
            throw SystemError("read", path, errno: e)
        }
    }
}

/// The terminal and the shell's own descriptors: the only place the REPL's line readers, output and waits reach the
/// C library.
extension Syscall {
    public static let standardInput: Int32 = STDIN_FILENO
    public static let standardOutput: Int32 = STDOUT_FILENO

    /// True when `fd` is a terminal. The C function is `isatty`.
    public static func isTerminal(_ fd: Int32) -> Bool { Glibc.isatty(fd) == 1 }

    /// The width of the terminal on standard output in columns, or nil when it is not a terminal or does not say.
    /// The one terminal-size probe: `ioctl(TIOCGWINSZ)`.
    public static func terminalColumns() -> Int? {
        var ws = winsize()
        guard isTerminal(STDOUT_FILENO), ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 else {
            return nil
        }
        return Int(ws.ws_col)
    }

    /// Drops what was typed but not yet read on the terminal `fd` (after Ctrl-C). The C function is `tcflush`.
    public static func discardTypedInput(_ fd: Int32) {
        if isTerminal(fd) { _ = tcflush(fd, TCIFLUSH) }
    }

    /// Writes what it can of `bytes` to `fd` once, ignoring errors: for redrawing a terminal line from inside a
    /// libedit callback, where nothing can be reported.
    public static func writeUnchecked(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) {
        _ = Glibc.write(fd, bytes.baseAddress, bytes.count)
    }

    /// Up to `count` bytes read from `fd` into a new array once `waitReadable` said so: nil when the read was
    /// interrupted or would block, an empty array at end of input or on an error that ends it.
    public static func readAvailable(_ fd: Int32, count: Int) -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: count)
        let got = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if got > 0 { return Array(chunk[..<got]) }
        if got < 0 && (Glibc.errno == EINTR || Glibc.errno == EAGAIN) { return nil }
        return []
    }

    /// Sleeps up to `seconds` once; a signal (Ctrl-C) ends it early, so a caller's loop can look at its flags at
    /// once. The C function is `nanosleep`.
    public static func nap(seconds: Double) {
        guard seconds > 0 else { return }
        var req = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        _ = Glibc.nanosleep(&req, nil)
    }

    /// `errno` as the last call left it, and a way to clear it first, for C libraries (libedit) that report
    /// through it.
    public static var lastErrno: Int32 {
        get { Glibc.errno }
        set { Glibc.errno = newValue }
    }
}
