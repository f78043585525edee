import Foundation

/// One lesson's progress: where the learner is, what is done or skipped, hints used, language and engine.
public struct LessonProgress: Codable, Sendable, Equatable {
    /// The lesson version this progress was made with.
    public var version: Int
    /// The step the learner is on (nil: the first step not yet done).
    public var current: String?
    public var done: [String]
    public var skipped: [String]
    /// Hints shown per step id.
    public var hintsUsed: [String: Int]
    public var language: Language
    public var engine: CourseEngine

    public init(
        version: Int, current: String? = nil, done: [String] = [], skipped: [String] = [],
        hintsUsed: [String: Int] = [:], language: Language, engine: CourseEngine
    ) {
        self.version = version
        self.current = current
        self.done = done
        self.skipped = skipped
        self.hintsUsed = hintsUsed
        self.language = language
        self.engine = engine
    }

    enum CodingKeys: String, CodingKey {
        case version, current, done, skipped, language, engine
        case hintsUsed = "hints_used"
    }

    /// Whether every step of `lesson` is done or skipped.
    public func finished(_ lesson: Lesson) -> Bool {
        lesson.steps.allSatisfy { done.contains($0.id) || skipped.contains($0.id) }
    }

    /// Brings progress made with an older version of `lesson` up to date: steps whose ids vanished are dropped,
    /// the rest kept. Returns the dropped step ids.
    @discardableResult
    public mutating func reconcile(with lesson: Lesson) -> [String] {
        let ids = Set(lesson.steps.map(\.id))
        var dropped: [String] = []
        func keep(_ list: [String]) -> [String] {
            var kept: [String] = []
            for id in list {
                if ids.contains(id) { kept.append(id) } else { dropped.append(id) }
            }
            return kept
        }
        done = keep(done)
        skipped = keep(skipped)
        for k in hintsUsed.keys where !ids.contains(k) { hintsUsed[k] = nil }
        if let c = current, !ids.contains(c) {
            dropped.append(c)
            current = nil
        }
        version = lesson.version
        var seen = Set<String>()
        return dropped.filter { seen.insert($0).inserted }
    }
}

/// Everything saved about the course: the last lesson, the defaults, and each lesson's progress.
public struct CourseProgress: Codable, Sendable, Equatable {
    public var format: Int = 1
    public var language: Language?
    public var engine: CourseEngine?
    /// The lesson last worked on (offered for resuming).
    public var last: String?
    public var lessons: [String: LessonProgress] = [:]

    public init() {}
}

/// What is wrong with a progress file operation; what to do.
public enum ProgressError: Error, Sendable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case unwritable(file: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "cannot read progress from \(file): \(reason)"
        case .unwritable(let file, let reason):
            return "cannot write progress to \(file): \(reason)"
        }
    }
}

extension CourseProgress {
    /// The most lessons, step ids per list and hints per step a progress file may hold, and the longest id:
    /// far above any course, and small enough that reading and saving stay instant.
    public static let maxLessons = 1000
    public static let maxSteps = 1000
    public static let maxHints = 1000
    public static let maxIDLength = 200

