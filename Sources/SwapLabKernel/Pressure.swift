import Foundation
import SwapLabModel

/// One line of /proc/pressure/memory (`psi_show()` in kernel/sched/psi.c, 4.20+).
public struct PressureLine: Sendable, Hashable, Codable {
    /// Percent of wall time stalled over the last 10, 60 and 300 s.
    public var avg10: Double
    public var avg60: Double
    public var avg300: Double
    /// Cumulative stall time in microseconds.
    public var totalMicroseconds: Int64

    public init(avg10: Double, avg60: Double, avg300: Double, totalMicroseconds: Int64) {
        self.avg10 = avg10
        self.avg60 = avg60
        self.avg300 = avg300
        self.totalMicroseconds = totalMicroseconds
    }
}

/// Memory pressure: `some` (at least one task stalled on memory) and `full` (all non-idle tasks stalled).
public struct Pressure: Sendable, Hashable, Codable {
    public var some: PressureLine
    /// nil on kernels that print only `some` for this resource.
    public var full: PressureLine?

    public init(some: PressureLine, full: PressureLine?) {
        self.some = some
        self.full = full
    }

    /// PSI memory pressure, or nil with the reason it is unavailable (absent before 4.20; `EOPNOTSUPP` with
    /// `psi=0` or `CONFIG_PSI_DEFAULT_DISABLED`). Malformed text is an error, not "unavailable".
    public static func read(
        root: SystemRoot = SystemRoot()
    ) throws(KernelError) -> (pressure: Pressure?, reason: String?) {
        let path = root.resolve("/proc/pressure/memory")
        do {
            return (try parse(try root.text("/proc/pressure/memory"), path: path), nil)
        } catch {
            if case .unreadable(_, let errno) = error {
                switch errno {
                case .noSuchFile:
                    return (nil, "\(path) does not exist: the kernel is older than 4.20 or built without CONFIG_PSI")
                case .notSupported:
                    return (nil, "PSI is switched off (boot with psi=1 to enable it)")
                default:
                    return (nil, "cannot read \(path): \(errno)")
                }
            }
            throw error
        }
    }

    /// Parses `some avg10=… avg60=… avg300=… total=…` and the optional `full …` line.
    public static func parse(_ text: String, path: String = "/proc/pressure/memory") throws(KernelError) -> Pressure {
        var some: PressureLine?
        var full: PressureLine?
        var n = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            n += 1
            if line.isEmpty { continue }
            let words = line.split(separator: " ")
            var kv: [Substring: Substring] = [:]
            for w in words.dropFirst() {
                let p = w.split(separator: "=", maxSplits: 1)
                if p.count == 2 { kv[p[0]] = p[1] }
            }
            guard let a10 = kv["avg10"].flatMap({ Double($0) }), let a60 = kv["avg60"].flatMap({ Double($0) }),
                let a300 = kv["avg300"].flatMap({ Double($0) }), let total = kv["total"].flatMap({ Int64($0) })
            else {
                throw .malformed(
                    path: path, line: n, text: String(line),
                    reason: "expected 'some|full avg10=… avg60=… avg300=… total=…'")
            }
            let value = PressureLine(avg10: a10, avg60: a60, avg300: a300, totalMicroseconds: total)
            switch words.first {
            case "some": some = value
            case "full": full = value
            default:
                throw .malformed(
                    path: path, line: n, text: String(line), reason: "the line starts with neither 'some' nor 'full'")
            }
        }
        guard let some else { throw .empty(path: path, reason: "no 'some' line") }
        return Pressure(some: some, full: full)
    }
}
