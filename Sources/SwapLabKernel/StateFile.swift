import Foundation
import SwapLabModel

/// A file swaplab keeps its state in (`$XDG_STATE_HOME/swaplab/progress.json`), read and replaced through
/// `UserFile`: a regular file or nothing, never a link, a FIFO or a device. A file whose contents do not pass the
/// owner's check is moved aside to `NAME.corrupt-<time>`; one that cannot be read at all (or not moved) is left
/// alone and never saved over in this session. Saving writes what the owner holds without reading the file again.
public final class StateFile: @unchecked Sendable {
    /// How the owner's messages name the file and what happens without it.
    public struct Wording: Sendable {
        /// `progress`: "your progress file …".
        public var kind: String
        /// What happens after a file is moved aside: "the course starts with fresh progress (…)".
        public var freshStart: String

        public init(kind: String, freshStart: String) {
            self.kind = kind
            self.freshStart = freshStart
        }
    }

    public let url: URL
    public let maxSize: Int
    public let wording: Wording
    /// Why saving is refused this session (the file there could not be read and was left as it is), or nil.
    public private(set) var saveBlocked: String?

    public init(_ url: URL, maxSize: Int, wording: Wording) {
        (self.url, self.maxSize, self.wording) = (url, maxSize, wording)
    }

    /// The file's bytes when they pass `check` (which returns the problem, or nil); nil when there is no file or it
    /// was set aside or left alone, with `notice` saying which.
    public func load(check: ([UInt8]) -> String?) -> (bytes: [UInt8]?, notice: String?) {
        if let blocking = UserFile.firstNonFolder(in: url.deletingLastPathComponent().path) {
            let why = UserFileError.notAFolder(path: blocking).description
            saveBlocked = why
            return (nil, why + "; \(wording.kind) is not saved this session")
        }
        let bytes: [UInt8]
        do {
            bytes = try UserFile.readBytes(url.path, limit: maxSize)
        } catch .missing {
            return (nil, nil)
        } catch .tooLarge {
            return (nil, moveAside(reason: "it is larger than \(maxSize >> 20) MiB"))
        } catch {
            saveBlocked = error.description
            return (
                nil,
                "your \(wording.kind) file could not be read (\(error.description)); it is left as it is and "
                    + "\(wording.kind) is not saved this session"
            )
        }
        if let problem = check(bytes) { return (nil, moveAside(reason: problem)) }
        return (bytes, nil)
    }

    private func moveAside(reason: String) -> String {
        let aside = asideName()
        do {
            try Syscall.rename(url.path, to: aside.path)
            return "your \(wording.kind) file \(url.path) could not be read (\(reason)); it is kept as \(aside.path) "
                + "and \(wording.freshStart)"
        } catch {
            saveBlocked = "it holds \(wording.kind) that could not be read and could not be moved aside"
            return "your \(wording.kind) file \(url.path) could not be read (\(reason)) and could not be moved aside "
                + "(\(error.reason)); it is left as it is and nothing will be saved over it"
        }
    }

    /// `NAME.corrupt-<seconds>`, or `…-<n>` when that is taken.
    private func asideName() -> URL {
        let stamp = Int(Date().timeIntervalSince1970)
        let folder = url.deletingLastPathComponent()
        var candidate = folder.appendingPathComponent("\(url.lastPathComponent).corrupt-\(stamp)")
        var n = 1
        while (try? Syscall.linkStatus(candidate.path)) != nil {
            candidate = folder.appendingPathComponent("\(url.lastPathComponent).corrupt-\(stamp)-\(n)")
            n += 1
        }
        return candidate
    }

    /// Why saving is refused (the file could not be read and was left alone), or makes sure the folder exists.
    public func prepareToSave() throws(UserFileError) -> String? {
        if let saveBlocked { return saveBlocked }
        try UserFile.ensureFolder(url.deletingLastPathComponent().path)
        return nil
    }
}
