import Foundation
import Yams

/// What is wrong with the lessons, with the file and line, worded as "what is wrong; what to do".
public enum LessonError: Error, Sendable, CustomStringConvertible, Equatable {
    /// No lessons folder was found; `searched` lists every place looked at, with how it was chosen.
    case notFound(searched: [String])
    /// A file could not be read.
    case unreadable(file: String, reason: String)
    /// The YAML itself is broken.
    case syntax(file: String, line: Int, column: Int, problem: String)
    /// The YAML is fine but a field is missing or wrong.
    case schema(file: String, line: Int?, path: String, problem: String)
    /// The lesson was written for a newer swaplab.
    case newerFormat(file: String, format: Int)

    public var description: String {
        switch self {
        case .notFound(let searched):
            return "no lessons found; looked in:\n"
                + searched.map { "  - \($0)" }.joined(separator: "\n")
                + "\npoint swaplab at them with --lessons DIR or SWAPLAB_LESSONS=DIR (a folder holding index.yaml)"
        case .unreadable(let file, let reason):
            return "\(file): cannot read it (\(reason)); check the path and its permissions"
        case .syntax(let file, let line, let column, let problem):
            return "\(file):\(line):\(column): the YAML is broken: \(problem); fix the file there"
        case .schema(let file, let line, let path, let problem):
            let at = line.map { "\(file):\($0)" } ?? file
            return "\(at): \(path.isEmpty ? "" : path + ": ")\(problem)"
        case .newerFormat(let file, let format):
            return "\(file): written in lesson format \(format), but this swaplab reads format \(lessonFormatVersion); "
                + "update swaplab or use lessons for this version"
        }
    }
}

/// The course as loaded: the lessons in index order, and every file that could not be loaded.
public struct Course: Sendable {
    /// Where it was read from: a folder holding `index.yaml`, or the lessons built into swaplab.
    public var source: LessonSource
    public var lessons: [Lesson]
    /// Problems found while loading (a broken lesson is left out; the others still load).
    public var errors: [LessonError]

    /// The lesson with `id`, or at 1-based menu number `n`.
    public func lesson(_ idOrNumber: String) -> Lesson? {
        if let n = Int(idOrNumber), n >= 1, n <= lessons.count { return lessons[n - 1] }
        return lessons.first { $0.id == idOrNumber }
    }
}

/// Reads `Lessons/index.yaml` and each lesson file it names with Yams, keeping the line of every field
/// so errors and lint messages point into the file.
public enum LessonLoader {
    private struct Index: Decodable {
        var format: Int
        var lessons: [String]
    }

    /// Loads the course in `directory` (which holds `index.yaml`). Throws only when the index itself is unusable.
    public static func loadCourse(from directory: URL) throws(LessonError) -> Course {
        try loadCourse(from: .directory(directory))
    }

    /// Loads the course from `source` (a folder, or the built-in files), the same way for both. Throws only when
    /// the index itself is unusable.
    public static func loadCourse(from source: LessonSource) throws(LessonError) -> Course {
        let indexFile = "index.yaml"
        let (index, indexNode): (Index, Node) = try decode(Index.self, file: indexFile, in: source)
        if index.format > lessonFormatVersion {
            throw .newerFormat(file: source.path(indexFile), format: index.format)
        }
        var lessons: [Lesson] = []
        var errors: [LessonError] = []
        let lines = lineMap(indexNode)
        for (i, relative) in index.lessons.enumerated() {
            guard source.contains(relative) else {
                errors.append(
                    .schema(
                        file: source.path(indexFile), line: lines["lessons[\(i)]"], path: "lessons[\(i)]",
                        problem: "names \(relative), which does not exist; fix the path or add the file"))
                continue
            }
            do {
                lessons.append(try loadLesson(relative, from: source))
            } catch {
                errors.append(error)
            }
        }
        return Course(source: source, lessons: lessons, errors: errors)
    }

