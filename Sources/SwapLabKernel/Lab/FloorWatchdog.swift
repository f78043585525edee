import Foundation
import SwapLabModel

/// The lab's safety net (live-lab.md §5 step 7): every 20 ms it reads `nr_free_pages` from /proc/vmstat (the sum
/// of every zone's free pages, what kswapd's watermark checks compare) and, below the floor, kills the hog by its
/// PID (SIGKILL) and releases the balloon at once (writes the original `vm.nr_hugepages` back), and puts back a
/// raised `min_free_kbytes`. It also keeps the lowest free seen. Runs on its own thread until `stop()`.
public final class FloorWatchdog: @unchecked Sendable {
    /// What the watchdog saw when it acted.
    public struct Trip: Sendable, Equatable {
        public var free: Pages
        public var time: Double
    }

    public let floor: Pages
    public let interval: Double
    private let root: SystemRoot
    private let lock = NSLock()
    private var hogPID: Int32?
    private var balloon: (path: String, original: String)?
    private var minFree: (path: String, original: String)?
    private var lowest: Pages?
    private var trip: Trip?
    private var stopRequested = false
    private let finished = DispatchSemaphore(value: 0)
    private var running = false

    public init(floor: Pages, interval: Double = 0.02, root: SystemRoot = SystemRoot()) {
        self.floor = floor
        self.interval = interval
        self.root = root
    }

    /// Reads free pages now: /proc/vmstat's `nr_free_pages` (nil when it cannot be read).
    public func readFree() -> Pages? {
        (try? Vmstat.read(root: root))?["nr_free_pages"].map { Pages($0) }
    }

    /// Starts the thread.
    public func start() {
        lock.withLock { running = true }
        let t = Thread { [self] in loop() }
        t.name = "swaplab-watchdog"
        t.start()
    }

    private func loop() {
        Syscall.blockSignals([SIGINT, SIGTERM, SIGHUP])
        while !lock.withLock({ stopRequested }) {
            if let free = readFree() { check(free) }
            Syscall.sleep(seconds: interval)
        }
        finished.signal()
    }

    /// Records `free` and acts when it is below the floor (once per trip; the lab stops after a trip).
    func check(_ free: Pages) {
        let act: (Int32?, (String, String)?, (String, String)?)? = lock.withLock {
            if lowest.map({ free < $0 }) ?? true { lowest = free }
            guard free < floor, trip == nil else { return nil }
            trip = Trip(free: free, time: Syscall.monotonicSeconds())
            return (hogPID, balloon, minFree)
        }
        guard let act else { return }
        if let pid = act.0 { try? Syscall.sendSignal(SIGKILL, to: pid) }
        if let b = act.1 { try? Syscall.writeText(b.0, b.1) }
        if let m = act.2 { try? Syscall.writeText(m.0, m.1) }
    }

    /// The hog to kill below the floor (nil once it has ended).
    public func watch(hog pid: Int32?) { lock.withLock { hogPID = pid } }
    /// The balloon to release below the floor: `vm.nr_hugepages`'s path and the value to write back.
    public func watch(balloonPath path: String?, original: String) {
        lock.withLock { balloon = path.map { ($0, original) } }
    }
    /// A raised `min_free_kbytes` to put back below the floor.
    public func watch(minFreePath path: String?, original: String) {
        lock.withLock { minFree = path.map { ($0, original) } }
    }

    /// The trip, if free fell below the floor.
    public var tripped: Trip? { lock.withLock { trip } }
    /// The lowest free seen so far.
    public var lowestFree: Pages? { lock.withLock { lowest } }
    /// Forgets the lowest free seen (to measure one phase).
    public func resetLowest() { lock.withLock { lowest = nil } }

    /// Stops the thread and waits for it.
    public func stop() {
        let wasRunning = lock.withLock { () -> Bool in
            defer { stopRequested = true; running = false }
            return running
        }
        if wasRunning { finished.wait() }
    }

    deinit { stop() }
}
