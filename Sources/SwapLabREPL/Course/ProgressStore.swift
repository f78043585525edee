import Foundation
import SwapLabCourse
import SwapLabKernel

/// `$XDG_STATE_HOME/swaplab/progress.json`: human-readable JSON, replaced atomically through `UserFile` (a regular
/// file or nothing; never a link, a FIFO or a device). A file that is not valid progress is moved aside to
/// `progress.json.corrupt-…`; one that cannot be read at all (or not moved) is left alone and never saved over this
/// session. Saving writes what is in memory without reading the file again.
public final class ProgressStore: @unchecked Sendable {
    public var file: URL { state.url }
    /// The largest progress file read: a full course's progress is a few KiB.
    public static let maxFileSize = 4 << 20
    /// Why saving is refused this session (the file there could not be read and was left as it is), or nil.
    public var saveBlocked: String? { state.saveBlocked }
    private let state: StateFile

    public init(directory: URL) {
        state = StateFile(
            directory.appendingPathComponent("progress.json"), maxSize: ProgressStore.maxFileSize,
            wording: .init(
                kind: "progress",
                freshStart:
                    "the course starts with fresh progress (fix or import it with `progress import FILE`)"))
    }

    /// The saved progress, or empty progress when there is none. A file that cannot be parsed (or breaks a bound)
    /// is renamed to `progress.json.corrupt-…`; one that cannot be read is left alone and saving is blocked; in
    /// both cases `notice` says what happened.
    public func load() -> (progress: CourseProgress, notice: String?) {
        var progress = CourseProgress()
        let (_, notice) = state.load { bytes in
            switch CourseProgress.decode(bytes) {
            case .success(let p):
                progress = p
                return nil
            case .failure(let problem): return problem.description
            }
        }
        return (progress, notice)
    }

    /// Saves `progress` atomically into the state folder (created if missing). Refused while `saveBlocked` is set,
    /// so a file that could not be read is never lost; the file is not read again.
    public func save(_ progress: CourseProgress) throws(ProgressError) {
        let blocked: String?
        do { blocked = try state.prepareToSave() } catch {
            throw .unwritable(file: file.path, reason: error.description)
        }
        if let blocked { throw .unwritable(file: file.path, reason: blocked + "; move it away first") }
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