    /// Loads one lesson file, `relative` to the course folder of `source`.
    public static func loadLesson(_ relative: String, from source: LessonSource) throws(LessonError) -> Lesson {
        var (lesson, node): (Lesson, Node) = try decode(Lesson.self, file: relative, in: source)
        if lesson.format > lessonFormatVersion {
            throw .newerFormat(file: source.path(relative), format: lesson.format)
        }
        lesson.file = source.path(relative)
        lesson.lines = lineMap(node)
        return lesson
    }

    /// Decodes `T` from the YAML in `file` of `source`, mapping Yams and decoding errors to a file and line.
    static func decode<T: Decodable>(
        _ type: T.Type, file: String, in source: LessonSource
    ) throws(LessonError) -> (T, Node) {
        try decode(type, yaml: try source.read(file), file: source.path(file))
    }

    /// Decodes `T` from `yaml`; `file` names it in errors.
    static func decode<T: Decodable>(_ type: T.Type, yaml: String, file: String) throws(LessonError) -> (T, Node) {
        let node: Node
        do {
            guard let n = try Yams.compose(yaml: yaml) else {
                throw LessonError.schema(file: file, line: 1, path: "", problem: "the file is empty; write the lesson there")
            }
            node = n
        } catch let e as LessonError {
            throw e
        } catch let e as YamlError {
            throw syntaxError(e, file: file)
        } catch {
            throw .syntax(file: file, line: 1, column: 1, problem: String(describing: error))
        }
        do {
            return (try YAMLDecoder().decode(T.self, from: node), node)
        } catch let e as DecodingError {
            throw schemaError(e, file: file, node: node)
        } catch {
            throw .schema(file: file, line: nil, path: "", problem: String(describing: error))
        }
    }

    private static func syntaxError(_ e: YamlError, file: String) -> LessonError {
        switch e {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let ctx = context.map { " (\($0.text))" } ?? ""
            return .syntax(file: file, line: mark.line, column: mark.column, problem: problem + ctx)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .syntax(file: file, line: context.mark.line, column: context.mark.column,
                           problem: "duplicate keys \(duplicates.joined(separator: ", "))")
        default:
            return .syntax(file: file, line: 1, column: 1, problem: String(describing: e))
        }
    }

    private static func schemaError(_ e: DecodingError, file: String, node: Node) -> LessonError {
        let lines = lineMap(node)
        func at(_ path: [CodingKey]) -> (String, Int?) {
            var p = pathString(path)
            let full = p
            while lines[p] == nil, let cut = p.lastIndex(where: { $0 == "." || $0 == "[" }) { p = String(p[..<cut]) }
            return (full, lines[p] ?? lines[""])
        }
        switch e {
        case .keyNotFound(let key, let ctx):
            let (path, line) = at(ctx.codingPath)
            return .schema(file: file, line: line, path: path, problem: "missing `\(key.stringValue)`; add it")
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx), .dataCorrupted(let ctx):
            let (path, line) = at(ctx.codingPath)
            var problem = ctx.debugDescription
            if problem.hasPrefix("Expected to decode") || problem.contains("Cannot initialize") {
                problem = "has the wrong type or an unknown value (\(problem))"
            }
            return .schema(file: file, line: line, path: path, problem: problem)
        @unknown default:
            return .schema(file: file, line: nil, path: "", problem: String(describing: e))
        }
    }

    /// `steps[2].expect.all[0]` for a coding path.
    static func pathString(_ path: [CodingKey]) -> String {
        var s = ""
        for k in path {
            if let i = k.intValue {
                s += "[\(i)]"
            } else {
                s += s.isEmpty ? k.stringValue : "." + k.stringValue
            }
        }
        return s
    }

    /// The line of every mapping key and sequence item, by path (`""` is the document).
    static func lineMap(_ root: Node) -> [String: Int] {
        var map: [String: Int] = ["": root.mark?.line ?? 1]
        func walk(_ node: Node, _ path: String) {
            switch node {
            case .mapping(let m):
                for (k, v) in m {
                    guard let key = k.string else { continue }
                    let p = path.isEmpty ? key : path + "." + key
                    map[p] = k.mark?.line ?? v.mark?.line
                    walk(v, p)
                }
            case .sequence(let s):
                for (i, v) in s.enumerated() {
                    let p = path + "[\(i)]"
                    map[p] = v.mark?.line
                    walk(v, p)
                }
            default: break
            }
        }
        walk(root, "")
        return map
    }
}

