import Foundation
import SwapLabCourse
import SwapLabKernel
import SwapLabModel

/// Where a command's text goes: the terminal, or a buffer in tests. Colour and width are decided once.
public final class Output: @unchecked Sendable {
    /// `--color auto|on|off`.
    public enum ColorMode: String, CaseIterable, Sendable {
        case auto, on, off
    }

    /// True when styles are written as ANSI escapes.
    public let color: Bool
    private let fixedWidth: Int?
    private var buffer: String?
    private let write: (String) -> Void
    /// What is being recorded, innermost last: the shell records what each command shows (`recording`).
    private var recordings: [String] = []
    /// While set, ordinary text is recorded but not written (a lesson step's setup runs quietly); errors are
    /// always written.
    public var muted = false

    /// Terminal output. Colour and width are decided here, once (see `colorEnabled` and `fixedColumns`).
    public init(mode: ColorMode = .auto, environment: [String: String] = ProcessInfo.processInfo.environment) {
        color = Output.colorEnabled(
            mode: mode, environment: environment, isTerminal: Syscall.isTerminal(Syscall.standardOutput))
        fixedWidth = Output.fixedColumns(environment: environment)
        buffer = nil
        write = { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// Whether to colour: `on` and `off` decide; `auto` colours only a terminal, and never when `NO_COLOR` is set
    /// and non-empty (no-color.org) or `TERM=dumb`.
    public static func colorEnabled(mode: ColorMode, environment: [String: String], isTerminal: Bool) -> Bool {
        switch mode {
        case .on: return true
        case .off: return false
        case .auto:
            if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
            if environment["TERM"] == "dumb" { return false }
            return isTerminal
        }
    }

    /// The width `COLUMNS` asks for (a positive number), else nil (then the terminal's width, else 80).
    public static func fixedColumns(environment: [String: String]) -> Int? {
        guard let text = environment["COLUMNS"], let n = Int(text.trimmingCharacters(in: .whitespaces)), n > 0 else {
            return nil
        }
        return n
    }

    /// A capturing output for tests and for lesson checks that read command output.
    public init(capturingWidth width: Int = 80, color: Bool = false) {
        self.color = color
        fixedWidth = width
        buffer = ""
        write = { _ in }
    }

    /// Columns to lay text out in.
    public var width: Int {
        if let w = fixedWidth { return w }
        return Syscall.terminalColumns() ?? 80
    }

    /// Writes `text` and a newline.
    public func line(_ text: String = "") {
        emit(text + "\n")
    }

    /// Writes `text`, with every control or escape character that did not come from swaplab's own styles shown
    /// escaped (`Output.safe`): task names from a trace, a recording's labels or a lesson's text cannot retitle,
    /// clear or reprogram the terminal.
    public func emit(_ text: String) {
        emit(Output.safe(text, keepStyles: color), raw: true)
    }

    /// Writes one frame of `watch` in one write: `control` parts are swaplab's own cursor sequences and pass as they
    /// are; `text` parts are made safe as `emit` does.
    public func emitFrame(_ parts: [(text: String, control: Bool)]) {
        emit(parts.map { $0.control ? $0.text : Output.safe($0.text, keepStyles: color) }.joined(), raw: true)
    }

    private func emit(_ text: String, raw: Bool) {
        record(text)
        if muted { return }
        if buffer != nil { buffer! += text } else { write(text) }
    }

    /// `text` with control characters shown escaped: C0 controls but line feed and tab (`\x1B`, `\r`, `\x07`), DEL,
    /// C1 controls (`\u{9B}`) and the bidirectional overrides (`\u{202E}`). With `keepStyles`, a colour or style
    /// sequence (`ESC [ digits ; … m`, what `styled` writes) passes unchanged; nothing else that starts with ESC does.
    /// Linear in the length of `text`; text without such characters is returned as it is.
    public static func safe(_ text: String, keepStyles: Bool) -> String {
        func unsafe(_ v: UInt32) -> Bool {
            (v < 0x20 && v != 0x0A && v != 0x09) || (v >= 0x7F && v < 0xA0) || (0x202A...0x202E).contains(v)
                || (0x2066...0x2069).contains(v)
        }
        guard text.unicodeScalars.contains(where: { unsafe($0.value) }) else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            let v = scalars[i].value
            if v == 0x1B && keepStyles && i + 1 < scalars.count && scalars[i + 1] == "[" {
                // A style sequence: ESC [ then up to 32 digits and semicolons, then m.
                var j = i + 2
                while j < scalars.count, j - i < 34, scalars[j] == ";" || ("0"..."9").contains(scalars[j]) { j += 1 }
                if j < scalars.count, scalars[j] == "m" {
                    out.append(contentsOf: scalars[i...j])
                    i = j + 1
                    continue
                }
            }
            if unsafe(v) {
                let shown: String
                switch v {
                case 0x0D: shown = "\\r"
                case 0..<0x80: shown = "\\x" + (v < 0x10 ? "0" : "") + String(v, radix: 16, uppercase: true)
                default: shown = "\\u{" + String(v, radix: 16, uppercase: true) + "}"
                }
                out.append(contentsOf: shown.unicodeScalars)
            } else {
                out.append(scalars[i])
            }
            i += 1
        }
        return String(out)
    }

    /// Writes `text` wrapped to the width by display cells, continuation lines indented by `indent`. Control
    /// characters are escaped before wrapping (`Output.safe`), so that their escaped form keeps to the width too.
    public func paragraph(_ text: String, indent: String = "") {
        for l in DisplayWidth.wrap(Output.safe(text, keepStyles: color), width: width, indent: indent) { line(l) }
    }

    /// Writes `text` as `paragraph` does, but records `recorded` in its place: a report said in the learner's
    /// language is graded in the words lessons' `output` patterns are written against (the English report), so a
    /// check reads the same in every language.
    public func paragraph(_ text: String, indent: String = "", recorded: String) {
        write(
            lines: DisplayWidth.wrap(Output.safe(text, keepStyles: color), width: width, indent: indent),
            recorded: recorded)
    }

    /// Writes `text` (lines another output laid out and made safe, see `Session.report(lines:)`) as it is, and
    /// records `recorded` in its place.
    public func written(_ text: String, recorded: String) {
        record(recorded)
        guard !muted else { return }
        if buffer != nil { buffer! += text } else { write(text) }
    }

    /// Writes `lines` as they are and records `recorded` in their place.
    private func write(lines: [String], recorded: String) {
        record(recorded + "\n")
        guard !muted else { return }
        let out = lines.map { $0 + "\n" }.joined()
        if buffer != nil { buffer! += out } else { write(out) }
    }

    /// Writes `items` joined by ` · `, as many on a line as fit the width; a line that continues starts with
    /// `  · ` (an item wider than a line is wrapped at its spaces). The record holds them on one line, as a narrower
    /// terminal must not change what a lesson's `output` pattern reads.
    public func items(_ items: [String]) {
        var lines: [String] = []
        var current = ""
        for item in items {
            let candidate = current.isEmpty ? item : current + " · " + item
            if current.isEmpty || DisplayWidth.of(candidate) <= width {
                current = candidate
            } else {
                lines.append(current)
                current = "  · " + item
            }
        }
        if !current.isEmpty { lines.append(current) }
        guard !lines.isEmpty else { return }
        let written = lines.flatMap {
            DisplayWidth.wrap(Output.safe($0, keepStyles: color), width: width, indent: "    ")
        }
        write(lines: written, recorded: items.joined(separator: " · "))
    }

    /// Writes `text` (a help message) with every line wider than the output wrapped at spaces: a continuation is
    /// indented as its line is, and under the text after a heading such as `USAGE: `. ArgumentParser wraps the
    /// option lines to the columns it is given, but not the usage line.
    public func fitted(_ text: String) {
        var out: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let l = String(line)
            guard DisplayWidth.of(l) > width else {
                out.append(l)
                continue
            }
            var indent = l.prefix { $0 == " " }.count
            let rest = l.dropFirst(indent)
            if let colon = rest.firstIndex(of: ":"), rest[..<colon].allSatisfy({ $0.isUppercase }) {
                indent += rest.distance(from: rest.startIndex, to: colon) + 2
            }
            let pad = String(repeating: " ", count: Swift.min(indent, width / 2))
            out += DisplayWidth.wrap(l, width: width, indent: pad)
        }
        emit(out.joined(separator: "\n"))
    }

