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
            return "cannot read progress from \(file) (\(reason)); check it is a swaplab progress export"
        case .unwritable(let file, let reason):
            return "cannot write progress to \(file) (\(reason)); check the folder exists and is writable"
        }
    }
}

/// `$XDG_STATE_HOME/swaplab/progress.json`: human-readable JSON, written atomically (temp file + rename),
/// a corrupt file moved aside and reported, never silently lost.
public struct ProgressStore: Sendable {
    public let file: URL

    public init(directory: URL) { file = directory.appendingPathComponent("progress.json") }

    /// The saved progress, or empty progress when there is none. A file that cannot be parsed is renamed to
    /// `progress.json.corrupt-…` and `notice` says so.
    public func load() -> (progress: CourseProgress, notice: String?) {
        guard let data = FileManager.default.contents(atPath: file.path) else { return (CourseProgress(), nil) }
        do {
            return (try JSONDecoder().decode(CourseProgress.self, from: data), nil)
        } catch {
            let aside = asideName()
            do {
                try FileManager.default.moveItem(at: file, to: aside)
                return (CourseProgress(),
                        "your progress file \(file.path) could not be read; it is kept as \(aside.path) "
                        + "and the course starts with fresh progress (fix or import it with `progress import FILE`)")
            } catch {
                return (CourseProgress(),
                        "your progress file \(file.path) could not be read and could not be moved aside "
                        + "(\(error.localizedDescription)); it is left as it is and nothing will be saved over it")
            }
        }
    }

    private func asideName() -> URL {
        let stamp = Int(Date().timeIntervalSince1970)
        var candidate = file.deletingLastPathComponent().appendingPathComponent("progress.json.corrupt-\(stamp)")
        var n = 1
        while FileManager.default.fileExists(atPath: candidate.path) {
            candidate = file.deletingLastPathComponent().appendingPathComponent("progress.json.corrupt-\(stamp)-\(n)")
            n += 1
        }
        return candidate
    }

    /// Saves `progress` atomically. Refuses to overwrite a file it could not parse (left in place after a
    /// failed move-aside), so nothing is lost.
    public func save(_ progress: CourseProgress) throws(ProgressError) {
        if let data = FileManager.default.contents(atPath: file.path),
            (try? JSONDecoder().decode(CourseProgress.self, from: data)) == nil
        {
            throw .unwritable(file: file.path, reason: "it holds progress that could not be read; move it away first")
        }
        try ProgressStore.write(progress, to: file)
    }

    /// Writes `progress` to `url` through a temporary file in the same folder and `rename(2)`.
    public static func write(_ progress: CourseProgress, to url: URL) throws(ProgressError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let dir = url.deletingLastPathComponent()
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            var data = try encoder.encode(progress)
            data.append(0x0A)
            guard FileManager.default.createFile(atPath: tmp.path, contents: data) else {
                throw ProgressError.unwritable(file: url.path, reason: "cannot create \(tmp.lastPathComponent)")
            }
            if let h = FileHandle(forWritingAtPath: tmp.path) {
                try? h.synchronize()
                try? h.close()
            }
            guard rename(tmp.path, url.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: tmp)
                throw ProgressError.unwritable(file: url.path, reason: reason)
            }
        } catch let e as ProgressError {
            throw e
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw .unwritable(file: url.path, reason: error.localizedDescription)
        }
    }

    /// Reads a progress export; nothing is changed when it cannot be parsed.
    public static func read(_ url: URL) throws(ProgressError) -> CourseProgress {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .unreadable(file: url.path, reason: "no such file")
        }
        do {
            return try JSONDecoder().decode(CourseProgress.self, from: data)
        } catch {
            throw .unreadable(file: url.path, reason: "not valid progress JSON: \(error.localizedDescription)")
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
