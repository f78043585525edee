import Foundation
import SwapLabCourse
import SwapLabModel
import SwapLabTestSupport
import Testing

@testable import SwapLabREPL

/// Issue 14, untrusted text printed safely: control and escape characters from task names, recordings and lessons
/// are shown escaped at the output layer, and wrapping is linear in a word's length.
@Suite struct SafeOutputTests {
    @Test func controlCharactersAreShownEscaped() {
        #expect(
            Output.safe("title\u{1B}]0;pwned\u{07}clear\u{1B}[2J\r\u{202E}x", keepStyles: false)
                == "title\\x1B]0;pwned\\x07clear\\x1B[2J\\r\\u{202E}x")
        #expect(Output.safe("\u{9B}31m\u{7F}", keepStyles: true) == "\\u{9B}31m\\x7F")
        // swaplab's own styles pass when colour is on, and only they: a cursor move is escaped even then.
        #expect(
            Output.safe("\u{1B}[1;31mred\u{1B}[0m\u{1B}[5A", keepStyles: true) == "\u{1B}[1;31mred\u{1B}[0m\\x1B[5A")
        #expect(Output.safe("\u{1B}[31mred", keepStyles: false) == "\\x1B[31mred")
        #expect(Output.safe("plain\ttext\nwith 한글", keepStyles: false) == "plain\ttext\nwith 한글")
    }

    @Test func aMarkersLabelCannotReachTheTerminalRaw() {
        let sh = SimCommandTests.shell()
        #expect(sh.execute("mark \"x\u{1B}]0;pwned\u{07}\u{1B}[2J\""))
        let out = sh.session.output.takeCaptured()
        #expect(out.contains("mark 'x\\x1B]0;pwned\\x07\\x1B[2J' at t = 0.000 s"))
        #expect(!out.contains("\u{1B}"))
    }

    @Test func aRecordingsSummaryAndLabelsAreShownEscaped() throws {
        let sh = SimCommandTests.shell()
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("evil.jsonl")
        let recording =
            #"{"format":"swaplab-timeline","version":1,"machine":{"engine":"sim","summary":"a\u001b]0;x\u0007b"}}"#
            + "\n" + #"{"type":"marker","t":1.0,"label":"m\u001b[2J"}"# + "\n"
        try recording.write(to: file, atomically: true, encoding: .utf8)
        #expect(sh.execute("replay \(file.path)"))
        let out = sh.session.output.takeCaptured()
        #expect(out.hasPrefix("replaying \(file.path) (sim: a\\x1B]0;x\\x07b; 0 samples, 0 events, 0.0 s)"), "\(out)")
        #expect(!out.contains("\u{1B}"))
    }

    @Test func lessonTextIsShownEscaped() throws {
        let lesson = """
            format: 1
            id: evil
            version: 1
            title: {en: "Evil \\e]0;pwned\\a", ko: "나쁜 \\e[2J"}
            steps:
              - id: a
                kind: text
                text: {en: "text \\e[2J here", ko: "본문"}
            """
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-evil-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("a"), withIntermediateDirectories: true)
        try lesson.write(to: dir.appendingPathComponent("a/lesson.yaml"), atomically: true, encoding: .utf8)
        try "format: 1\nlessons: [a/lesson.yaml]\n".write(
            to: dir.appendingPathComponent("index.yaml"), atomically: true, encoding: .utf8)
        let sh = SimCommandTests.shell()
        sh.session.course?.use(try LessonLoader.loadCourse(from: dir))
        #expect(sh.execute("start evil"))
        let out = sh.session.output.takeCaptured()
        #expect(out.contains("│ ━━ 1. Evil \\x1B]0;pwned\\x07 ━━"), "\(out)")
        #expect(out.contains("│ text \\x1B[2J here"))
        #expect(!out.contains("\u{1B}"))
    }

    @Test func wrappingALongWordIsLinearAndExact() {
        let word = String(repeating: "가나다라", count: 50_000)  // 200,000 wide characters, 400,000 cells
        let lines = DisplayWidth.wrap("x " + word, width: 80)
        #expect(lines.count == 5001)
        #expect(lines[0] == "x")
        #expect(lines.dropFirst().allSatisfy { DisplayWidth.of($0) == 80 })
        // Styles take no cells: a bold word still fills the line to the same width.
        let styled = DisplayWidth.wrap("\u{1B}[1m" + String(repeating: "a", count: 25) + "\u{1B}[0m b", width: 10)
        #expect(styled == ["\u{1B}[1maaaaaaaaaa", "aaaaaaaaaa", "aaaaa\u{1B}[0m b"])
    }
}

