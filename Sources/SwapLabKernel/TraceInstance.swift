import Foundation
import SwapLabModel

/// Why tracing could not start, worded for the learner.
public enum TraceError: LearnerError, Sendable {
    case needsRoot
    case noTracefs(String)
    case unknownEvent(String, known: [String])
    case system(SystemError)

    public var problem: String {
        switch self {
        case .needsRoot: return "tracing needs root (it creates a tracefs instance and enables events)"
        case .noTracefs(let s): return s
        case .unknownEvent(let e, _): return "this kernel has no trace event '\(e)'"
        case .system(let e): return "\(e); tracing was not started"
        }
    }

    public var remedy: String? {
        switch self {
        case .needsRoot: return "run swaplab as root, e.g. sudo swaplab"
        case .unknownEvent(_, let known):
            return "write a system (\(known.prefix(8).joined(separator: ", "))…), system/event or system:event"
        case .noTracefs, .system: return nil
        }
    }

    public var description: String { sentence }
}

extension TraceError: SaidInKorean {
    public var sentenceKo: String? {
        switch self {
        case .needsRoot:
            return "추적에는 root가 필요합니다 (tracefs 인스턴스를 만들고 이벤트를 켭니다); swaplab을 root로 실행하세요 "
                + "(예: sudo swaplab)"
        case .unknownEvent(let e, let known):
            return "이 커널에는 '\(e)' trace 이벤트가 없습니다; system(\(known.prefix(8).joined(separator: ", "))…), "
                + "system/event, system:event 중 한 형식으로 쓰세요"
        case .noTracefs, .system: return nil
        }
    }
}

/// Loss counters of one tracefs instance, summed over `per_cpu/cpu*/stats`.
public struct TraceBufferStats: Equatable, Sendable {
    /// `overrun`: events overwritten because the buffer was full.
    public var overrun: Int64 = 0
    /// `commit overrun`: events lost while being written.
    public var commitOverrun: Int64 = 0
    /// `dropped events`: events dropped (buffer not in overwrite mode).
    public var dropped: Int64 = 0
    /// `entries`: events in the buffer not yet read.
    public var entries: Int64 = 0
    /// Events lost in all: overrun + commit overrun + dropped.
    public var lost: Int64 { overrun + commitOverrun + dropped }

    /// Adds the counters of one `per_cpu/cpuN/stats` text (`kernel/trace/trace.c: tracing_stats_read()`).
    public mutating func add(statsText text: String) {
        for line in text.split(separator: "\n") {
            guard let colon = line.lastIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            guard let v = Int64(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)) else {
                continue
            }
            switch key {
            case "overrun": overrun += v
            case "commit overrun": commitOverrun += v
            case "dropped events": dropped += v
            case "entries": entries += v
            default: continue
            }
        }
    }
}

/// A private tracefs instance `instances/swaplab-<pid>` (never the global buffer, never the global
/// `events/enable`), with `trace_clock=mono` (timestamps equal `CLOCK_MONOTONIC`) and a 16 MiB per-CPU buffer.
/// Its `trace_pipe` is read on a background thread (poll ≤ 100 ms) into a bounded ring of raw lines; each batch
/// of complete lines is also handed to `onLines` (where the trace line parser plugs in).
public final class TraceInstance: @unchecked Sendable {
    /// The events a reclaim lesson needs by default.
    public static let defaultEvents = ["vmscan", "oom"]

    /// The tracefs mount point in use.
    public let tracefs: String
    /// `<tracefs>/instances/swaplab-<pid>`.
    public let path: String
    /// The enable files switched on, relative to the instance (`events/vmscan/enable`).
    public let enabled: [String]
    /// Called on the reader thread with each batch of complete lines (without newlines).
    public let onLines: (@Sendable ([Substring]) -> Void)?

    private let journal: RestoreJournal
    private let lock = NSLock()
    private var ring: [String]
    private var ringStart = 0
    private let capacity: Int
    private var linesRead: Int64 = 0
    private var bytesRead: Int64 = 0
    private var stopRequested = false
    private var readerDone = false
    private let finished = DispatchSemaphore(value: 0)
    private var pipeFD: Int32 = -1
    private var stopped = false

