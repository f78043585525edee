import Foundation
import SwapLabModel

/// What a hog writes into its pages.
public enum HogFill: String, CaseIterable, Sendable, Codable {
    /// Random bytes in every byte (incompressible: zswap/zram gain nothing, as in the course).
    case random
    /// Zeros written to every page (the pages are still allocated: a write fault never maps the zero page).
    case zero
}

/// A counter-based wyrand stream: word `i` is `wymix(seed + (i + 1) · 0xa0761d6478bd642f)`, so the child can
/// regenerate any page's bytes from the seed to verify it, with no state to keep.
@usableFromInline
struct PageStream {
    @usableFromInline static let increment: UInt64 = 0xa076_1d64_78bd_642f
    @usableFromInline static let mixer: UInt64 = 0xe703_7ed1_a0b4_28db

    /// The 64-bit word at position `index` of the stream `seed`.
    @inline(__always) @usableFromInline
    static func word(seed: UInt64, index: UInt64) -> UInt64 {
        let s = seed &+ (index &+ 1) &* increment
        let m = s.multipliedFullWidth(by: s ^ mixer)
        return m.high ^ m.low
    }

    /// Fills `count` words at `base` with the stream from word `first`.
    @inline(__always) @usableFromInline
    static func fill(_ base: UnsafeMutablePointer<UInt64>, count: Int, seed: UInt64, first: UInt64) {
        var s = seed &+ (first &+ 1) &* increment
        for i in 0..<count {
            let m = s.multipliedFullWidth(by: s ^ mixer)
            base[i] = m.high ^ m.low
            s = s &+ increment
        }
    }

    /// The number of pages among `pages` (of 512 words) whose words differ from the stream.
    @inline(__always) @usableFromInline
    static func badPages(_ base: UnsafePointer<UInt64>, pages: Int, seed: UInt64, first: UInt64) -> Int {
        var bad = 0
        var s = seed &+ (first &+ 1) &* increment
        for p in 0..<pages {
            var diff: UInt64 = 0
            let page = base + p * 512
            for i in 0..<512 {
                let m = s.multipliedFullWidth(by: s ^ mixer)
                diff |= page[i] ^ (m.high ^ m.low)
                s = s &+ increment
            }
            if diff != 0 { bad += 1 }
        }
        return bad
    }
}

/// The hog's side of the hog: runs in the child process started as `swaplab __hog …`.
///
/// It sets `PR_SET_PDEATHSIG` (it dies with the shell), writes its own `/proc/self/oom_score_adj` = 1000, says
/// `hello PID`, waits for `go` (the parent verifies oom_score_adj first), maps anonymous memory with
/// `MADV_NOHUGEPAGE` (4 KiB pages), fills every page (each 256 MiB written is then marked `MADV_COLD`), says `ready BYTES SECONDS`, then serves `touch` (read every
/// page back and verify: `touched PAGES BAD SECONDS`) and `quit`, one line each on stdin/stdout.
public enum HogChild {
    /// The hidden first argument that makes the swaplab binary act as a hog.
    public static let argument = "__hog"

    /// Runs the hog when `arguments[1]` is `__hog`; returns its exit status, or nil for a normal start.
    public static func runIfRequested(_ arguments: [String]) -> Int32? {
        guard arguments.count > 1, arguments[1] == argument else { return nil }
        return main(Array(arguments.dropFirst(2)))
    }

    /// What the parent asked for on the command line.
    struct Request {
        var size: Int
        var seed: UInt64
        var fill: HogFill
        var parent: Int32
        /// Bytes per second after the first `fast` bytes; 0 for as fast as it can.
        var rate: Double
        var fast: Int

