import Foundation
import SwapLabModel
import SwapLabSimulator
import SwapLabKernel
import SwapLabAnalysis
import SwapLabExplain
import SwapLabCourse

/// `$XDG_STATE_HOME/swaplab/progress.json`: human-readable JSON, replaced atomically through `UserFile` (a regular
/// file or nothing; never a link, a FIFO or a device). A file that is not valid progress is moved aside to
/// `progress.json.corrupt-…`; one that cannot be read at all (or not moved) is left alone and never saved over this
/// session. Saving writes what is in memory without reading the file again.
public final class ProgressStore: @unchecked Sendable {
    public let file: URL
    /// The largest progress file read: a full course's progress is a few KiB.
    public static let maxFileSize = 4 << 20
    /// Why saving is refused this session (the file there could not be read and was left as it is), or nil.
    public private(set) var saveBlocked: String?

    public init(directory: URL) { file = directory.appendingPathComponent("progress.json") }

    /// The saved progress, or empty progress when there is none. A file that cannot be parsed (or breaks a bound)
    /// is renamed to `progress.json.corrupt-…`; one that cannot be read is left alone and saving is blocked; in
    /// both cases `notice` says what happened.
    public func load() -> (progress: CourseProgress, notice: String?) {
        let path = file.path
        let folder = file.deletingLastPathComponent().path
        if let blocking = UserFile.firstNonFolder(in: folder) {
            let why = UserFileError.notAFolder(path: blocking).description
            saveBlocked = why
            return (CourseProgress(), why + "; progress is not saved this session")
        }
        let bytes: [UInt8]
        do {
            bytes = try UserFile.readBytes(path, limit: ProgressStore.maxFileSize)
        } catch .missing {
            return (CourseProgress(), nil)
        } catch .tooLarge {
            return moveAside(reason: "it is larger than \(ProgressStore.maxFileSize >> 20) MiB")
        } catch {
            saveBlocked = error.description
            return (
                CourseProgress(),
                "your progress file could not be read (\(error.description)); it is left as it is and "
                    + "progress is not saved this session"
            )
        }
        switch CourseProgress.decode(bytes) {
        case .success(let p): return (p, nil)
        case .failure(let problem): return moveAside(reason: problem.description)
        }
    }

    private func moveAside(reason: String) -> (CourseProgress, String?) {
        let aside = asideName()
        do {
            try Syscall.rename(file.path, to: aside.path)
            return (
                CourseProgress(),
                "your progress file \(file.path) could not be read (\(reason)); it is kept as \(aside.path) "
                    + "and the course starts with fresh progress (fix or import it with `progress import FILE`)"
            )
        } catch {
            saveBlocked = "it holds progress that could not be read and could not be moved aside"
            return (
                CourseProgress(),
                "your progress file \(file.path) could not be read (\(reason)) and could not be moved aside "
                    + "(\(error.reason)); it is left as it is and nothing will be saved over it"
            )
        }
    }

    private func asideName() -> URL {
        let stamp = Int(Date().timeIntervalSince1970)
        var candidate = file.deletingLastPathComponent().appendingPathComponent("progress.json.corrupt-\(stamp)")
        var n = 1
        while (try? Syscall.linkStatus(candidate.path)) != nil {
            candidate = file.deletingLastPathComponent().appendingPathComponent("progress.json.corrupt-\(stamp)-\(n)")
            n += 1
        }
        return candidate
    }

    /// Saves `progress` atomically into the state folder (created if missing). Refused while `saveBlocked` is set,
    /// so a file that could not be read is never lost; the file is not read again.
    public func save(_ progress: CourseProgress) throws(ProgressError) {
        if let saveBlocked { throw .unwritable(file: file.path, reason: saveBlocked + "; move it away first") }
        do {
            try UserFile.ensureFolder(file.deletingLastPathComponent().path)
        } catch {
            throw .unwritable(file: file.path, reason: error.description)
        }
        try ProgressStore.write(progress, to: file, mode: 0o600)
    }

    /// Writes `progress` to `url` atomically through `UserFile.replace`: only a regular file or a missing path, and
    /// never a missing folder (an export names where it goes).
    public static func write(_ progress: CourseProgress, to url: URL, mode: mode_t = 0o644) throws(ProgressError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data: Data
        do { data = try encoder.encode(progress) } catch {
            throw .unwritable(file: url.path, reason: "it cannot be encoded (\(error.localizedDescription))")
        }
        data.append(0x0A)
        do {
            try UserFile.replace(url.path, with: [UInt8](data), mode: mode)
        } catch {
            switch error {
            case .folderMissing(_, let folder):
                throw .unwritable(
                    file: url.path,
                    reason: "the folder \(folder) does not exist; create it first or choose another path")
            case .unwritable(_, let errno):
                throw .unwritable(file: url.path, reason: "\(errno); check the folder is writable")
            default:
                throw .unwritable(file: url.path, reason: error.description)
            }
        }
    }

    /// Reads a progress export; nothing is changed when it cannot be used, and the error names what is wrong.
    public static func read(_ url: URL) throws(ProgressError) -> CourseProgress {
        let bytes: [UInt8]
        do { bytes = try UserFile.readBytes(url.path, limit: maxFileSize) } catch {
            throw .unreadable(file: url.path, reason: error.description)
        }
        switch CourseProgress.decode(bytes) {
        case .success(let p): return p
        case .failure(let problem):
            throw .unreadable(
                file: url.path,
                reason: "it is not a swaplab progress file: \(problem.description); "
                    + "export one with `progress export FILE`")
        }
    }
}

