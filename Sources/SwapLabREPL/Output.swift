import Foundation

/// Where a command's text goes: the terminal, or a buffer in tests. Colour and width are decided once.
public final class Output: @unchecked Sendable {
    /// `--color auto|on|off`.
    public enum ColorMode: String, CaseIterable, Sendable {
        case auto, on, off
    }

    public let color: Bool
    private let fixedWidth: Int?
    private var buffer: String?
    private let write: (String) -> Void
    /// Sees every emitted text first; returns false to keep it off the terminal. The course uses it to read
    /// command output for `output` checks and to run a step's setup quietly.
    public var interceptor: ((String) -> Bool)?

    /// Terminal output. Colour off when `NO_COLOR` is set and non-empty, `TERM=dumb`, or stdout is not a terminal
    /// (unless `mode` is `.on`); width from `COLUMNS`, else the terminal, else 80.
    public init(mode: ColorMode = .auto, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let tty = isatty(STDOUT_FILENO) == 1
        switch mode {
        case .on: color = true
        case .off: color = false
        case .auto:
            let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
            color = !noColor && environment["TERM"] != "dumb" && tty
        }
        fixedWidth = Int(environment["COLUMNS"] ?? "").flatMap { $0 > 0 ? $0 : nil }
        buffer = nil
        write = { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }
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
        var ws = winsize()
        if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 {
            return Int(ws.ws_col)
        }
        return 80
    }

    /// Writes `text` and a newline.
    public func line(_ text: String = "") {
        emit(text + "\n")
    }

    /// Writes `text` as is.
    public func emit(_ text: String) {
        if let interceptor, !interceptor(text) { return }
        if buffer != nil { buffer! += text } else { write(text) }
    }

    /// Writes `text` wrapped to the width by display cells, continuation lines indented by `indent`.
    public func paragraph(_ text: String, indent: String = "") {
        for l in DisplayWidth.wrap(text, width: width, indent: indent) { line(l) }
    }

    /// Writes to standard error (never captured).
    public func error(_ text: String) {
        if buffer != nil {
            buffer! += text + "\n"
        } else {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
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