    /// Writes to standard error (never captured, never muted). It is recorded too: a command's outcome includes
    /// its refusal (a lesson's `output` check may look for the allocation guard's).
    public func error(_ text: String) { error(lines: [text], recorded: text) }

    /// Writes `lines` to standard error as `error(_:)` does, and records `recorded` in their place (a message
    /// wrapped to the width is graded unwrapped, so a lesson's `output` pattern reads it at any width).
    public func error(lines: [String], recorded: String) {
        let text = lines.map { Output.safe($0, keepStyles: color) }.joined(separator: "\n")
        record(Output.safe(recorded, keepStyles: color) + "\n")
        if buffer != nil {
            buffer! += text + "\n"
        } else {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    /// Runs `body` and returns what it wrote (text and errors, as written, muted or not) beside its result; the
    /// shell hands that to its hooks in each command's `CommandOutcome`. Recordings nest: an inner command's text
    /// is in the outer one's too. Each keeps its tail past `CommandOutcome.shownLimit` bytes.
    public func recording<T>(_ body: () throws -> T) rethrows -> (T, String) {
        recordings.append("")
        defer { recordings.removeLast() }
        let result = try body()
        return (result, recordings[recordings.count - 1])
    }

    private func record(_ text: String) {
        for i in recordings.indices { recordings[i] = CommandOutcome.appending(text, to: recordings[i]) }
    }

    /// True for a capturing output (tests, lesson checks): nothing reaches the terminal.
    public var isCapturing: Bool { buffer != nil }

    /// What a capturing output has collected so far (empty for the terminal).
    public var captured: String { buffer ?? "" }

    /// Empties a capturing output and returns what it held.
    public func takeCaptured() -> String {
        let s = buffer ?? ""
        if buffer != nil { buffer = "" }
        return s
    }

    /// ANSI styles, applied only when colour is on.
    public enum Style: String {
        case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", blue = "34", magenta = "35", cyan = "36"
    }

    /// `text` in `style` when colour is on.
    public func styled(_ text: String, _ style: Style) -> String {
        color ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}
