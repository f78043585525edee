import Foundation

// The build tool behind the EmbedLessons plugin: `EmbedLessonsTool LESSONS_DIR OUTPUT.swift` writes a Swift source
// that declares `BuiltInLessons.files`, every file under LESSONS_DIR (hidden names skipped) by its path relative to
// that folder, as string literals. SwapLabCourse compiles it, so one copied binary carries the whole course.

/// A Swift string literal holding `text` exactly: quotes, backslashes and control characters escaped.
func swiftLiteral(_ text: String) -> String {
    var out = "\""
    out.reserveCapacity(text.utf8.count + 64)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\0": out += "\\0"
        default:
            // Other controls, and the Unicode line and paragraph separators, as \u{…} so the literal stays one line.
            if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x85 || scalar.value == 0x2028
                || scalar.value == 0x2029
            {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// Every regular file under `root`, as paths relative to it, sorted; names starting with "." are skipped.
func lessonFiles(under root: URL) throws -> [String] {
    guard
        let walker = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
    else { throw ToolError("cannot list \(root.path)") }
    let base = root.standardizedFileURL.resolvingSymlinksInPath().path
    var files: [String] = []
    for case let url as URL in walker {
        guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
        let path = url.standardizedFileURL.resolvingSymlinksInPath().path
        guard path.hasPrefix(base + "/") else { throw ToolError("\(path) is not under \(base)") }
        files.append(String(path.dropFirst(base.count + 1)))
    }
    return files.sorted()
}

/// A failure worded for the build log.
struct ToolError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func generate() throws {
    let arguments = CommandLine.arguments.dropFirst()
    guard arguments.count == 2, let source = arguments.first, let output = arguments.last else {
        throw ToolError("usage: EmbedLessonsTool LESSONS_DIR OUTPUT.swift")
    }
    let root = URL(fileURLWithPath: source)
    let files = try lessonFiles(under: root)
    guard files.contains("index.yaml") else {
        throw ToolError("\(root.path) holds no index.yaml; the lessons must be there to build swaplab")
    }
    var text = """
        // Generated at build time by the EmbedLessons plugin from \(root.lastPathComponent)/; do not edit.

        /// Every file of the course folder built into the executable, by path relative to it.
        enum BuiltInLessons {
            static let files: [String: String] = [

        """
    for file in files {
        let url = root.appendingPathComponent(file)
        let data = try Data(contentsOf: url)
        guard let content = String(data: data, encoding: .utf8) else {
            throw ToolError("\(url.path) is not UTF-8 text; only text files can be part of the lessons")
        }
        text += "        \(swiftLiteral(file)): \(swiftLiteral(content)),\n"
    }
    text += "    ]\n}\n"
    let outputURL = URL(fileURLWithPath: output)
    // Rewrite only when the text changed, so an unchanged course does not recompile SwapLabCourse.
    if (try? String(contentsOf: outputURL, encoding: .utf8)) != text {
        try text.write(to: outputURL, atomically: true, encoding: .utf8)
    }
}

do {
    try generate()
} catch {
    FileHandle.standardError.write(Data("EmbedLessonsTool: error: \(error)\n".utf8))
    exit(1)
}