        /// Reads `--size BYTES --seed N --fill random|zero --rate BYTES_PER_S --fast BYTES --parent PID` (flag, value
        /// pairs); nil when size, seed, fill or parent is missing or bad.
        init?(_ arguments: [String]) {
            var options: [String: String] = [:]
            var i = 0
            while i + 1 < arguments.count {
                options[arguments[i]] = arguments[i + 1]
                i += 2
            }
            guard let size = options["--size"].flatMap(Int.init), size > 0,
                let seed = options["--seed"].flatMap(UInt64.init),
                let fill = HogFill(rawValue: options["--fill"] ?? "random"),
                let parent = options["--parent"].flatMap(Int32.init)
            else { return nil }
            self.size = size
            self.seed = seed
            self.fill = fill
            self.parent = parent
            rate = options["--rate"].flatMap(Double.init) ?? 0
            fast = options["--fast"].flatMap(Int.init) ?? 0
        }
    }

    /// The hog's main: `--size BYTES --seed N --fill random|zero --rate BYTES_PER_S --fast BYTES --parent PID`
    /// (`--fast`: the first BYTES are written unthrottled, the rest at the rate).
    public static func main(_ arguments: [String]) -> Int32 {
        let out = Channel(fd: 1)
        guard let request = Request(arguments) else {
            out.send("error bad arguments: \(arguments.joined(separator: " "))")
            return 2
        }
        let input = Channel(fd: 0)
        if let status = handshake(request, input: input, out: out) { return status }
        let pageSize = Int(Pages.size)
        let length = (request.size + pageSize - 1) / pageSize * pageSize
        let base: UnsafeMutableRawPointer
        do {
            base = try Syscall.mapAnonymous(length: length)
            try Syscall.advise(base, length: length, MADV_NOHUGEPAGE)
        } catch {
            out.send("error \(error)")
            return 5
        }
        let words = base.bindMemory(to: UInt64.self, capacity: length / 8)
        let start = Syscall.monotonicSeconds()
        fill(words, length: length, request, startedAt: start, out: out)
        out.send("ready \(length) \(Syscall.monotonicSeconds() - start)")

        while let command = input.readLine() {
            switch command {
            case "touch":
                let t0 = Syscall.monotonicSeconds()
                let pages = length / pageSize
                let bad = badPages(words, pages: pages, request)
                out.send("touched \(pages) \(bad) \(Syscall.monotonicSeconds() - t0)")
            case "quit":
                return 0
            default:
                out.send("error unknown command \(command)")
            }
        }
        return 0
    }

    /// Dies with the parent (`PR_SET_PDEATHSIG`), volunteers for the OOM killer (`oom_score_adj` 1000), says `hello
    /// PID` and waits for `go`. Nil to go on, or the exit status: 3 when the parent is gone already, 4 when
    /// `oom_score_adj` cannot be written, 0 when the parent says anything but `go`.
    static func handshake(_ request: Request, input: Channel, out: Channel) -> Int32? {
        Syscall.bindToParent(deathSignal: SIGKILL, name: "swaplab-hog")
        // The parent may have died before PR_SET_PDEATHSIG took effect.
        if Syscall.parentProcessID != request.parent { return 3 }
        do {
            try Syscall.writeText("/proc/self/oom_score_adj", "1000")
        } catch {
            out.send("error \(error)")
            return 4
        }
        out.send("hello \(Syscall.processID)")
        guard input.readLine() == "go" else { return 0 }
        return nil
    }