    /// Where tracefs is mounted, from `/proc/mounts` (`/sys/kernel/tracing` preferred), nil when it is not.
    public static func mountedTracefs() -> String? {
        let mounts = Mount.read().filter { $0.type == "tracefs" }.map(\.mountPoint)
        if mounts.contains("/sys/kernel/tracing") { return "/sys/kernel/tracing" }
        return mounts.first
    }

    /// tracefs's mount point, mounting it at `/sys/kernel/tracing` (journaled, so it is unmounted after) when absent.
    public static func ensureTracefs(journal: RestoreJournal) throws(TraceError) -> String {
        if let t = mountedTracefs() { return t }
        guard Syscall.isRoot else {
            throw .noTracefs(
                "tracefs is not mounted and mounting it needs root; run as root, or: "
                    + "mount -t tracefs nodev /sys/kernel/tracing")
        }
        let target = "/sys/kernel/tracing"
        do {
            try journal.record(.mount(target: target, type: "tracefs")) { () throws -> Void in
                try Syscall.mount(source: "nodev", target: target, type: "tracefs")
            }
        } catch {
            throw .noTracefs("cannot mount tracefs at \(target): \(error); check that the kernel has CONFIG_TRACING")
        }
        return target
    }

    /// The enable file (relative to the instance) for an event spec: `vmscan`, `vmscan/mm_vmscan_kswapd_wake`,
    /// `vmscan:mm_vmscan_kswapd_wake` or a bare event name (searched in every system).
    static func enableFile(for spec: String, eventsDirectory: String) throws(TraceError) -> String {
        let fm = FileManager.default
        let s = spec.replacingOccurrences(of: ":", with: "/")
        let candidates: [String]
        if s.contains("/") {
            candidates = ["events/\(s)/enable"]
        } else {
            let systems = (try? fm.contentsOfDirectory(atPath: eventsDirectory)) ?? []
            candidates = ["events/\(s)/enable"] + systems.sorted().map { "events/\($0)/\(s)/enable" }
        }
        let base = URL(fileURLWithPath: eventsDirectory).deletingLastPathComponent().path
        for c in candidates where fm.fileExists(atPath: base + "/" + c) { return c }
        let known = ((try? fm.contentsOfDirectory(atPath: eventsDirectory)) ?? []).filter {
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: eventsDirectory + "/" + $0, isDirectory: &isDir) && isDir.boolValue
        }
        throw .unknownEvent(spec, known: known.sorted())
    }

    /// Creates the instance (journaled), sets it up, enables `events` inside it and starts reading.
    /// On any failure, what was done is undone before the error is thrown.
    public init(
        events: [String] = TraceInstance.defaultEvents, journal: RestoreJournal, bufferKiB: Int = 16384,
        ringCapacity: Int = 200_000, onLines: (@Sendable ([Substring]) -> Void)? = nil
    ) throws(TraceError) {
        guard Syscall.isRoot else { throw .needsRoot }
        self.journal = journal
        self.onLines = onLines
        capacity = max(1, ringCapacity)
        ring = []
        ring.reserveCapacity(min(capacity, 4096))
        tracefs = try TraceInstance.ensureTracefs(journal: journal)
        path = "\(tracefs)/instances/swaplab-\(Syscall.processID)"
        // Resolve every event against the instance-independent list first, so a typo changes nothing.
        var files: [String] = []
        for e in events.isEmpty ? TraceInstance.defaultEvents : events {
            let f = try TraceInstance.enableFile(for: e, eventsDirectory: tracefs + "/events")
            if !files.contains(f) { files.append(f) }
        }
        enabled = files
        let dir = path
        do {
            try journal.record(.traceInstance(path: dir)) { () throws -> Void in
                try Syscall.makeDirectory(dir, mode: 0o755)
            }
            try Syscall.writeText(dir + "/trace_clock", "mono")
            try Syscall.writeText(dir + "/buffer_size_kb", String(bufferKiB))
            for f in files { try Syscall.writeText(dir + "/" + f, "1") }
            pipeFD = try Syscall.open(dir + "/trace_pipe", O_RDONLY | O_NONBLOCK)
        } catch {
            teardown()
            if let e = error as? SystemError { throw .system(e) }
            throw .noTracefs("\(error)")
        }
        let thread = Thread { [self] in readLoop() }
        thread.name = "swaplab-trace"
        thread.start()
    }

    /// Reads `trace_pipe` until stopped: poll ≤ 100 ms, read what is there, split into lines.
    private func readLoop() {
        // SIGTERM/SIGHUP must reach the main thread, whose blocking read they interrupt (LiveCleanup).
        Syscall.blockSignals([SIGTERM, SIGHUP, SIGINT])
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var partial: [UInt8] = []
        while !lock.withLock({ stopRequested }) {
            _ = try? Syscall.waitReadable(pipeFD, timeoutMilliseconds: 100)
            while true {
                let n = buffer.withUnsafeMutableBytes { raw in
                    (try? Syscall.readIfReady(pipeFD, raw.baseAddress!, raw.count)) ?? 0
                }
                guard n > 0 else { break }
                partial.append(contentsOf: buffer[0..<n])
                guard let lastNL = partial.lastIndex(of: 0x0A) else { continue }
                let text = String(decoding: partial[...lastNL], as: UTF8.self)
                partial.removeSubrange(...lastNL)
                deliver(text, bytes: lastNL + 1)
            }
        }
        finished.signal()
    }

    /// Hands complete lines to `onLines` and keeps them in the ring.
    private func deliver(_ text: String, bytes: Int) {
        let lines = text.split(separator: "\n")
        onLines?(lines)
        lock.withLock {
            linesRead += Int64(lines.count)
            bytesRead += Int64(bytes)
            for l in lines {
                if ring.count < capacity {
                    ring.append(String(l))
                } else {
                    ring[ringStart] = String(l)
                    ringStart = (ringStart + 1) % capacity
                }
            }
        }
    }

    /// The last `count` raw lines read (oldest first).
    public func lastLines(_ count: Int) -> [String] {
        lock.withLock {
            let ordered = Array(ring[ringStart...] + ring[..<ringStart])
            return Array(ordered.suffix(max(0, count)))
        }
    }

    /// Lines and bytes read so far.
    public var counts: (lines: Int64, bytes: Int64) { lock.withLock { (linesRead, bytesRead) } }

    /// Loss counters from `per_cpu/cpu*/stats` of this instance.
    public func bufferStats() -> TraceBufferStats {
        var s = TraceBufferStats()
        let cpus = (try? FileManager.default.contentsOfDirectory(atPath: path + "/per_cpu")) ?? []
        for cpu in cpus where cpu.hasPrefix("cpu") {
            if let t = try? Syscall.readText(path + "/per_cpu/\(cpu)/stats") { s.add(statsText: t) }
        }
        return s
    }

    /// True until `stop()`.
    public var isRunning: Bool { lock.withLock { !stopped } }

    /// Disables the events, stops the reader, removes the instance and unmounts tracefs if swaplab mounted it.
    /// Returns what was undone (for the learner).
    @discardableResult
    public func stop() -> [UndoOutcome] {
        let already = lock.withLock { () -> Bool in
            defer { stopped = true }
            return stopped
        }
        if already { return [] }
        for f in enabled { try? Syscall.writeText(path + "/" + f, "0") }
        lock.withLock { stopRequested = true }
        finished.wait()
        return teardown()
    }

    /// Closes the pipe, removes the instance and unmounts what was mounted for it, through the journal.
    @discardableResult
    private func teardown() -> [UndoOutcome] {
        if pipeFD >= 0 {
            Syscall.close(pipeFD)
            pipeFD = -1
        }
        var outcomes: [UndoOutcome] = []
        if let o = journal.undo(.traceInstance(path: path)) { outcomes.append(o) }
        if let o = journal.undo(.mount(target: tracefs, type: "tracefs")) { outcomes.append(o) }
        return outcomes
    }

    /// The global tracing state that swaplab must leave untouched: `events/enable`, `tracing_on`,
    /// `current_tracer`, `trace_clock` at the tracefs root (`nil` values when unreadable).
    public static func globalState(tracefs: String) -> [String: String] {
        var s: [String: String] = [:]
        for f in ["events/enable", "tracing_on", "current_tracer", "trace_clock"] {
            s[f] = (try? Syscall.readText(tracefs + "/" + f))?.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return s
    }
}
