import Foundation

/// Sizes and durations as learners type them (`300M`, `2G`, `100ms`, `1.5s`).
public enum Quantity {
    /// What is wrong with a size or duration, worded for the learner.
    public struct ParseError: LearnerError, SaidInKorean, Equatable {
        public let description: String
        /// The same in Korean (the shell says it when the learner's language is Korean).
        public let ko: String
        public var problem: String { description }
        public var sentenceKo: String? { ko }

        public init(description: String, ko: String) { (self.description, self.ko) = (description, ko) }
    }

    /// Bytes in `text`: a whole number of bytes (`4096`) or a number with a binary suffix
    /// `K`, `M`, `G`, `T` (also `KiB`, `MB`, … all meaning powers of 1024), e.g. `512K`, `300M`, `1.5G`; from 1 byte
    /// to `Limits.maxBytes` (4 PiB).
    public static func bytes(_ text: String) throws(ParseError) -> Int64 {
        let bytes = try byteValue(text)
        guard bytes >= 1 else {
            throw ParseError(
                description: "'\(text)' is less than one byte; a size must be at least 1 byte (e.g. 300M)",
                ko: "'\(text)'은(는) 1바이트보다 작습니다. 크기는 1바이트 이상이어야 합니다 (예: 300M)")
        }
        return Int64(bytes)
    }

    /// Whether `text` is a size of zero (`0`, `0G`, `0.0M`), which options such as `--swap` accept as "none".
    public static func isZero(_ text: String) -> Bool {
        (try? byteValue(text)) == 0
    }

    /// The number of bytes `text` names, 0…`Limits.maxBytes`, as a whole number.
    private static func byteValue(_ text: String) throws(ParseError) -> Double {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else {
            throw ParseError(
                description: "a size is missing; write it like 4096, 512K, 300M or 2G",
                ko: "크기가 빠졌습니다. 4096, 512K, 300M, 2G처럼 쓰세요")
        }
        if t.hasPrefix("-") {
            throw ParseError(
                description: "'\(text)' is not a size; sizes are positive (e.g. 300M)",
                ko: "'\(text)'은(는) 크기가 아닙니다. 크기는 양수입니다 (예: 300M)")
        }
        let digits = t.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        var unit = t.dropFirst(digits.count).lowercased()
        if unit.hasSuffix("ib") {
            unit = String(unit.dropLast(2))
        } else if unit.hasSuffix("b") && unit.count == 2 {
            unit = String(unit.dropLast())
        }
        let shift: Int64
        switch unit {
        case "", "b": shift = 0
        case "k": shift = 10
        case "m": shift = 20
        case "g": shift = 30
        case "t": shift = 40
        default:
            throw ParseError(
                description:
                    "'\(text)' is not a size: unknown unit '\(t.dropFirst(digits.count))'; use K, M, G or T (e.g. 300M)",
                ko:
                    "'\(text)'은(는) 크기가 아닙니다. '\(t.dropFirst(digits.count))'은(는) 모르는 단위입니다. K, M, G, T 중 하나를 쓰세요 (예: 300M)"
            )
        }
        guard let value = Double(digits), !digits.isEmpty else {
            throw ParseError(
                description: "'\(text)' is not a size; write it like 4096, 512K, 300M or 2G",
                ko: "'\(text)'은(는) 크기가 아닙니다. 4096, 512K, 300M, 2G처럼 쓰세요")
        }
        let bytes = (value * Double(Int64(1) << shift)).rounded(.down)
        guard bytes.isFinite, bytes <= Double(Limits.maxBytes) else {
            throw ParseError(
                description: "'\(text)' is too large; a size is at most 4 PiB (4096T)",
                ko: "'\(text)'은(는) 너무 큽니다. 크기는 최대 4 PiB(4096T)입니다")
        }
        return bytes
    }

    /// Seconds in `text`: `250ms`, `1s`, `1.5s`, `2m`, `1h`; a bare number is seconds.
    public static func seconds(_ text: String) throws(ParseError) -> Double {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t.hasPrefix("-") {
            throw ParseError(
                description: "'\(text)' is not a duration; durations are positive (e.g. 2s)",
                ko: "'\(text)'은(는) 시간이 아닙니다. 시간은 양수입니다 (예: 2s)")
        }
        let digits = t.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let unit = t.dropFirst(digits.count)
        guard let value = Double(digits), !digits.isEmpty, value.isFinite else {
            throw ParseError(
                description: "'\(text)' is not a duration; write it like 100ms, 2s or 1m",
                ko: "'\(text)'은(는) 시간이 아닙니다. 100ms, 2s, 1m처럼 쓰세요")
        }
        let factor: Double
        switch unit {
        case "", "s", "sec": factor = 1
        case "ms": factor = 0.001
        case "us", "µs": factor = 0.000_001
        case "m", "min": factor = 60
        case "h": factor = 3600
        default:
            throw ParseError(
                description: "'\(text)' has an unknown unit '\(unit)'; use ms, s, m or h (e.g. 500ms)",
                ko: "'\(text)'의 '\(unit)'은(는) 모르는 단위입니다. ms, s, m, h 중 하나를 쓰세요 (예: 500ms)")
        }
        let seconds = value * factor
        guard seconds.isFinite, seconds <= Limits.maxTime else {
            throw ParseError(
                description: "'\(text)' is too long; a duration is at most \(Int(Limits.maxTime)) s",
                ko: "'\(text)'은(는) 너무 깁니다. 시간은 최대 \(Int(Limits.maxTime))초입니다")
        }
        return seconds
    }

    /// A size for people: `1.50 GiB`, `300 MiB`, `512 KiB`, `4096 B`.
    public static func format(bytes: Int64) -> String {
        let a = abs(Double(bytes))
        let sign = bytes < 0 ? "-" : ""
        let units: [(Double, String)] = [
            (1_099_511_627_776, "TiB"), (1_073_741_824, "GiB"), (1_048_576, "MiB"), (1024, "KiB"),
        ]
        for (size, name) in units where a >= size {
            return sign + trimmed(a / size) + " " + name
        }
        return "\(bytes) B"
    }

    /// A size to the whole MiB below 1 GiB (`450 MiB`), else as `format(bytes:)` (`1.77 GiB`): for tables of
    /// zones and swap areas.
    public static func coarse(_ p: Pages) -> String {
        if p.bytes >= 1 << 30 { return format(bytes: p.bytes) }
        return String(format: "%.0f MiB", p.mebibytes)
    }

    private static func trimmed(_ v: Double) -> String {
        if v == v.rounded() { return String(Int64(v)) }
        let s = String(format: "%.2f", v)
        return s
    }
}
