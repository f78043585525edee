import CEditLine
import Foundation
import SwapLabKernel

/// Line editing in a terminal with libedit (histedit API through the `CEditLine` shim): emacs keys, history kept
/// across runs, Tab completion, a coloured prompt. Use only when stdin and stdout are both terminals.
///
/// Ctrl-C at the prompt drops the line (libedit, with `EL_SIGNAL`, restores the terminal, re-raises SIGINT to our
/// `SignalTrap` handler and returns EINTR); Ctrl-D on an empty line is end of input. The user's `~/.editrc` is
/// deliberately not read, so key behaviour is the same for every learner.
public final class LineEditor: LineReader {
    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private let historyFile: URL?
    private let interrupt: InterruptFlag
    private let completer: Completer
    /// The prompt libedit shows; owned here (libedit keeps only the pointer the prompt function returns).
    private var promptText: UnsafeMutablePointer<CChar>
    private var finished = false

    /// Maximum entries kept in the history file.
    public static let historySize: Int32 = 1000
    /// The largest history file loaded (1000 lines of commands fit in far less).
    public static let historyFileLimit = 1 << 20
    /// Why the history file is neither loaded nor saved this session (not a regular file, too large, unreadable).
    public private(set) var historyProblem: String?
    /// Where warnings about the history file go (standard error unless replaced).
    private let warn: (String) -> Void

