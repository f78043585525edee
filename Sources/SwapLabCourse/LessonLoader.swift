import Foundation
import SwapLabAnalysis
import SwapLabModel
import Yams

/// What is wrong with the lessons, with the file and line, worded as "what is wrong; what to do".
public enum LessonError: LearnerError, Sendable, Equatable {
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

    public var problem: String {
        switch self {
        case .notFound(let searched):
            return "no lessons found; looked in:\n" + searched.map { "  - \($0)" }.joined(separator: "\n")
        case .unreadable(let file, let reason):
            return "\(file): cannot read it: \(reason)"
        case .syntax(let file, let line, let column, let problem):
            return "\(file):\(line):\(column): the YAML is broken: \(problem)"
        case .schema(let file, let line, let path, let problem):
            let at = line.map { "\(file):\($0)" } ?? file
            return "\(at): \(path.isEmpty ? "" : path + ": ")\(problem)"
        case .newerFormat(let file, let format):
            return "\(file): written in lesson format \(format), but this swaplab reads format \(lessonFormatVersion)"
        }
    }

    public var remedy: String? {
        switch self {
        case .notFound:
            return "point swaplab at them with --lessons DIR or SWAPLAB_LESSONS=DIR (a folder holding index.yaml)"
        case .syntax: return "fix the file there"
        case .newerFormat: return "update swaplab or use lessons for this version"
        case .unreadable, .schema: return nil
        }
    }

    public var description: String { sentence }
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

    /// The largest index and lesson files read: the shipped lessons are 5–25 KiB each.
    public static let maxIndexSize = 64 << 10
    public static let maxLessonSize = 512 << 10
    /// The most lessons in an index.
    public static let maxLessons = 200

    /// Loads the course in `directory` (which holds `index.yaml`). Throws only when the index itself is unusable.
    public static func loadCourse(from directory: URL) throws(LessonError) -> Course {
        try loadCourse(from: .directory(directory))
    }