    /// Writes every byte of the `length` bytes at `words` in 2 MiB chunks, at the request's rate after its `fast`
    /// bytes from `start` on; each 256 MiB written is marked cold and reported as `progress BYTES`.
    static func fill(
        _ words: UnsafeMutablePointer<UInt64>, length: Int, _ request: Request, startedAt start: Double, out: Channel
    ) {
        let base = UnsafeMutableRawPointer(words)
        let chunk = 2 << 20
        var done = 0
        // When the next chunk is due at the rate. Never caught up after a pause (the lab may stop the hog with
        // SIGSTOP while free memory is near the floor): a burst then is exactly what the pause was for.
        var due = start
        var nextProgress = 256 << 20
        while done < length {
            let n = min(chunk, length - done)
            if request.fill == .random {
                PageStream.fill(words + done / 8, count: n / 8, seed: request.seed, first: UInt64(done / 8))
            } else {
                // One store per 8 bytes, as for random data, so every byte of every page is written.
                let w = words + done / 8
                for k in 0..<(n / 8) { w[k] = 0 }
            }
            done += n
            if request.rate > 0 && done > request.fast {
                let now = Syscall.monotonicSeconds()
                due = max(due, now - 0.1) + Double(n) / request.rate
                if due > now { Syscall.sleep(seconds: due - now) }
            } else {
                due = Syscall.monotonicSeconds()
            }
            if done >= nextProgress && done < length {
                // The 256 MiB just written is marked cold (`madvise_cold()`: young bits and PG_referenced cleared),
                // so reclaim takes the hog's pages at their first scan instead of other programs' memory.
                try? Syscall.advise(base + (nextProgress - (256 << 20)), length: 256 << 20, Syscall.adviseCold)
                out.send("progress \(done)")
                nextProgress += 256 << 20
            }
        }
    }

    /// Reads every one of `pages` pages back (faulting in what is in swap) and counts those that differ from what
    /// `fill` wrote.
    static func badPages(_ words: UnsafeMutablePointer<UInt64>, pages: Int, _ request: Request) -> Int {
        var bad = 0
        if request.fill == .random {
            var p = 0
            while p < pages {
                let n = min(512, pages - p)
                bad += PageStream.badPages(words + p * 512, pages: n, seed: request.seed, first: UInt64(p * 512))
                p += n
            }
        } else {
            for p in 0..<pages {
                var diff: UInt64 = 0
                let page = words + p * 512
                for k in 0..<512 { diff |= page[k] }
                if diff != 0 { bad += 1 }
            }
        }
        return bad
    }
}

/// Line-at-a-time messages over a pipe (one side of the hog protocol).
final class Channel {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32) { self.fd = fd }

    /// Writes `text` and a newline.
    func send(_ text: String) {
        try? Syscall.writeAll(fd, Array((text + "\n").utf8))
    }

    /// The next line, waiting at most `timeout` seconds (forever when nil); nil at end of file or timeout.
    /// `stop` is polled every 100 ms and ends the wait when it returns true.
    func readLine(timeout: Double? = nil, stop: () -> Bool = { false }) -> String? {
        let deadline = timeout.map { Syscall.monotonicSeconds() + $0 }
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            if let nl = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<nl], as: UTF8.self)
                buffer.removeSubrange(...nl)
                return line
            }
            if let deadline, Syscall.monotonicSeconds() >= deadline { return nil }
            if stop() { return nil }
            guard (try? Syscall.waitReadable(fd, timeoutMilliseconds: 100)) == true else { continue }
            let n = chunk.withUnsafeMutableBytes { raw in (try? Syscall.read(fd, raw.baseAddress!, raw.count)) ?? 0 }
            if n <= 0 { return nil }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }
}

/// What went wrong with a hog, worded for the learner.
public enum HogError: LearnerError, Sendable {
    /// The swaplab binary to run the hog was not found.
    case executableNotFound(String)
    /// The child could not be started or said something unexpected.
    case failed(String)
    /// The child ended (e.g. OOM-killed) while swaplab waited for it.
    case died(name: String, pid: Int32, how: ChildExit, oomKills: Int64?)
    /// The wait was interrupted (Ctrl-C); the hog was ended.
    case interrupted(String)
    /// The guard refused the size.
    case refused(String)

    public var description: String { sentence }

    public var problem: String {
        switch self {
        case .executableNotFound(let s), .failed(let s), .interrupted(let s), .refused(let s): return s
        case .died(let name, let pid, let how, let oom):
            var s = "hog \(name) (pid \(pid)) \(how)"
            if let oom, oom > 0 {
                s += "; the OOM killer killed \(oom) process(es) meanwhile (oom_kill in /proc/vmstat)"
            }
            return s
        }
    }
}