/// Issue 14: lesson `output` patterns are searched by `BoundedPattern` (a Pike VM), never by a backtracking engine,
/// and find what Swift's Regex finds on real command output.
@Suite struct OutputPatternTests {
    /// Every `matches:` pattern of the shipped lessons.
    static func shippedPatterns() throws -> [String] {
        let course = try LessonLoader.loadCourse(from: Fixtures.repositoryRoot.appendingPathComponent("Lessons"))
        var patterns: [String] = []
        for lesson in course.lessons {
            for step in lesson.steps {
                for p in step.expect?.all ?? [] {
                    if case .output(let pattern, _) = p.condition { patterns.append(pattern) }
                }
            }
        }
        return patterns
    }

    @Test func findsWhatSwiftRegexFindsOnRealOutput() throws {
        let sh = SimCommandTests.shell()
        let lines = [
            "machine --ram 4G", "watermarks", "alloc 1600M --name hog --rate 200M/s", "events --milestones --last 12",
            "status", "vmstat", "machine --wsf 200", "alloc 2G --name b", "watermarks",
        ]
        var outputs: [String] = []
        for l in lines {
            _ = sh.execute(l)
            outputs.append(sh.session.output.takeCaptured())
        }
        outputs.append(outputs.joined())
        let patterns = try Self.shippedPatterns()
        #expect(patterns.count >= 15)
        var matched = 0
        for pattern in patterns {
            let mine = try BoundedPattern(pattern)
            let swift = try Regex(pattern)
            for text in outputs {
                let a = mine.firstMatch(in: text)
                let b = text.firstMatch(of: swift)
                #expect((a == nil) == (b == nil), "\(pattern)")
                guard let a, let b else { continue }
                matched += 1
                #expect(a.matched == String(text[b.range]), "\(pattern)")
                for group in b.output {
                    if let name = group.name { #expect(a.groups[name] == group.substring.map(String.init), "\(name)") }
                }
            }
        }
        #expect(matched > 10)
    }

    @Test func aLongLineCostsNoBacktracking() throws {
        // Lesson 9's output check against `mark` with 20,000 characters took 38 s with a backtracking engine.
        let pattern = try BoundedPattern(
            #"(?<task>\S+)-(?<pid>\d+) +\[(?<cpu>\d+)\] +\S+ +(?<ts>[0-9.]+): mm_vmscan_kswapd_wake: (?<fields>.*)"#)
        let line = "mark '" + String(repeating: "x", count: 20_000) + "' at t = 0.000 s\n"
        #expect(pattern.firstMatch(in: line) == nil)
        let hit = pattern.firstMatch(
            in: line + "   kswapd0-91 [001] ..... 12.5: mm_vmscan_kswapd_wake: nid=0 order=0\n")
        #expect(hit?.groups == ["task": "kswapd0", "pid": "91", "cpu": "001", "ts": "12.5", "fields": "nid=0 order=0"])
        #expect(
            try BoundedPattern("[\\s\\S]*\\b(?<zone>Normal|DMA32) +(?<free>\\d+)").firstMatch(
                in: String(repeating: "y", count: 50_000)) == nil)
        #expect(try BoundedPattern("a(?<l>b*?)b").firstMatch(in: "abbb")?.groups == ["l": ""])
        #expect(try BoundedPattern("x\\bfoo|\\bfoo").firstMatch(in: "xfoo foo")?.matched == "foo")
    }
}