    /// Loads the course from `source` (a folder, or the built-in files), the same way for both. Throws only when
    /// the index itself is unusable. Every entry must name a regular file inside the course folder (no absolute
    /// paths, no `..`, no link out of it).
    public static func loadCourse(from source: LessonSource) throws(LessonError) -> Course {
        let indexFile = "index.yaml"
        let (index, indexNode): (Index, Node) = try decode(
            Index.self, file: indexFile, in: source, limit: maxIndexSize)
        if index.format > lessonFormatVersion {
            throw .newerFormat(file: source.path(indexFile), format: index.format)
        }
        let lines = lineMap(indexNode)
        guard index.lessons.count <= maxLessons else {
            throw .schema(
                file: source.path(indexFile), line: lines["lessons"], path: "lessons",
                problem: "names \(index.lessons.count) lessons; an index holds at most \(maxLessons)")
        }
        var lessons: [Lesson] = []
        var errors: [LessonError] = []
        for (i, relative) in index.lessons.enumerated() {
            if let problem = source.problem(with: relative) {
                errors.append(
                    .schema(
                        file: source.path(indexFile), line: lines["lessons[\(i)]"], path: "lessons[\(i)]",
                        problem: problem))
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

    /// Loads one lesson file, `relative` to the course folder of `source`, and refuses one that breaks a rule
    /// lessons must keep (see `LessonRules`).
    public static func loadLesson(_ relative: String, from source: LessonSource) throws(LessonError) -> Lesson {
        var (lesson, node): (Lesson, Node) = try decode(
            Lesson.self, file: relative, in: source, limit: maxLessonSize)
        if lesson.format > lessonFormatVersion {
            throw .newerFormat(file: source.path(relative), format: lesson.format)
        }
        lesson.file = source.path(relative)
        lesson.lines = lineMap(node)
        try LessonRules.check(lesson)
        return lesson
    }

    /// Decodes `T` from the YAML in `file` of `source` (at most `limit` bytes of UTF-8, read before anything is
    /// parsed), mapping read, Yams and decoding errors to a file and line.
    static func decode<T: Decodable>(
        _ type: T.Type, file: String, in source: LessonSource, limit: Int
    ) throws(LessonError) -> (T, Node) {
        try decode(type, yaml: try source.read(file, limit: limit), file: source.path(file))
    }

    /// Decodes `T` from `yaml`; `file` names it in errors. The text is checked by `YAMLGuard` first (no anchors or
    /// aliases, bounded nesting), so no file can make composing or walking it grow beyond its size.
    static func decode<T: Decodable>(_ type: T.Type, yaml: String, file: String) throws(LessonError) -> (T, Node) {
        if let (line, problem) = YAMLGuard.problem(in: yaml) {
            throw .syntax(file: file, line: line, column: 1, problem: problem)
        }
        let node: Node
        do {
            guard let n = try Yams.compose(yaml: yaml) else {
                throw LessonError.schema(
                    file: file, line: 1, path: "", problem: "the file is empty; write the lesson there")
            }
            node = n
        } catch let e as LessonError {
            throw e
        } catch let e as YamlError {
            throw syntaxError(e, file: file)
        } catch {
            throw .syntax(file: file, line: 1, column: 1, problem: String(describing: error))
        }
        // Belt and braces: a node that carries an anchor (the scan above missed it) or a tree larger than the text
        // could hold is refused before anything walks it.
        if let problem = YAMLGuard.problem(in: node) {
            throw .syntax(file: file, line: node.mark?.line ?? 1, column: 1, problem: problem)
        }
        guard case .mapping = node else {
            let what = type == Lesson.self ? "format, id, version, title and steps" : "format and lessons"
            throw .schema(
                file: file, line: node.mark?.line ?? 1, path: "",
                problem: "the file must be a mapping with \(what); it is not")
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
            return .syntax(
                file: file, line: context.mark.line, column: context.mark.column,
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
        case .typeMismatch(let type, let ctx), .valueNotFound(let type, let ctx):
            let (path, line) = at(ctx.codingPath)
            return .schema(file: file, line: line, path: path, problem: "must be \(expected(type)); fix the value")
        case .dataCorrupted(let ctx):
            let (path, line) = at(ctx.codingPath)
            var problem = ctx.debugDescription
            if problem.hasPrefix("Expected to decode") || problem.contains("Cannot initialize") {
                // An enum's raw value (`kind: chat`): say which words are known, in the lesson's terms.
                problem = "has a value this swaplab does not know; check the spelling against Lessons/README.md"
            }
            return .schema(file: file, line: line, path: path, problem: problem)
        @unknown default:
            return .schema(file: file, line: nil, path: "", problem: String(describing: e))
        }
    }

    /// What a lesson field of `type` must hold, in the words of the format (`a whole number`, `a list`, …).
    static func expected(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type: return "a whole number"
        case is Double.Type: return "a number"
        case is String.Type: return "text"
        case is Bool.Type: return "true or false"
        case is LocalizedText.Type: return "a text {en: …, ko: …}"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") || name.hasPrefix("[") { return "a list" }
            return "a mapping (key: value)"
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

    /// Why an index entry may not be read as a lesson, or nil when it may: it must be a relative path inside the
    /// course folder (no leading `/`, no `..` that climbs out of it), name an existing regular file, and, in a folder, not lead out of
    /// it through a link.
    public func problem(with relative: String) -> String? {
        if relative.isEmpty || relative.hasPrefix("/") || relative.contains("\0")
            || LessonSource.normalized(relative) == nil
        {
            return "'\(relative)' must be a path inside the lessons folder (no leading '/', no '..' out of it)"
        }
        switch self {
        case .directory(let directory):
            let url = directory.appendingPathComponent(relative)
            switch LessonFile.kind(url) {
            case .missing: return "names \(relative), which does not exist; fix the path or add the file"
            case .other(let kind): return "names \(relative), which is \(kind); name a lesson file"
            case .regular: break
            }
            let root = directory.resolvingSymlinksInPath().path
            let real = url.resolvingSymlinksInPath().path
            guard real.hasPrefix(root + "/") else {
                return "names \(relative), which leads outside the lessons folder (to \(real)); keep lessons inside it"
            }
            return nil
        case .files:
            return contains(relative) ? nil : "names \(relative), which does not exist; fix the path or add the file"
        }
    }

    /// The text of the file at `relative`: UTF-8, at most `limit` bytes, and in a folder a regular file (checked
    /// before anything is read).
    public func read(_ relative: String, limit: Int = LessonLoader.maxLessonSize) throws(LessonError) -> String {
        switch self {
        case .directory(let url):
            return try LessonFile.readText(url.appendingPathComponent(relative), limit: limit)
        case .files(let files, _):
            guard let key = LessonSource.normalized(relative), let text = files[key] else {
                throw .unreadable(file: path(relative), reason: "no such file")
            }
            guard text.utf8.count <= limit else {
                throw .unreadable(
                    file: path(relative), reason: "it is larger than \(limit >> 10) KiB; lessons are far smaller")
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

/// Keeps lesson YAML to what its text holds: anchors and aliases (`&name`, `*name`), which let a few hundred bytes
/// expand to gigabytes, are refused before Yams composes anything, as are flow nesting deeper than 64 and
/// indentation deeper than 256 columns; after composing, a tree with more nodes than the text could hold is
/// refused before anything walks it.
enum YAMLGuard {
    static let maxFlowDepth = 64
    static let maxIndent = 256

    /// The line and the problem of the first anchor or alias (or too deep a nesting) in `text`, or nil.
    ///
    /// A small scanner that follows libyaml's rules for where a node may begin (a block line's start, after `- `,
    /// `? `, `: `, and in flow context after `[`, `{`, `,` and a JSON-like key's `:`), skipping comments, quoted
    /// scalars (which must end on the line they start) and block scalars (`|`, `>`, by indentation). Where it is
    /// unsure it scans on: it may refuse an odd but harmless line, never let an alias through.
    static func problem(in text: String) -> (Int, String)? {
        var scanner = NodeStartScanner()
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            if let problem = scanner.scan(Array(rawLine)) { return (lineNumber, problem) }
        }
        return nil
    }

    /// The state `problem(in:)` carries from line to line: flow nesting, whether a node may begin here, and the
    /// block scalar being skipped.
    private struct NodeStartScanner {
        static let aliasProblem = "anchors and aliases (&name, *name) are not allowed in lessons; write the value out"
        var flowDepth = 0
        var nodeStart = true
        // A block scalar being skipped: lines indented more than `owner` belong to it; `content` is the indentation
        // of its first line, once seen.
        var block: (owner: Int, content: Int?)? = nil

        /// Scans one line; the problem with it, or nil.
        mutating func scan(_ line: [Character]) -> String? {
            let indent = line.prefix { $0 == " " }.count
            let blank = line.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" }
            if inBlockScalar(indent: indent, blank: blank) { return nil }
            if indent > maxIndent {
                return "the line is indented more than \(maxIndent) columns; lessons nest less deeply"
            }
            // In block context every line starts where a node may begin; in flow context the state carries over.
            if flowDepth == 0 { nodeStart = true }
            var owner = indent
            var i = indent
            while i < line.count {
                let c = line[i]
                let next: Character? = i + 1 < line.count ? line[i + 1] : nil
                let spaceAfter = next == nil || next == " " || next == "\t" || next == "\r"
                let previous: Character? = i > 0 ? line[i - 1] : nil
                if c == " " || c == "\t" || c == "\r" {
                    // Spaces change nothing.
                } else if c == "#" && (previous == nil || previous == " " || previous == "\t") {
                    break
                } else if nodeStart && (c == "&" || c == "*") {
                    return Self.aliasProblem
                } else if nodeStart && (c == "\"" || c == "'") {
                    owner = i
                    guard let close = Self.closingQuote(line, from: i) else {
                        return "a quoted string must end on the line it starts; use a block scalar (|) for long text"
                    }
                    i = close + 1
                    nodeStart = false
                    continue
                } else if nodeStart && (c == "|" || c == ">") {
                    if Self.isBlockScalarHeader(line, after: i) {
                        block = (owner, nil)
                        break
                    }
                    nodeStart = false
                } else if nodeStart && (c == "-" || c == "?") && spaceAfter {
                    owner = i
                } else if c == ":"
                    && (spaceAfter
                        || flowDepth > 0
                            && (previous == "\"" || previous == "'" || previous == "]" || previous == "}"
                                || previous == " "))
                {
                    nodeStart = true
                } else if (c == "[" || c == "{") && (nodeStart || flowDepth > 0) {
                    flowDepth += 1
                    if flowDepth > maxFlowDepth {
                        return "brackets nest deeper than \(maxFlowDepth); lessons nest less deeply"
                    }
                    nodeStart = true
                } else if (c == "]" || c == "}") && flowDepth > 0 {
                    flowDepth -= 1
                    nodeStart = false
                } else if c == "," && flowDepth > 0 {
                    nodeStart = true
                } else if nodeStart && c == "!" {
                    // A tag: skip it; the node (which may carry an anchor) starts after it.
                    while i < line.count, line[i] != " " { i += 1 }
                    continue
                } else {
                    // A plain scalar or a key starts (or goes on) here; a key's column owns a block scalar after it.
                    if nodeStart { owner = i }
                    nodeStart = false
                }
                i += 1
            }
            return nil
        }

        /// Whether a line of `indent` columns belongs to the block scalar being skipped (blank lines always do);
        /// the first non-blank line sets the scalar's indentation, and a line less indented ends it.
        mutating func inBlockScalar(indent: Int, blank: Bool) -> Bool {
            guard let b = block else { return false }
            if blank { return true }
            if let c = b.content {
                if indent >= c { return true }
            } else if indent > b.owner {
                block = (b.owner, indent)
                return true
            }
            block = nil
            return false
        }

        /// The index of the quote that closes the one at `start` (`\"` escapes in double quotes, `''` in single),
        /// or nil when the line ends first.
        static func closingQuote(_ line: [Character], from start: Int) -> Int? {
            let quote = line[start]
            var j = start + 1
            while j < line.count {
                if quote == "\"" && line[j] == "\\" {
                    j += 2
                    continue
                }
                if line[j] == quote {
                    if quote == "'" && j + 1 < line.count && line[j + 1] == "'" {
                        j += 2
                        continue
                    }
                    return j
                }
                j += 1
            }
            return nil
        }

        /// Whether the `|` or `>` at `i` starts a block scalar header: only indicators and a comment follow it.
        static func isBlockScalarHeader(_ line: [Character], after i: Int) -> Bool {
            let rest = line[(i + 1)...].prefix { $0 != "#" }
            return rest.allSatisfy({ "+-0123456789 \t\r".contains($0) })
        }
    }

    /// What is wrong with a composed tree, or nil: more nodes than a text of its size can hold (an expansion) or
    /// nesting deeper than a lesson needs. Walks at most `budget` nodes, whatever the tree holds.
    static func problem(in root: Node, budget: Int = 200_000) -> String? {
        var stack: [(Node, Int)] = [(root, 0)]
        var seen = 0
        while let (node, depth) = stack.popLast() {
            seen += 1
            if seen > budget { return "the YAML expands to more than \(budget) nodes; lessons are far smaller" }
            if depth > 128 { return "the YAML nests deeper than 128 levels; lessons nest less deeply" }
            switch node {
            case .mapping(let m):
                for (k, v) in m {
                    stack.append((k, depth + 1))
                    stack.append((v, depth + 1))
                }
            case .sequence(let s):
                for v in s { stack.append((v, depth + 1)) }
            default:
                break
            }
        }
        return nil
    }
}

/// The rules every lesson keeps, enforced when it is loaded (not only by `lessons lint`): a lesson is data, so its
/// `setup`, `run` and `solution` use only an allow-list of simulator commands in plain words; its ids, counts and
/// answers are in range; its input patterns compile to `LinePattern`. A lesson that breaks one is not loaded, and the
/// message says where.
public enum LessonRules {
    /// Commands a lesson may run: the simulator's (`sysctl` sets a vm sysctl of the simulated machine only) and
    /// those that only look; `watch` only with `--count N`, so it ends by itself. Not `engine`, `swap`, `lab`,
    /// `trace`, `restore`, `record`, `replay`, `progress`, `quit`/`exit`, `retry`, `start`, `lessons`, the other
    /// course commands, or `sleep`.
    public static let allowedCommands: Set<String> = [
        "machine", "alloc", "release", "touch", "cache", "run", "mark", "reset", "status", "vmstat", "watermarks",
        "events", "explain", "chart", "allocs", "doctor", "sim", "help", "sysctl", "watch",
    ]
    /// The most frames a lesson's `watch --count N` may ask for.
    public static let maxWatchFrames = 20
    /// Options that read or write a file, or bypass a safety check: never in a lesson line.
    public static let refusedOptions: Set<String> = ["--zoneinfo", "--svg", "--trace", "--force"]
    /// Whole lines a live `solution` may also hold: the course's experiment and tracing in swaplab's private
    /// instance, each undone by swaplab itself. They run only when the learner types `skip` on the live engine, or
    /// under `lessons test --live`.
    public static let liveSolutionLines: Set<String> = [
        "lab run", "trace on", "trace off", "trace show", "trace stats",
    ]
    /// The longest command line and the most lines in one `setup`, `run` or `solution`.
    public static let maxLineLength = 256
    public static let maxLines = 24
    /// Characters a lesson's command line may hold: plain words, so it splits the same way in every reader.
    static let lineCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.,=/:%+;")

    /// What is wrong with a command line for the field `field` (`setup`, `run`, `solution`) on `engine`, or nil.
    public static func problem(line: String, field: String, engine: CourseEngine) -> String? {
        guard line.count <= maxLineLength else {
            return "'\(line.prefix(40))…' is longer than \(maxLineLength) characters"
        }
        if let bad = line.first(where: { !lineCharacters.contains($0) }) {
            let shown = bad.unicodeScalars.map {
                $0.value < 0x20 || $0.value == 0x7F
                    ? String(format: "\\u{%X}", $0.value) : String($0)
            }.joined()
            return "'\(line)' holds '\(shown)'; lesson lines are plain words (letters, digits, - _ . , = / : % +) "
                + "separated by spaces and ;"
        }
        if field == "solution" && engine == .live && liveSolutionLines.contains(line) { return nil }
        for part in line.split(separator: ";") {
            let words = part.split(separator: " ")
            guard let command = words.first else { continue }
            guard allowedCommands.contains(String(command)) else {
                return "'\(line)' runs '\(command)', which lessons may not run; a lesson uses only "
                    + allowedCommands.sorted().joined(separator: ", ")
            }
            for w in words.dropFirst() {
                let option = w.split(separator: "=", maxSplits: 1).first.map(String.init) ?? String(w)
                if refusedOptions.contains(option) {
                    return "'\(line)' uses \(option), which reads or writes a file or bypasses a check; lessons may not"
                }
            }
            if command == "watch", let problem = watchProblem(Array(words.dropFirst().map(String.init))) {
                return "'\(line)': \(problem)"
            }
        }
        return nil
    }

    /// What is wrong with the words after `watch` in a lesson line: it must end by itself, so it takes
    /// `--count N` with N in 1…`maxWatchFrames` (written `--count N` or `--count=N`).
    static func watchProblem(_ words: [String]) -> String? {
        var count: Int?
        for (i, w) in words.enumerated() {
            if w.hasPrefix("--count=") { count = Int(w.dropFirst("--count=".count)) }
            if w == "--count", i + 1 < words.count { count = Int(words[i + 1]) }
        }
        guard let count, (1...maxWatchFrames).contains(count) else {
            return "watch in a lesson takes --count N (1–\(maxWatchFrames)) so that it ends by itself"
        }
        return nil
    }

    /// Throws the first rule `lesson` breaks, with its file, line and path.
    public static func check(_ lesson: Lesson) throws(LessonError) {
        func fail(_ path: String, _ problem: String) -> LessonError {
            var p = path
            var line = lesson.lines[p]
            while line == nil, let cut = p.lastIndex(where: { $0 == "." || $0 == "[" }) {
                p = String(p[..<cut])
                line = lesson.lines[p]
            }
            return .schema(file: lesson.file, line: line ?? lesson.lines[""], path: path, problem: problem)
        }
        func badID(_ id: String) -> Bool {
            id.isEmpty || id.utf8.count > CourseProgress.maxIDLength
                || id.unicodeScalars.contains { $0.value < 0x21 || $0.value == 0x7F || $0 == "/" }
        }
        if badID(lesson.id) {
            throw fail(
                "id",
                "'\(lesson.id)' must be a word of 1–\(CourseProgress.maxIDLength) bytes without spaces or slashes")
        }
        guard (1...Int(Int32.max)).contains(lesson.version) else { throw fail("version", "must be 1 or more") }
        guard !lesson.steps.isEmpty, lesson.steps.count <= 200 else { throw fail("steps", "a lesson has 1–200 steps") }
        for (i, step) in lesson.steps.enumerated() {
            let sp = "steps[\(i)]"
            if badID(step.id) {
                throw fail(
                    sp + ".id", "'\(step.id)' must be a word of 1–\(CourseProgress.maxIDLength) bytes without spaces")
            }
            guard step.hints.count <= 20 else { throw fail(sp + ".hints", "a step has at most 20 hints") }
            guard step.choices.count <= 20 else { throw fail(sp + ".choices", "a step has at most 20 choices") }
            if step.kind == .predict {
                guard let a = step.answer, step.choices.indices.contains(a) else {
                    throw fail(
                        sp + ".answer", "answer must be the index (from 0) of one of the \(step.choices.count) choices")
                }
            }
            if let input = step.input {
                do { _ = try LinePattern(input) } catch {
                    throw fail(sp + ".input", "'\(input)' is not a pattern swaplab matches: \(error.description)")
                }
            }
            for (field, lines) in [("setup", step.setup), ("run", step.run), ("solution", step.solution)] {
                for engine in CourseEngine.allCases {
                    let list = lines.lines(for: engine)
                    guard list.count <= maxLines else {
                        throw fail("\(sp).\(field)", "\(field) has \(list.count) lines; at most \(maxLines)")
                    }
                    for line in list {
                        if let problem = problem(line: line, field: field, engine: engine) {
                            throw fail("\(sp).\(field)", problem)
                        }
                    }
                }
            }
            if let expect = step.expect {
                if let w = expect.window.within, !(w >= 0 && w <= 1_000_000) {
                    throw fail(sp + ".expect.window", "within must be 0…1000000 seconds")
                }
                for (j, p) in expect.all.enumerated() {
                    switch p.condition {
                    case .event(_, let atLeast, let atMost, _):
                        guard (0...1_000_000_000).contains(atLeast), (atMost ?? 0) >= 0, (atMost ?? 0) <= 1_000_000_000
                        else { throw fail("\(sp).expect.all[\(j)]", "at_least and at_most are counts 0…1000000000") }
                    case .output(let pattern, _):
                        guard pattern.count <= 1024 else {
                            throw fail("\(sp).expect.all[\(j)]", "the pattern is longer than 1024 characters")
                        }
                    default:
                        break
                    }
                }
            }
        }
    }
}

/// Reads lesson files from a folder with Foundation: the course layer makes no system calls of its own (those live in
/// the kernel layer). The kind is checked before the file is opened, so a FIFO or a device named as a lesson is
/// refused instead of blocking, and no more than `limit` bytes are ever read.
enum LessonFile {
    enum Kind: Equatable { case regular, missing, other(String) }

    /// What `url` names, links followed.
    static func kind(_ url: URL) -> Kind {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.resolvingSymlinksInPath().path),
            let type = attributes[.type] as? FileAttributeType
        else { return .missing }
        switch type {
        case .typeRegular: return .regular
        case .typeDirectory: return .other("a directory")
        case .typeCharacterSpecial: return .other("a character device")
        case .typeBlockSpecial: return .other("a block device")
        case .typeSocket: return .other("a socket")
        case .typeSymbolicLink: return .other("a symbolic link that leads nowhere")
        default: return .other("a FIFO or another special file")
        }
    }

    /// The UTF-8 text of the regular file at `url` (a leading byte-order mark dropped), at most `limit` bytes.
    static func readText(_ url: URL, limit: Int) throws(LessonError) -> String {
        let file = url.path
        switch kind(url) {
        case .missing: throw .unreadable(file: file, reason: "no such file; check the path")
        case .other(let kind): throw .unreadable(file: file, reason: "it is \(kind), not a file; name a lesson file")
        case .regular: break
        }
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            data = try handle.read(upToCount: limit + 1) ?? Data()
        } catch {
            throw .unreadable(file: file, reason: "\(error.localizedDescription); check its permissions")
        }
        guard data.count <= limit else {
            throw .unreadable(file: file, reason: "it is larger than \(limit >> 10) KiB; lessons are far smaller")
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .unreadable(file: file, reason: "it is not UTF-8 text; save it as UTF-8")
        }
        return text
    }
}
