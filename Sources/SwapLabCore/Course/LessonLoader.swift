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
    /// The folder holding `index.yaml`.
    public var directory: URL
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
        let indexFile = directory.appendingPathComponent("index.yaml")
        let (index, indexNode): (Index, Node) = try decode(Index.self, file: indexFile)
        if index.format > lessonFormatVersion { throw .newerFormat(file: indexFile.path, format: index.format) }
        var lessons: [Lesson] = []
        var errors: [LessonError] = []
        let lines = lineMap(indexNode)
        for (i, relative) in index.lessons.enumerated() {
            let url = directory.appendingPathComponent(relative)
            guard FileManager.default.fileExists(atPath: url.path) else {
                errors.append(.schema(file: indexFile.path, line: lines["lessons[\(i)]"], path: "lessons[\(i)]",
                                      problem: "names \(relative), which does not exist; fix the path or add the file"))
                continue
            }
            do {
                lessons.append(try loadLesson(url))
            } catch {
                errors.append(error)
            }
        }
        return Course(directory: directory, lessons: lessons, errors: errors)
    }

    /// Loads one lesson file.
    public static func loadLesson(_ url: URL) throws(LessonError) -> Lesson {
        var (lesson, node): (Lesson, Node) = try decode(Lesson.self, file: url)
        if lesson.format > lessonFormatVersion { throw .newerFormat(file: url.path, format: lesson.format) }
        lesson.file = url.path
        lesson.lines = lineMap(node)
        return lesson
    }

    /// Decodes `T` from the YAML in `file`, mapping Yams and decoding errors to a file and line.
    static func decode<T: Decodable>(_ type: T.Type, file: URL) throws(LessonError) -> (T, Node) {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw .unreadable(file: file.path, reason: (error as NSError).localizedDescription)
        }
        return try decode(type, yaml: text, file: file.path)
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

/// Finds the lessons folder: `--lessons DIR` / `SWAPLAB_LESSONS`, then beside the executable, then the
/// repository's `Lessons/` (found from this source file's path). Never uses `Bundle.module`, which stops the
/// program when the bundle was not copied with the binary.
public enum LessonLocator {
    /// This source file's path at build time (`Sources/SwapLabCore/Course/…`), for the checkout fallback.
    public static let thisFile: String = #filePath

    /// The places to look, in order, each with how it was chosen.
    public static func candidates(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executableDirectory: URL? = Bundle.main.executableURL?.deletingLastPathComponent(),
        sourceFile: String = LessonLocator.thisFile
    ) -> [(url: URL, why: String)] {
        var list: [(URL, String)] = []
        if let dir = environment["SWAPLAB_LESSONS"], !dir.isEmpty {
            list.append((URL(fileURLWithPath: dir), "--lessons / SWAPLAB_LESSONS"))
        }
        if let exe = executableDirectory {
            list.append((exe.appendingPathComponent("swaplab_SwapLabCore.resources/Lessons"), "beside the executable"))
            list.append((exe.appendingPathComponent("swaplab_SwapLabCore.bundle/Contents/Resources/Lessons"),
                         "beside the executable (bundle)"))
        }
        let repo = URL(fileURLWithPath: sourceFile).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        list.append((repo.appendingPathComponent("Lessons"), "the source checkout"))
        return list
    }

    /// The first candidate that holds `index.yaml`. An explicit `SWAPLAB_LESSONS` without one is an error
    /// (the learner asked for that folder), not a reason to look elsewhere.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executableDirectory: URL? = Bundle.main.executableURL?.deletingLastPathComponent(),
        sourceFile: String = LessonLocator.thisFile
    ) throws(LessonError) -> URL {
        let list = candidates(environment: environment, executableDirectory: executableDirectory, sourceFile: sourceFile)
        var searched: [String] = []
        for (i, c) in list.enumerated() {
            let index = c.url.appendingPathComponent("index.yaml")
            if FileManager.default.fileExists(atPath: index.path) { return c.url }
            searched.append("\(c.url.path) (\(c.why)): no index.yaml")
            if i == 0, environment["SWAPLAB_LESSONS"].map({ !$0.isEmpty }) == true {
                throw .notFound(searched: searched)
            }
        }
        throw .notFound(searched: searched)
    }
}