    /// Sets up libedit on the process's terminal, or returns nil if libedit cannot start.
    /// - Parameters:
    ///   - historyFile: where history is loaded from and saved to (nil: none).
    ///   - interrupt: the session's Ctrl-C flag, cleared when Ctrl-C only dropped the line.
    ///   - warn: prints a warning (the history file is not a regular file, too large, or cannot be saved).
    public init?(
        historyFile: URL?, interrupt: InterruptFlag, completer: Completer = Completer(),
        warn: @escaping (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    ) {
        LineEditor.useUTF8Locale()
        guard let editLine = swl_el_init("swaplab") else { return nil }
        guard let history = history_init() else {
            el_end(editLine)
            return nil
        }
        self.editLine = editLine
        self.history = history
        self.historyFile = historyFile
        self.interrupt = interrupt
        self.completer = completer
        self.warn = warn
        promptText = strdup("") ?? UnsafeMutablePointer<CChar>.allocate(capacity: 1)

        swl_history_set_size(history, LineEditor.historySize)
        swl_history_set_unique(history, 1)
        if let historyFile {
            // Only a regular file of bounded size is loaded: a link to /dev/zero, a FIFO or a directory would flood
            // or block libedit's reader before the first prompt. Such a file is left alone and never saved over.
            do throws(UserFileError) {
                try UserFile.checkReadable(historyFile.path, limit: LineEditor.historyFileLimit)
                swl_history_load(history, historyFile.path)
            } catch .missing {
                // No history yet.
            } catch {
                let reason: String
                if case .notAFile(let path, let kind, _) = error {
                    reason = "\(path) is \(kind), not a regular file; move it away to keep history"
                } else {
                    reason = error.description
                }
                historyProblem = reason
                warn("warning: history is not loaded or saved this session: \(reason)")
            }
        }

        swl_el_set_client_data(editLine, Unmanaged.passUnretained(self).toOpaque())
        swl_el_set_editor(editLine, "emacs")
        swl_el_set_signal(editLine, 1)
        swl_el_set_history(editLine, history)
        swl_el_set_prompt_esc(editLine, LineEditor.promptCallback, 1)
        swl_el_add_function(
            editLine, "swaplab-complete", "Complete the word at the cursor", LineEditor.completeCallback)
        swl_el_bind(editLine, "^I", "swaplab-complete")
    }

    deinit {
        finish()
        free(promptText)
    }

    /// Reads one line. Ctrl-C gives `.interrupted`; Ctrl-D, end of input and SIGTERM/SIGHUP give `.eof`.
    public func read(prompt: String) -> ReadResult {
        guard !finished else { return .eof }
        free(promptText)
        promptText = strdup(prompt) ?? strdup("") ?? UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        while true {
            var count: Int32 = 0
            Syscall.lastErrno = 0
            let raw = el_gets(editLine, &count)
            let error = Syscall.lastErrno
            if SignalTrap.terminationSignal != nil { return .eof }
            guard let raw, count > 0 else {
                if count == -1 && error == EINTR {
                    if interrupt.isSet {
                        interrupt.clear()
                        return .interrupted
                    }
                    continue  // another signal (SIGCONT after Ctrl-Z, say): keep reading
                }
                return .eof
            }
            var line = String(cString: raw)
            while line.hasSuffix("\n") || line.hasSuffix("\r") { line.removeLast() }
            return .line(line)
        }
    }

    /// Adds a line to the history (consecutive duplicates are kept once).
    public func addHistory(_ line: String) {
        guard !finished else { return }
        swl_history_enter(history, line)
    }

    /// Saves the history and gives the terminal back. Safe to call more than once.
    public func finish() {
        guard !finished else { return }
        finished = true
        saveHistory()
        el_end(editLine)
        history_end(history)
    }

    /// Writes the history file atomically through `UserFile.replace` (libedit saves into the temporary file, which
    /// then replaces a regular file or a missing one); the state folder is created when missing. A failure is
    /// reported once, never silently.
    private func saveHistory() {
        guard let historyFile, historyProblem == nil else { return }
        do throws(UserFileError) {
            try UserFile.ensureFolder(historyFile.deletingLastPathComponent().path)
            try UserFile.replace(historyFile.path, mode: 0o600) { (_, temporary) throws(UserFileError) in
                if swl_history_save(history, temporary) < 0 {
                    throw .unwritable(path: historyFile.path, errno: Errno(errno == 0 ? EIO : errno))
                }
            }
        } catch {
            warn("warning: history was not saved: \(error.description)")
        }
    }

    /// libedit loses non-ASCII input in the "C" locale: use the environment's locale when it is UTF-8, else C.UTF-8.
    static func useUTF8Locale() {
        if setlocale(LC_CTYPE, "") == nil || String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
    }

    /// The editor behind a libedit callback, from `EL_CLIENTDATA`.
    private static func editor(_ editLine: OpaquePointer?) -> LineEditor? {
        guard let editLine, let raw = swl_el_get_client_data(editLine) else { return nil }
        return Unmanaged<LineEditor>.fromOpaque(raw).takeUnretainedValue()
    }

    /// Empty prompt for the impossible case of a callback without its editor.
    nonisolated(unsafe) private static let emptyPrompt: UnsafeMutablePointer<CChar> =
        strdup("") ?? .allocate(capacity: 1)

    private static let promptCallback: @convention(c) (OpaquePointer?) -> UnsafeMutablePointer<CChar>? = { editLine in
        LineEditor.editor(editLine)?.promptText ?? LineEditor.emptyPrompt
    }

    private static let completeCallback: @convention(c) (OpaquePointer?, Int32) -> UInt8 = { editLine, _ in
        guard let editLine, let editor = LineEditor.editor(editLine) else { return UInt8(CC_ERROR) }
        return editor.complete(editLine)
    }

    /// Tab: one match is inserted with a trailing space (none after a directory); several fill in their common
    /// prefix and are listed under the line; none beeps. Total: never traps inside libedit.
    private func complete(_ editLine: OpaquePointer) -> UInt8 {
        guard let info = el_line(editLine), let buffer = info.pointee.buffer, let cursor = info.pointee.cursor else {
            return UInt8(CC_ERROR)
        }
        let length = max(0, buffer.distance(to: cursor))
        let bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(buffer), count: length)
        let text = String(decoding: bytes, as: UTF8.self)
        let result = completer.complete(text)
        guard !result.candidates.isEmpty else { return UInt8(CC_ERROR) }
        let common = Completer.commonPrefix(result.candidates)
        var insertion = common.hasPrefix(result.word) ? String(common.dropFirst(result.word.count)) : ""
        insertion = Completer.escape(insertion)
        if result.candidates.count == 1 && !common.hasSuffix("/") { insertion += " " }
        if !insertion.isEmpty { el_insertstr(editLine, insertion) }
        if result.candidates.count == 1 { return UInt8(CC_REFRESH) }
        let shown = result.candidates.map { candidate -> String in
            guard result.arePaths else { return candidate }
            let trimmed = candidate.hasSuffix("/") ? String(candidate.dropLast()) : candidate
            let name = trimmed.split(separator: "/").last.map(String.init) ?? trimmed
            return name + (candidate.hasSuffix("/") ? "/" : "")
        }
        let columns = Syscall.terminalColumns() ?? 80
        let listing = "\r\n" + Completer.columns(shown, width: columns).joined(separator: "\r\n") + "\r\n"
        fflush(nil)
        listing.utf8CString.withUnsafeBufferPointer { p in
            Syscall.writeUnchecked(
                Syscall.standardOutput, UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(p)[..<(p.count - 1)]))
        }
        return UInt8(CC_REDISPLAY)
    }
}