/// Where the lesson files are read from: a folder on disk (`--lessons DIR`, `SWAPLAB_LESSONS`, tests), or files held
/// in memory, such as the copy of `Lessons/` built into the executable. The loader reads both by path relative to
/// the course folder, so loading, lint and test behave the same on either.
public enum LessonSource: Sendable, CustomStringConvertible {
    /// A folder holding `index.yaml`.
    case directory(URL)
    /// Files by path relative to the course folder (`index.yaml`, `03-kswapd/lesson.yaml`); messages name a file
    /// `name/path`.
    case files([String: String], name: String)

    /// The lessons built into swaplab: every file under `Lessons/` when it was compiled (the EmbedLessons plugin).
    public static let builtIn = LessonSource.files(BuiltInLessons.files, name: "<built-in>")

    /// The folder's path, or "built into swaplab".
    public var description: String {
        switch self {
        case .directory(let url): return url.path
        case .files(_, let name): return name == "<built-in>" ? "built into swaplab" : name
        }
    }

    /// How messages name the file at `relative` (`/home/me/Lessons/03-kswapd/lesson.yaml`,
    /// `<built-in>/03-kswapd/lesson.yaml`).
    public func path(_ relative: String) -> String {
        switch self {
        case .directory(let url): return url.appendingPathComponent(relative).path
        case .files(_, let name): return name + "/" + (LessonSource.normalized(relative) ?? relative)
        }
    }

    /// True when the file at `relative` exists.
    public func contains(_ relative: String) -> Bool {
        switch self {
        case .directory(let url):
            return FileManager.default.fileExists(atPath: url.appendingPathComponent(relative).path)
        case .files(let files, _): return LessonSource.normalized(relative).map { files[$0] != nil } ?? false
        }
    }

    /// The text of the file at `relative`.
    public func read(_ relative: String) throws(LessonError) -> String {
        switch self {
        case .directory(let url):
            let file = url.appendingPathComponent(relative)
            do {
                return try String(contentsOf: file, encoding: .utf8)
            } catch {
                throw .unreadable(file: file.path, reason: (error as NSError).localizedDescription)
            }
        case .files(let files, _):
            guard let key = LessonSource.normalized(relative), let text = files[key] else {
                throw .unreadable(file: path(relative), reason: "no such file")
            }
            return text
        }
    }

    /// `relative` with `.` and `..` resolved and no empty parts (`./a//b/../c` is `a/c`); nil when it leaves the
    /// course folder.
    static func normalized(_ relative: String) -> String? {
        var parts: [Substring] = []
        for part in relative.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if parts.popLast() == nil { return nil }
                continue
            }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }
}

/// Finds the lessons: the folder given with `--lessons DIR` (which sets `SWAPLAB_LESSONS`), else the lessons built
/// into the executable, so a copied binary needs nothing beside it.
public enum LessonLocator {
    /// The folder in `SWAPLAB_LESSONS` when it is set (it must hold `index.yaml`: the learner asked for that folder,
    /// so it is not a reason to look elsewhere), else the built-in lessons.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(LessonError) -> LessonSource {
        if let dir = environment["SWAPLAB_LESSONS"], !dir.isEmpty {
            let url = URL(fileURLWithPath: dir)
            guard LessonSource.directory(url).contains("index.yaml") else {
                throw .notFound(searched: ["\(url.path) (--lessons / SWAPLAB_LESSONS): no index.yaml"])
            }
            return .directory(url)
        }
        guard LessonSource.builtIn.contains("index.yaml") else {
            throw .notFound(searched: ["the lessons built into swaplab: no index.yaml (rebuild it from a checkout)"])
        }
        return .builtIn
    }
}