/// A memory hog: a child process holding anonymous memory with random bytes in every 4 KiB page, with
/// `oom_score_adj` 1000 so that, if anything is OOM-killed, it is the hog and not the shell.
///
/// Why a child started as `swaplab __hog` (the same binary): the hog always matches the shell's version, a
/// copied binary brings it along, and the parent needs no second executable to find; `posix_spawn` (not `fork`
/// alone) because a forked Swift process may only call async-signal-safe functions.
public final class MemoryHog: @unchecked Sendable {
    public let name: String
    public let pid: Int32
    public let bytesRequested: Int64
    public let fill: HogFill
    /// Bytes per second, 0 for as fast as possible.
    public let rate: Double
    /// The first bytes, written as fast as possible before the rate applies.
    public let fastBytes: Int64
    public let seed: UInt64
    /// `oom_kill` from /proc/vmstat when the hog started (to report a kill's delta).
    public let oomKillsAtStart: Int64?
    /// Seconds the fill took, once ready.
    public private(set) var fillSeconds: Double?
    /// How the child ended, once reaped.
    public private(set) var exit: ChildExit?

    private let toChild: Int32
    private let fromChild: Channel

    /// The executable that runs hogs: `SWAPLAB_HOG_EXECUTABLE`, else this process's binary when it is `swaplab` or
    /// `swaplab-bench` (both answer `__hog`), else a `swaplab` beside it (tests).
    public static func defaultExecutable(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(HogError) -> String {
        if let e = environment["SWAPLAB_HOG_EXECUTABLE"], !e.isEmpty { return e }
        let me =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let url = URL(fileURLWithPath: me)
        if ["swaplab", "swaplab-bench"].contains(url.lastPathComponent) { return me }
        let sibling = url.deletingLastPathComponent().appendingPathComponent("swaplab").path
        if FileManager.default.isExecutableFile(atPath: sibling) { return sibling }
        throw .executableNotFound(
            "cannot find the swaplab binary to run the hog (looked at \(me) and \(sibling)); build it (swift build) "
                + "or set SWAPLAB_HOG_EXECUTABLE")
    }

    /// Starts the child and verifies its `oom_score_adj` is 1000 (read from `/proc/PID/oom_score_adj`) before it
    /// may allocate. Call `allocate()` next.
    public init(
        name: String, bytes: Int64, fill: HogFill = .random, rate: Double = 0, fastBytes: Int64 = 0,
        seed: UInt64? = nil, executable: String? = nil
    ) throws {
        self.name = name
        self.bytesRequested = bytes
        self.fill = fill
        self.rate = rate
        self.fastBytes = fastBytes
        self.seed = seed ?? UInt64.random(in: 1...UInt64.max)
        let exe = try executable ?? MemoryHog.defaultExecutable()
        Syscall.ignoreBrokenPipes()
        oomKillsAtStart = (try? Vmstat.read())?["oom_kill"]
        let down = try Syscall.makePipe()
        let up = try Syscall.makePipe()
        let args = [
            exe, HogChild.argument, "--size", String(bytes), "--seed", String(self.seed), "--fill", fill.rawValue,
            "--rate", String(rate), "--fast", String(fastBytes), "--parent", String(Syscall.processID),
        ]
        let child: Int32
        do {
            child = try Syscall.spawn(exe, arguments: args, stdin: down.read, stdout: up.write)
        } catch {
            for fd in [down.read, down.write, up.read, up.write] { Syscall.close(fd) }
            throw HogError.failed("cannot start the hog: \(error)")
        }
        Syscall.close(down.read)
        Syscall.close(up.write)
        pid = child
        toChild = down.write
        fromChild = Channel(fd: up.read)
        guard let hello = fromChild.readLine(timeout: 10), hello == "hello \(child)" else {
            let said = "the hog did not start properly"
            _ = end()
            throw HogError.failed(said + "; see the message above, if any")
        }
        guard let adj = ProcessStatus.oomScoreAdjust(pid: child), adj == 1000 else {
            _ = end()
            throw HogError.failed(
                "the hog's oom_score_adj is not 1000 (read /proc/\(child)/oom_score_adj); refusing to allocate")
        }
    }

    deinit {
        if exit == nil { _ = end() }
        Syscall.close(toChild)
        Syscall.close(fromChild.fd)
    }

    /// Lets the child map and fill its memory, and waits until it holds it all. `progress` gets bytes done;
    /// `stop` is polled every 100 ms (Ctrl-C): when it returns true the hog is ended.
    /// Throws `HogError.died` if the child dies (e.g. OOM-killed) meanwhile.
    @discardableResult
    public func allocate(progress: (Int64) -> Void = { _ in }, stop: () -> Bool = { false }) throws(HogError) -> Double
    {
        try send("go")
        while true {
            guard let line = fromChild.readLine(stop: stop) else {
                if stop() {
                    _ = end()
                    throw .interrupted("interrupted; hog \(name) ended before it finished allocating")
                }
                throw diedError()
            }
            if line.hasPrefix("progress "), let n = Int64(line.dropFirst(9)) {
                progress(n)
            } else if line.hasPrefix("ready ") {
                let f = line.split(separator: " ")
                fillSeconds = f.count >= 3 ? Double(f[2]) : nil
                return fillSeconds ?? 0
            } else if line.hasPrefix("error ") {
                _ = end()
                throw .failed("hog \(name): \(line.dropFirst(6))")
            }
        }
    }

    /// What `touch` found.
    public struct TouchResult: Equatable, Sendable {
        public var pages: Int64
        public var badPages: Int64
        public var seconds: Double
    }

    /// Has the child read every page back (swapping in what was swapped out) and verify it against the stream.
    public func touch(stop: () -> Bool = { false }) throws(HogError) -> TouchResult {
        try send("touch")
        while true {
            guard let line = fromChild.readLine(stop: stop) else {
                if stop() {
                    _ = end()
                    throw .interrupted("interrupted; hog \(name) ended while reading its pages back")
                }
                throw diedError()
            }
            let f = line.split(separator: " ")
            if f.first == "touched", f.count >= 4, let pages = Int64(f[1]), let bad = Int64(f[2]),
                let secs = Double(f[3])
            {
                return TouchResult(pages: pages, badPages: bad, seconds: secs)
            }
        }
    }

    /// True while the child runs (reaps it when it has ended).
    public var isRunning: Bool {
        if exit != nil { return false }
        if let e = try? Syscall.reap(pid, block: false) {
            exit = e
            return false
        }
        return true
    }

    /// Memory of the child from /proc/PID/status (VmRSS, VmSwap), nil once it has ended.
    public var memory: ProcessStatus? {
        isRunning ? try? ProcessStatus.read(pid: Int(pid)) : nil
    }

    /// Ends the child: SIGTERM, then SIGKILL after 1 s, then reaps it. Returns how it ended.
    @discardableResult
    public func end() -> ChildExit? {
        if let exit { return exit }
        try? Syscall.sendSignal(SIGTERM, to: pid)
        let deadline = Syscall.monotonicSeconds() + 1
        while Syscall.monotonicSeconds() < deadline {
            if let e = try? Syscall.reap(pid, block: false) {
                exit = e
                return e
            }
            Syscall.sleep(seconds: 0.01)
        }
        try? Syscall.sendSignal(SIGKILL, to: pid)
        exit = try? Syscall.reap(pid, block: true)
        return exit
    }

    private func send(_ line: String) throws(HogError) {
        do {
            try Syscall.writeAll(toChild, Array((line + "\n").utf8))
        } catch {
            throw diedError()
        }
    }

    /// The child's end, reaped, as an error with the oom_kill delta.
    private func diedError() -> HogError {
        if exit == nil { exit = try? Syscall.reap(pid, block: true) }
        let now = (try? Vmstat.read())?["oom_kill"]
        let delta = now.flatMap { n in oomKillsAtStart.map { n - $0 } }
        return .died(name: name, pid: pid, how: exit ?? .exited(-1), oomKills: delta)
    }
}
