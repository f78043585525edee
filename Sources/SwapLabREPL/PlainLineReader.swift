import Foundation
import SwapLabKernel
import SwapLabModel

/// Reads lines from standard input without line editing: pipes, files, CI, and `--no-edit`.
///
/// Reads the descriptor itself with `poll()` + `read()` (never stdio's buffered `readLine()`), so a signal is
/// noticed within 100 ms: SIGTERM/SIGHUP end input, and Ctrl-C drops a half-typed terminal line.
public final class PlainLineReader: LineReader {
    private let descriptor: Int32
    private let showPrompt: Bool
    private let interrupt: InterruptFlag?
    private var pending: [UInt8] = []
    /// How far `pending` is known to hold no line break (so a long line is scanned once, not once per chunk).
    private var scanned = 0
    /// Dropping the rest of a line longer than `maxLineLength`, up to its line break.
    private var discarding = false
    private var atEnd = false

    /// The longest line read; a longer one is dropped with a message (a shell line is never this long).
    public static let maxLineLength = 1 << 20

    /// - Parameters:
    ///   - descriptor: where lines come from (standard input).
    ///   - showPrompt: print the prompt (without colour) before each line: only for `--no-edit` in a terminal.
    ///   - interrupt: the session's Ctrl-C flag; when it is set while waiting for input, the line is dropped.
    public init(descriptor: Int32 = Syscall.standardInput, showPrompt: Bool = false, interrupt: InterruptFlag? = nil) {
        self.descriptor = descriptor
        self.showPrompt = showPrompt
        self.interrupt = interrupt
    }

    /// The next line without its line break (a final line without one counts), or `.eof`.
    public func read(prompt: String) -> ReadResult {
        if showPrompt {
            let plain = DisplayWidth.stripEscapes(prompt)
            FileHandle.standardOutput.write(Data(plain.utf8))
        }
        while true {
            if let newline = pending[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
                var bytes = pending[..<newline]
                scanned = 0
                if discarding {
                    pending.removeSubrange(...newline)
                    discarding = false
                    continue
                }
                if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
                let line = String(decoding: bytes, as: UTF8.self)
                pending.removeSubrange(...newline)
                return .line(line)
            }
            scanned = pending.count
            if pending.count > PlainLineReader.maxLineLength {
                // Bounded memory whatever arrives: drop the line, say so once, and skip to its end.
                if !discarding {
                    FileHandle.standardError.write(
                        Data("error: a line longer than \(PlainLineReader.maxLineLength >> 20) MiB was dropped\n".utf8))
                }
                discarding = true
                pending.removeAll(keepingCapacity: true)
                scanned = 0
            }
            if atEnd || SignalTrap.terminationSignal != nil {
                guard !pending.isEmpty, !discarding, SignalTrap.terminationSignal == nil else { return .eof }
                let last = String(decoding: pending, as: UTF8.self)
                pending = []
                return .line(last)
            }
            if let interrupt, interrupt.isSet {
                interrupt.clear()
                Syscall.discardTypedInput(descriptor)
                return .interrupted
            }
            // Timeout or EINTR: look at the flags again.
            guard (try? Syscall.waitReadable(descriptor, timeoutMilliseconds: 100)) ?? true else { continue }
            guard let chunk = Syscall.readAvailable(descriptor, count: 4096) else { continue }
            if chunk.isEmpty { atEnd = true } else { pending.append(contentsOf: chunk) }
        }
    }

    public func addHistory(_ line: String) {}
    public func finish() {}
}
