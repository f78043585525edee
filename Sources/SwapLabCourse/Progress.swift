import Foundation
import SwapLabModel

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
    /// The learner went past the lesson's last step (`next` finished it); absent in older files.
    public var completed: Bool?
    /// The numbers each passed step's explanation quoted, by step id and placeholder (`free` → `488`), as the
    /// checks recorded them; the course summary shows them again. Absent in older files.
    public var observed: [String: [String: String]]?

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
        case version, current, done, skipped, language, engine, completed, observed
        case hintsUsed = "hints_used"
    }

    /// Whether every step `lesson` needs (all but the optional ones) is done or skipped: the lesson's ✓.
    public func finished(_ lesson: Lesson) -> Bool {
        lesson.requiredSteps.allSatisfy(covers)
    }

    /// Whether `step` is done or skipped.
    public func covers(_ step: Step) -> Bool { done.contains(step.id) || skipped.contains(step.id) }

    /// How many of the steps `lesson` needs are done or skipped, and how many it needs.
    public func requiredCount(_ lesson: Lesson) -> (done: Int, of: Int) {
        let required = lesson.requiredSteps
        return (required.filter(covers).count, required.count)
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
        for k in (observed ?? [:]).keys where !ids.contains(k) { observed?[k] = nil }
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
public enum ProgressError: CourseError, Sendable {
    case unreadable(file: String, reason: String)
    case unwritable(file: String, reason: String)

    public var problem: String {
        switch self {
        case .unreadable(let file, let reason):
            return "cannot read progress from \(file): \(reason)"
        case .unwritable(let file, let reason):
            return "cannot write progress to \(file): \(reason)"
        }
    }

    public var description: String { problem }

    public func problem(_ language: Language) -> String {
        guard language == .ko else { return problem }
        switch self {
        case .unreadable(let file, let reason):
            return "\(file)에서 진행 상황을 읽을 수 없습니다: \(reason)"
        case .unwritable(let file, let reason):
            return "\(file)에 진행 상황을 쓸 수 없습니다: \(reason)"
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
            if let p = CourseProgress.observedProblem(e.observed, at: at) { return p }
        }
        return nil
    }

    /// The most numbers kept per step, and the longest name or value.
    public static let maxObserved = 64
    public static let maxValueLength = 200

    /// What is wrong with a lesson's `observed` numbers, or nil.
    static func observedProblem(_ observed: [String: [String: String]]?, at: String) -> String? {
        guard let observed else { return nil }
        if observed.count > maxSteps { return "\"\(at).observed\" has \(observed.count) steps; at most \(maxSteps)" }
        for (step, values) in observed {
            if step.isEmpty || step.utf8.count > maxIDLength || values.count > maxObserved
                || values.contains(where: { $0.key.utf8.count > maxValueLength || $0.value.utf8.count > maxValueLength }
                )
            {
                return "\"\(at).observed.\(step)\" holds more than \(maxObserved) values or one longer than "
                    + "\(maxValueLength) bytes"
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

extension CourseProgress {
    /// The progress of `lesson`, or a new entry made with `language` and `engine`.
    public func entry(for lesson: Lesson, language: Language, engine: CourseEngine) -> LessonProgress {
        lessons[lesson.id] ?? LessonProgress(version: lesson.version, language: language, engine: engine)
    }

    /// Records that `step` of `lesson` passed: done, or skipped when `skip` solved it (a done step stays done).
    public mutating func record(
        _ step: Step, of lesson: Lesson, skipped: Bool, language: Language, engine: CourseEngine
    ) {
        var e = entry(for: lesson, language: language, engine: engine)
        if skipped {
            if !e.skipped.contains(step.id) && !e.done.contains(step.id) { e.skipped.append(step.id) }
        } else if !e.done.contains(step.id) {
            e.done.append(step.id)
            e.skipped.removeAll { $0 == step.id }
        }
        lessons[lesson.id] = e
    }

    /// Keeps the numbers `step`'s explanation quotes (its placeholders, from `values`) for the course summary.
    public mutating func recordObserved(_ step: Step, of lesson: Lesson, values: [String: String]) {
        guard let explain = step.explain, lessons[lesson.id] != nil else { return }
        var kept: [String: String] = [:]
        for name in Template.placeholders(in: explain[.en]) + Template.placeholders(in: explain[.ko]) {
            if let v = values[name], kept.count < CourseProgress.maxObserved,
                name.utf8.count <= CourseProgress.maxValueLength, v.utf8.count <= CourseProgress.maxValueLength
            {
                kept[name] = v
            }
        }
        guard !kept.isEmpty else { return }
        var observed = lessons[lesson.id]?.observed ?? [:]
        observed[step.id] = kept
        lessons[lesson.id]?.observed = observed
    }

    /// Whether `step` of `lesson` is done or skipped.
    public func isDone(_ step: Step, of lesson: Lesson) -> Bool {
        guard let e = lessons[lesson.id] else { return false }
        return e.done.contains(step.id) || e.skipped.contains(step.id)
    }

    /// Records that an unchecked step was read (`next` past it), when the lesson has progress.
    public mutating func recordRead(_ step: Step, of lesson: Lesson) {
        guard !step.isChecked, var e = lessons[lesson.id], !e.done.contains(step.id) else { return }
        e.done.append(step.id)
        lessons[lesson.id] = e
    }

    /// Hints of `step` already shown, clamped to the hints the step has (a file is checked when read; this keeps
    /// any count from indexing outside the hints).
    public func hintsUsed(_ step: Step, of lesson: Lesson) -> Int {
        max(0, min(lessons[lesson.id]?.hintsUsed[step.id] ?? 0, step.hints.count))
    }

    /// Counts one more hint shown for `step` (at most its number of hints).
    public mutating func useHint(_ step: Step, of lesson: Lesson) {
        let used = hintsUsed(step, of: lesson)
        lessons[lesson.id]?.hintsUsed[step.id] = min(used + 1, step.hints.count)
    }
}