    /// What is wrong with progress read from a file, naming the field and the rule; nil when it is usable.
    public func problem() -> String? {
        if format != 1 { return "\"format\" is \(format); this swaplab reads progress format 1" }
        if lessons.count > CourseProgress.maxLessons {
            return "it holds \(lessons.count) lessons; at most \(CourseProgress.maxLessons)"
        }
        func badID(_ id: String) -> Bool { id.isEmpty || id.utf8.count > CourseProgress.maxIDLength }
        if let last, badID(last) { return "\"last\" must be a lesson id of 1–\(CourseProgress.maxIDLength) bytes" }
        for (id, e) in lessons {
            if badID(id) { return "a lesson id must be 1–\(CourseProgress.maxIDLength) bytes long" }
            let at = "lessons.\(id)"
            if e.version < 0 || e.version > Int(Int32.max) {
                return "\"\(at).version\" is \(e.version); versions are 0…\(Int32.max)"
            }
            for (name, list) in [("done", e.done), ("skipped", e.skipped)] {
                if list.count > CourseProgress.maxSteps {
                    return "\"\(at).\(name)\" lists \(list.count) steps; at most \(CourseProgress.maxSteps)"
                }
                if list.contains(where: badID) {
                    return "\"\(at).\(name)\" holds a step id that is empty or longer than "
                        + "\(CourseProgress.maxIDLength) bytes"
                }
            }
            if let c = e.current, badID(c) {
                return "\"\(at).current\" must be a step id of 1–\(CourseProgress.maxIDLength) bytes"
            }
            if e.hintsUsed.count > CourseProgress.maxSteps {
                return "\"\(at).hints_used\" has \(e.hintsUsed.count) steps; at most \(CourseProgress.maxSteps)"
            }
            for (step, n) in e.hintsUsed where badID(step) || n < 0 || n > CourseProgress.maxHints {
                return "\"\(at).hints_used.\(step)\" is \(n); hint counts are 0…\(CourseProgress.maxHints)"
            }
        }
        return nil
    }

    /// `CourseProgress` from the bytes of a progress file, or what is wrong with them in a few words.
    public static func decode(_ bytes: [UInt8]) -> Result<CourseProgress, ProgressReadProblem> {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(.init("it is not UTF-8 text"))
        }
        guard text.drop(while: { $0.isWhitespace }).first == "{" else {
            return .failure(.init("it is not JSON (a progress file starts with '{')"))
        }
        let progress: CourseProgress
        do {
            progress = try JSONDecoder().decode(CourseProgress.self, from: Data(bytes))
        } catch let e as DecodingError {
            return .failure(.init(ProgressReadProblem.explain(e)))
        } catch {
            return .failure(.init("it is not valid JSON"))
        }
        if let p = progress.problem() { return .failure(.init(p)) }
        return .success(progress)
    }
}

/// Why bytes are not usable progress, in a few words (`"lessons.kswapd.hints_used.x" is -1; …`).
public struct ProgressReadProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    init(_ description: String) { self.description = description }

    static func explain(_ e: DecodingError) -> String {
        func path(_ c: [CodingKey]) -> String {
            c.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch e {
        case .keyNotFound(let key, let ctx):
            let at = path(ctx.codingPath)
            return "it has no \"\(key.stringValue)\"" + (at.isEmpty ? "" : " in \"\(at)\"")
        case .typeMismatch(let type, let ctx), .valueNotFound(let type, let ctx):
            return "\"\(path(ctx.codingPath))\" must be \(ProgressReadProblem.name(of: type))"
        case .dataCorrupted(let ctx):
            let at = path(ctx.codingPath)
            return at.isEmpty ? "it is not valid JSON" : "\"\(at)\" has a value this swaplab does not know"
        @unknown default:
            return "it is not a swaplab progress file"
        }
    }

    static func name(of type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type: return "a whole number"
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is [String].Type, is [Any].Type: return "a list"
        default: return "a JSON object"
        }
    }
}

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

extension CourseProgress {
    /// Takes every lesson from `other` (replacing the same lessons here), and its defaults when set.
    public mutating func merge(_ other: CourseProgress) {
        for (k, v) in other.lessons { lessons[k] = v }
        language = other.language ?? language
        engine = other.engine ?? engine
        last = other.last ?? last
    }

    /// Forgets one lesson, or all when `lesson` is nil. Returns whether anything was forgotten.
    @discardableResult
    public mutating func forget(_ lesson: String?) -> Bool {
        guard let lesson else {
            let any = !lessons.isEmpty
            lessons = [:]
            last = nil
            return any
        }
        if last == lesson { last = nil }
        return lessons.removeValue(forKey: lesson) != nil
    }
}
