import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabCourse

/// Issue 14, "lessons are data, not scripts": the loader (not only lint) refuses commands outside the allow-list,
/// files outside the lesson folder, YAML that expands (aliases), out-of-range answers, and input patterns that
/// would need backtracking.
@Suite struct LessonSafetyTests {
    /// The first error of a course made of one lesson (`goodLesson` with `find` replaced by `replace`).
    func loadError(_ find: String, _ replace: String) throws -> String {
        let bad = goodLesson.replacingOccurrences(of: find, with: replace)
        #expect(bad != goodLesson, "the test case must change the lesson")
        let course = try LessonLoader.loadCourse(from: writeCourse([bad]))
        #expect(course.lessons.isEmpty)
        return course.errors.first?.description ?? ""
    }

    @Test(arguments: [
        "progress forget all", "engine live", "swap on 8G", "lab prepare", "trace on", "restore", "record /etc/x",
        "quit", "retry", "start 1", "lessons test", "replay /tmp/x", "sleep 1h", "next",
    ])
    func setupMayNotRunCommandsOutsideTheAllowList(line: String) throws {
        let message = try loadError("setup: {sim: [reset], live: []}", "setup: {sim: [reset, \"\(line)\"]}")
        let command = line.split(separator: " ")[0]
        #expect(
            message.hasSuffix(
                "l0/lesson.yaml:13: steps[1].setup: '\(line)' runs '\(command)', which lessons may not run; a lesson uses "
                    + "only alloc, allocs, cache, chart, doctor, events, explain, help, machine, mark, release, reset, run, sim, "
                    + "status, sysctl, touch, vmstat, watch, watermarks"), "\(message)")
    }

    /// `watch` runs until Ctrl-C on a terminal: a lesson line must give it `--count N` (1–20) so that it ends.
    @Test(arguments: ["watch", "watch --interval 1s", "watch --count 0", "watch --count 21", "watch --count=x"])
    func watchWithoutACountIsRefused(line: String) throws {
        let message = try loadError("setup: {sim: [reset], live: []}", "setup: {sim: [reset, \"\(line)\"]}")
        #expect(
            message.hasSuffix(
                "steps[1].setup: '\(line)': watch in a lesson takes --count N (1–20) so that it ends by itself"),
            "\(message)")
        for good in ["watch --count 3", "watch --count=20 --interval 1s"] {
            let lesson = goodLesson.replacingOccurrences(
                of: "setup: {sim: [reset], live: []}", with: "setup: {sim: [reset, \"\(good)\"]}")
            #expect(try LessonLoader.loadCourse(from: writeCourse([lesson])).errors.isEmpty, "\(good)")
        }
    }

    @Test func optionsThatTouchFilesAndShellSyntaxAreRefused() throws {
        #expect(
            try loadError("solution: {sim: [\"alloc 1G\"]", "solution: {sim: [\"chart --svg /etc/x\"]")
                .hasSuffix(
                    "steps[1].solution: 'chart --svg /etc/x' uses --svg, which reads or writes a file or bypasses a "
                        + "check; lessons may not"))
        #expect(
            try loadError("setup: {sim: [reset], live: []}", "setup: {sim: [\"reset; record x\"]}")
                .contains("'reset; record x' runs 'record'"))
        #expect(
            try loadError("setup: {sim: [reset], live: []}", #"setup: {sim: ["alloc '1G'"]}"#)
                .contains("holds '''; lesson lines are plain words"))
        // A live solution may run the course's experiment; a simulator one may not.
        let live = goodLesson.replacingOccurrences(of: #"live: ["alloc 1G"]"#, with: #"live: ["lab run"]"#)
        #expect(try LessonLoader.loadCourse(from: writeCourse([live])).errors.isEmpty)
        #expect(try loadError(#"sim: ["alloc 1G"], live"#, #"sim: ["lab run"], live"#).contains("runs 'lab'"))
    }

    @Test func answersAreCheckedWhenTheLessonLoads() throws {
        let predict =
            goodLesson + """

                  - id: guess
                    kind: predict
                    text: {en: "Which?", ko: "어느 것?"}
                    choices:
                      - {en: "a", ko: "가"}
                      - {en: "b", ko: "나"}
                    answer: 9223372036854775807
                """
        let course = try LessonLoader.loadCourse(from: writeCourse([predict]))
        #expect(
            course.errors.first?.description.hasSuffix(
                "steps[2].answer: answer must be the index (from 0) of one of the 2 choices") == true)
    }

    @Test func yamlAliasBombIsRefusedBeforeItExpands() throws {
        var bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        for (x, y) in zip("bcdefghi", "abcdefgh") {
            bomb += "\(x): &\(x) [" + Array(repeating: "*\(y)", count: 9).joined(separator: ",") + "]\n"
        }
        let course = try LessonLoader.loadCourse(from: writeCourse([bomb]))
        #expect(
            course.errors.first?.description.hasSuffix(
                "l0/lesson.yaml:1:1: the YAML is broken: anchors and aliases (&name, *name) are not allowed in lessons; "
                    + "write the value out; fix the file there") == true)
    }

    /// Places a node may begin that a careless scanner would miss (in quotes it takes for strings, after a `:`
    /// with no space, in a block scalar's sibling key); every one must be refused, and the shipped lessons pass.
    @Test(arguments: [
        "x: [a\"b, *c\"]", "x: [a:\"b, *c\"]", "x: {\"a\":*b}", "- a: |\n  *x : 1", "x: !!str &a y",
        "x: |\n  text\n*a : 1", "? *a\n: 1", "x: [\n  \"a\", *b]", "x: \"abc\n  *y\"",
    ])
    func aliasesAreFoundWhereverANodeMayBegin(text: String) {
        #expect(YAMLGuard.problem(in: text) != nil, "\(text)")
    }

    @Test func shippedLessonsHaveNoAliasAndPlainTextStaysAllowed() throws {
        let dir = Fixtures.repositoryRoot.appendingPathComponent("Lessons")
        for entry in try FileManager.default.contentsOfDirectory(atPath: dir.path) where !entry.hasSuffix(".md") {
            let file = dir.appendingPathComponent(entry).appendingPathComponent("lesson.yaml")
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            #expect(YAMLGuard.problem(in: text) == nil, "\(entry)")
        }
        #expect(YAMLGuard.problem(in: "text: |\n  **bold** & *more*\n  * item\nnext: 1") == nil)
        #expect(YAMLGuard.problem(in: "title: {en: \"a * b & c\", ko: 'it''s *'}") == nil)
    }

    @Test func indexEntriesStayInsideTheLessonFolder() throws {
        let dir = writeCourse([goodLesson])
        let outside = tempDir("outside")
        try goodLesson.write(to: outside.appendingPathComponent("x.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: dir.appendingPathComponent("link.yaml").path, withDestinationPath: outside.path + "/x.yaml")
        let index = "format: 1\nlessons: [l0/lesson.yaml, ../x.yaml, /etc/hostname, ., link.yaml, l0]\n"
        try index.write(to: dir.appendingPathComponent("index.yaml"), atomically: true, encoding: .utf8)
        let course = try LessonLoader.loadCourse(from: dir)
        #expect(course.lessons.map(\.id) == ["tiny"])
        let problems = course.errors.map { String($0.description.split(separator: ": ", maxSplits: 1)[1]) }
        #expect(
            problems == [
                "lessons[1]: '../x.yaml' must be a path inside the lessons folder (no leading '/', no '..' out of it)",
                "lessons[2]: '/etc/hostname' must be a path inside the lessons folder (no leading '/', no '..' out of it)",
                "lessons[3]: names ., which is a directory; name a lesson file",
                "lessons[4]: names link.yaml, which leads outside the lessons folder (to \(outside.resolvingSymlinksInPath().path)/x.yaml); keep lessons inside it",
                "lessons[5]: names l0, which is a directory; name a lesson file",
            ])
    }

    @Test func nullAndUTF16LessonsSayWhatIsWrong() throws {
        let dir = writeCourse(["null\n", "x"])
        let utf16 = Data([0xFF, 0xFE]) + "format: 1\n".data(using: .utf16LittleEndian)!
        try utf16.write(to: dir.appendingPathComponent("l1/lesson.yaml"))
        let course = try LessonLoader.loadCourse(from: dir)
        let messages = course.errors.map(\.description)
        #expect(messages.count == 2)
        #expect(
            messages[0].hasSuffix(
                "l0/lesson.yaml:1: the file must be a mapping with format, id, version, title and steps; it is not"))
        #expect(messages[1].hasSuffix("l1/lesson.yaml: cannot read it: it is not UTF-8 text; save it as UTF-8"))
    }

    @Test func inputPatternsMatchWithoutBacktracking() throws {
        // The shipped patterns agree with Swift's Regex on lines that do and do not match.
        let lines = [
            "alloc 1G", "alloc", "run 5s", "runs", "watermarks", "watermarks --json", "vmstat", "vmstat x",
            "trace show", "trace stats --x", "machine --ram 4G --wsf 20", "lab run", "events --last 3",
        ]
        for pattern in [
            "(alloc|run) .*", "alloc .*", "events.*", "lab run.*", "machine .*--wsf.*", "vmstat( .*)?",
            "watermarks( .*)?", "trace (show|stats).*", "[a-z]+ [0-9]{1,2}[GMs]", "\\w+\\s\\S+",
        ] {
            let mine = try LinePattern(pattern)
            let swift = try Regex(pattern)
            for line in lines {
                #expect(mine.matches(line) == (line.wholeMatch(of: swift) != nil), "\(pattern) \(line)")
            }
        }
        // Patterns that make a backtracking engine take forever answer at once.
        let xs = String(repeating: "x", count: 20_000)
        #expect(try !LinePattern("(x+x+)+y").matches(xs))
        #expect(try LinePattern("(x+x+)+").matches(xs))
        #expect(try !LinePattern("mark (x|xx)+y").matches("mark " + xs))
        #expect(throws: LinePattern.Problem(description: "'\\1' is not supported in a lesson pattern at character 5")) {
            try LinePattern("(a)b\\1")
        }
        #expect(
            throws: LinePattern.Problem(
                description: "lookaround and other '(?' groups are not supported at character 1")
        ) {
            try LinePattern("(?=a)a")
        }
    }
}
