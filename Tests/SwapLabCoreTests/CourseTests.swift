import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabCourse
@testable import SwapLabModel
@testable import SwapLabREPL

/// Builds files in a fresh temporary folder.
func tempDir(_ name: String = "course") -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-\(name)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// A small valid lesson; tests break one thing at a time by string replacement.
let goodLesson = """
    format: 1
    id: tiny
    version: 2
    title: {en: Tiny, ko: 작은 레슨}
    steps:
      - id: intro
        kind: text
        text: {en: "Hello `watermarks`", ko: "안녕하세요 `watermarks`"}
      - id: push
        kind: command
        input: "alloc .*"
        text: {en: "Type `alloc 1G`", ko: "`alloc 1G`를 입력하세요"}
        setup: {sim: [reset], live: []}
        expect:
          all:
            - id: below
              free: {below: low}
              feedback: {en: "free {free} is still above low {low}", ko: "free {free}가 아직 low {low}보다 많습니다"}
        hints:
          - {en: "Try `alloc 1G`", ko: "`alloc 1G`를 해 보세요"}
        solution: {sim: ["alloc 1G"], live: ["alloc 1G"]}
        explain: {en: "free fell to {free}", ko: "free가 {free}까지 떨어졌습니다"}
    """

func writeCourse(_ lessons: [String]) -> URL {
    let dir = tempDir()
    var index = "format: 1\nlessons:\n"
    for (i, l) in lessons.enumerated() {
        let sub = dir.appendingPathComponent("l\(i)")
        try? FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try? l.write(to: sub.appendingPathComponent("lesson.yaml"), atomically: true, encoding: .utf8)
        index += "  - l\(i)/lesson.yaml\n"
    }
    try? index.write(to: dir.appendingPathComponent("index.yaml"), atomically: true, encoding: .utf8)
    return dir
}

let commands: Set<String> = ["alloc", "reset", "watermarks", "run"]

@Suite struct LessonLoaderTests {
    @Test func brokenYamlIsReportedWithFileAndLine() throws {
        let broken = goodLesson.replacingOccurrences(of: "    kind: text", with: "    kind: text: oops")
        let dir = writeCourse([broken])
        let course = try LessonLoader.loadCourse(from: dir)
        #expect(course.lessons.isEmpty)
        guard case .syntax(let file, let line, _, _)? = course.errors.first else {
            Issue.record("expected a syntax error, got \(course.errors)")
            return
        }
        #expect(file.hasSuffix("l0/lesson.yaml"))
        #expect(line == 7)
        #expect(course.errors[0].description.contains("l0/lesson.yaml:7:"))
    }

    @Test func missingFieldIsReportedAtTheStepsLine() throws {
        let broken = goodLesson.replacingOccurrences(of: "    kind: command\n", with: "")
        let course = try LessonLoader.loadCourse(from: writeCourse([broken]))
        guard case .schema(_, let line, let path, let problem)? = course.errors.first else {
            Issue.record("expected a schema error, got \(course.errors)")
            return
        }
        #expect(path == "steps[1]")
        #expect(line == 9)
        #expect(problem.contains("`kind`"))
    }

    @Test func newerFormatIsRefused() throws {
        let course = try LessonLoader.loadCourse(
            from: writeCourse([goodLesson.replacingOccurrences(of: "format: 1", with: "format: 2")]))
        guard case .newerFormat(_, 2)? = course.errors.first else {
            Issue.record("expected newerFormat, got \(course.errors)")
            return
        }
    }

    @Test func locatorSaysWhereItLooked() throws {
        let env = ["SWAPLAB_LESSONS": "/nonexistent/lessons"]
        #expect(throws: LessonError.self) { try LessonLocator.locate(environment: env) }
        do {
            _ = try LessonLocator.locate(environment: env)
        } catch {
            #expect(error.description.contains("/nonexistent/lessons (--lessons / SWAPLAB_LESSONS): no index.yaml"))
        }
        let dir = writeCourse([goodLesson])
        guard case .directory(let found) = try LessonLocator.locate(environment: ["SWAPLAB_LESSONS": dir.path]) else {
            Issue.record("SWAPLAB_LESSONS did not give its folder")
            return
        }
        #expect(found.path == dir.path)
        // Without the variable, the lessons built into swaplab.
        #expect(try LessonLocator.locate(environment: [:]).description == "built into swaplab")
    }

    @Test func builtInLessonsAreTheCheckoutsLessonsFileForFile() throws {
        let root = Fixtures.repositoryRoot.appendingPathComponent("Lessons")
        guard case .files(let builtIn, let name) = LessonSource.builtIn else {
            Issue.record("the built-in lessons are not in memory")
            return
        }
        #expect(name == "<built-in>")
        let walker = try #require(FileManager.default.enumerator(atPath: root.path))
        var onDisk: [String: String] = [:]
        while let relative = walker.nextObject() as? String {
            let url = root.appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                !url.lastPathComponent.hasPrefix(".")
            else { continue }
            onDisk[relative] = try String(contentsOf: url, encoding: .utf8)
        }
        #expect(onDisk.count == 12)
        #expect(builtIn.keys.sorted() == onDisk.keys.sorted())
        for (path, text) in onDisk { #expect(builtIn[path] == text, "\(path) differs from the built-in copy") }
    }

    @Test func builtInAndFolderCoursesLoadAlike() throws {
        let folder = try LessonLoader.loadCourse(from: Fixtures.repositoryRoot.appendingPathComponent("Lessons"))
        let builtIn = try LessonLoader.loadCourse(from: .builtIn)
        #expect(folder.errors.isEmpty && builtIn.errors.isEmpty)
        #expect(builtIn.lessons.count == 10)
        #expect(builtIn.lessons.map(\.id) == folder.lessons.map(\.id))
        #expect(builtIn.lessons.map { $0.steps.map(\.id) } == folder.lessons.map { $0.steps.map(\.id) })
        #expect(builtIn.lessons.map(\.lines) == folder.lessons.map(\.lines))
        #expect(builtIn.lessons[2].file == "<built-in>/03-kswapd/lesson.yaml")
        // The same issues at the same lines (this small command set makes the lessons' other commands unknown).
        let folderPath = Fixtures.repositoryRoot.appendingPathComponent("Lessons").path
        let folderIssues = LessonLinter.lint(folder, knownCommands: commands).map {
            $0.description.replacingOccurrences(of: folderPath, with: "<built-in>")
        }
        #expect(!folderIssues.isEmpty)
        #expect(LessonLinter.lint(builtIn, knownCommands: commands).map(\.description) == folderIssues)
    }

    @Test func filesInMemoryReportErrorsWithTheirNameAndLine() throws {
        let broken = goodLesson.replacingOccurrences(of: "    kind: text", with: "    kind: text: oops")
        let source = LessonSource.files(
            [
                "index.yaml": "format: 1\nlessons:\n  - ./a//b/../lesson.yaml\n  - ../outside.yaml\n",
                "a/lesson.yaml": broken,
            ], name: "<mem>")
        let course = try LessonLoader.loadCourse(from: source)
        #expect(course.lessons.isEmpty)
        #expect(course.errors.count == 2)
        #expect(course.errors.first?.description.hasPrefix("<mem>/a/lesson.yaml:7:") == true)
        #expect(
            course.errors.last?.description == "<mem>/index.yaml:4: lessons[1]: '../outside.yaml' must be a path "
                + "inside the lessons folder (no leading '/', no '..' out of it)")
        #expect(LessonSource.normalized("./a//b/../c") == "a/c")
        #expect(LessonSource.normalized("../c") == nil)
    }
}

@Suite struct LessonLinterTests {
    @Test func theGoodLessonIsClean() throws {
        let course = try LessonLoader.loadCourse(from: writeCourse([goodLesson]))
        #expect(LessonLinter.lint(course, knownCommands: commands) == [])
    }

    @Test(arguments: [
        ("ko: 작은 레슨", "ko: \"\"", "the ko text is missing or empty"),
        ("ko: \"free {free}가 아직 low {low}보다 많습니다\"", "ko: \"free {free}가 아직 low보다 많습니다\"", "placeholders differ"),
        ("ko: \"안녕하세요 `watermarks`\"", "ko: \"안녕하세요 `watermark`\"", "backticked commands differ"),
        ("free: {below: low}", "freeish: {below: low}", "unknown predicate 'freeish'"),
        ("    hints:\n      - {en: \"Try `alloc 1G`\", ko: \"`alloc 1G`를 해 보세요\"}\n", "", "has no hints"),
        (
            "solution: {sim: [\"alloc 1G\"], live: [\"alloc 1G\"]}", "solution: {sim: [\"alloc 1G\"]}",
            "no live solution"
        ),
        (
            "setup: {sim: [reset], live: []}", "setup: {sim: [\"rm -rf /tmp/x\"]}",
            "runs 'rm', which lessons may not run"
        ),
        ("  - id: push", "  - id: intro", "step id 'intro' is used twice"),
        (
            "explain: {en: \"free fell to {free}\", ko: \"free가 {free}까지 떨어졌습니다\"}",
            "explain: {en: \"it took {bogus}\", ko: \"{bogus} 걸렸습니다\"}",
            "uses {bogus}, which no check of this step fills"
        ),
        (
            "solution: {sim: [\"alloc 1G\"], live:", "solution: {sim: [\"run 1s\"], live:",
            "no solution line matches input"
        ),
    ])
    func lintCatchesEachRule(find: String, replace: String, message: String) throws {
        let bad = goodLesson.replacingOccurrences(of: find, with: replace)
        #expect(bad != goodLesson, "the test case must change the lesson")
        let course = try LessonLoader.loadCourse(from: writeCourse([bad]))
        let issues = LessonLinter.lint(course, knownCommands: commands)
        #expect(issues.contains { $0.message.contains(message) }, "\(issues)")
        #expect(issues.allSatisfy { $0.location.contains("l0/lesson.yaml:") || $0.location.isEmpty })
    }

    /// A live step on your own machine: it must be optional, and follow its simulator twin.
    static let liveStep = """

          - id: mine
            kind: command
            engine: live
            input: "watermarks"
            text: {en: "Type `watermarks`", ko: "`watermarks`를 입력하세요"}
            expect:
              all:
                - id: shown
                  output: {matches: "Normal"}
            hints:
              - {en: "`watermarks`", ko: "`watermarks`"}
            solution: {live: [watermarks]}
        """

    @Test func aLiveStepIsOptionalAndFollowsItsSimulatorTwin() throws {
        func issues(_ lesson: String) throws -> [String] {
            LessonLinter.lint(try LessonLoader.loadCourse(from: writeCourse([lesson])), knownCommands: commands)
                .map(\.message)
        }
        // Not optional: a learner without root could not finish the lesson.
        let notOptional = try issues(goodLesson + Self.liveStep)
        #expect(
            notOptional == [
                "steps[2]: live step 'mine' is not optional; add optional: true (a learner without root must be able to "
                    + "finish the lesson) and a simulator twin before it"
            ])
        // Optional, after the checked simulator step `push`: clean.
        let optional =
            goodLesson
            + Self.liveStep.replacingOccurrences(
                of: "engine: live\n", with: "engine: live\n    optional: true\n")
        #expect(try issues(optional) == [])
        // Optional after a text step: no twin.
        let afterText = optional.replacingOccurrences(of: "  - id: push", with: "  - id: push\n    engine: live")
        #expect(
            try issues(afterText).contains(
                "steps[2]: optional step 'mine' has no simulator twin before it; add a checked simulator step that "
                    + "teaches the same thing just before it"))
        // Only a live step is optional.
        let simOptional = goodLesson.replacingOccurrences(
            of: "    kind: command\n", with: "    kind: command\n    optional: true\n")
        #expect(
            try issues(simOptional).contains(
                "steps[1].optional: only a live step (engine: live) is optional; the simulator steps are the lesson"))
    }

    @Test func duplicateLessonIdsAreCaught() throws {
        let course = try LessonLoader.loadCourse(from: writeCourse([goodLesson, goodLesson]))
        let issues = LessonLinter.lint(course, knownCommands: commands)
        #expect(issues.contains { $0.message.contains("lesson id 'tiny' is also used") })
    }

    @Test func skipForbiddenNeedsNoSolution() throws {
        let noSkip = goodLesson.replacingOccurrences(of: "version: 2\n", with: "version: 2\nallow_skip: false\n")
            .replacingOccurrences(of: "    solution: {sim: [\"alloc 1G\"], live: [\"alloc 1G\"]}\n", with: "")
        let issues = LessonLinter.lint(
            try LessonLoader.loadCourse(from: writeCourse([noSkip])), knownCommands: commands)
        #expect(!issues.contains { $0.message.contains("solution") }, "\(issues)")
    }
}

/// Timelines built by hand: one zone, samples every second.
func timeline(_ points: [(Double, Int64, [String: Int64])], events: [TraceEvent] = []) -> Timeline {
    let samples = points.map { t, free, counters in
        Sample(
            time: t,
            zones: [
                ZoneSample(
                    node: 0, zone: .dma, free: Pages(3840), min: Pages(163), low: Pages(278), high: Pages(393),
                    managed: Pages(3840)),
                ZoneSample(
                    node: 0, zone: .normal, free: Pages(free), min: Pages(1000), low: Pages(1250), high: Pages(1500),
                    managed: Pages(500_000)),
            ], counters: counters)
    }
    return Timeline(machine: MachineDescription(engine: "sim", summary: "test"), samples: samples, events: events)
}

func expectation(_ yaml: String) throws -> StepExpectation {
    try LessonLoader.decode(StepExpectation.self, yaml: yaml, file: "test.yaml").0
}

@Suite struct PredicateTests {
    let tl = timeline(
        [
            (0, 5000, ["pswpout": 10]), (1, 1200, ["pswpout": 10]), (2, 900, ["pswpout": 40]),
            (3, 1600, ["pswpout": 90]),
        ],
        events: [
            TraceEvent(time: 1.5, comm: "kswapd0", pid: 45, name: "mm_vmscan_kswapd_wake", payload: "nid=0 order=0"),
            TraceEvent(time: 2.9, comm: "kswapd0", pid: 45, name: "mm_vmscan_kswapd_sleep", payload: "nid=0"),
        ])

    @Test func freeBelowLowTakesTheLargestZoneAndReportsTheLowestSample() throws {
        let e = try expectation(
            "all: [{id: b, free: {below: low}, feedback: {en: 'free {free} is still above low {low}', ko: x}}]")
        let o = Checker.evaluate(e, input: CheckInput(timeline: tl, windowStart: 0))
        #expect(o.passed)
        #expect(o.values["free"] == "900")
        #expect(o.values["zone"] == "Normal")
        #expect(o.values["gap"] == "350")
        #expect(o.outcomes[0].time == 1)
        // Only the state after the start counts: from t=2 on, free never is at or below low.
        let later = Checker.evaluate(e, input: CheckInput(timeline: tl, windowStart: 2))
        #expect(!later.passed)
        #expect(later.firstFailure?.feedback(.en) == "free 1600 is still above low 1250")
    }

    @Test func aboveHighAtTheLastSampleOnly() throws {
        let e = try expectation("all: [{id: h, free: {above: high, when: last}}]")
        #expect(Checker.evaluate(e, input: CheckInput(timeline: tl, windowStart: 0)).passed)
        let early = try expectation("window: {within: 2s}\nall: [{id: h, free: {above: high, when: last}}]")
        let o = Checker.evaluate(early, input: CheckInput(timeline: tl, windowStart: 0))
        #expect(!o.passed)
        #expect(o.values["free"] == "900")
        // DMA is always above high, which is why `zone: any` must be asked for explicitly.
        let anyZone = try expectation(
            "window: {within: 2s}\nall: [{id: h, free: {above: high, when: last, zone: any}}]")
        #expect(Checker.evaluate(anyZone, input: CheckInput(timeline: tl, windowStart: 0)).passed)
    }

    @Test func eventsCountersAndOrder() throws {
        let e = try expectation(
            """
            all:
              - {id: woke, event: kswapd_wake}
              - {id: slept, event: {name: kswapd_sleep, after: woke}}
              - {id: out, counter: {name: pswpout, delta: "> 0"}}
              - {id: quiet, event: {name: direct_reclaim, at_most: 0}}
            """)
        let o = Checker.evaluate(e, input: CheckInput(timeline: tl, windowStart: 0))
        #expect(o.passed)
        #expect(o.values["woke.at"] == "1.50 s")
        // The same time without its unit, for a text that writes it its own way (`{woke.secs}초`).
        #expect(o.values["woke.secs"] == "1.50")
        #expect(o.values["nid"] == "0")
        #expect(o.values["out.delta"] == "80")
        #expect(o.values["out.before"] == "10")
        let late = Checker.evaluate(e, input: CheckInput(timeline: tl, windowStart: 2))
        #expect(!late.passed)
        #expect(late.firstFailure?.predicate.id == "woke")
        #expect(late.values["out.delta"] == "50")
    }

    @Test func oomAndOutputAndMissingTimeline() throws {
        let e = try expectation("all: [{id: k, oom_kill: true}, {id: o, output: {matches: 'low +[0-9]+'}}]")
        let victim = TraceEvent(time: 2, comm: "hog", pid: 7, name: "mark_victim", payload: "pid=7 comm=hog")
        var t = tl
        t.events.append(victim)
        let o = Checker.evaluate(e, input: CheckInput(timeline: t, windowStart: 0, output: "zone Normal low 1250"))
        #expect(o.passed)
        #expect(o.values["victim"] == "hog")
        #expect(o.values["matched"] == "low 1250")
        let none = Checker.evaluate(e, input: CheckInput(timeline: nil, timelineProblem: "no engine", windowStart: 0))
        #expect(!none.passed)
        #expect(none.firstFailure?.feedback(.en) == "Not checked yet: no engine.")
        #expect(none.firstFailure?.feedback(.ko) == "아직 확인할 수 없습니다: 타임라인을 읽을 수 없습니다 (no engine).")
    }

    /// Named groups of an `output` pattern fill placeholders of their own (and the linter knows them).
    @Test func namedGroupsOfAnOutputPatternBecomeValues() throws {
        let e = try expectation(
            #"all: [{id: row, output: {matches: 'DMA32 +(?<free>\d+) +(?<min>\d+) +(?<low>\d+)'}}]"#)
        let shown = "zone free min low\n0 DMA32   353577   1526   2298\n"
        let o = Checker.evaluate(e, input: CheckInput(timeline: nil, windowStart: 0, output: shown))
        #expect(o.passed)
        #expect(o.values["free"] == "353577")
        #expect(o.values["row.min"] == "1526")
        #expect(o.values["low"] == "2298")
        #expect(Predicate.placeholders(for: e.all[0].condition) == ["matched", "free", "min", "low"])
    }
}

/// The real D6b run (Normal ≤ low → wake → Normal ≥ high → sleep, twice) read into a timeline.
enum FixtureTimeline {
    static func load(_ run: String) throws -> Timeline {
        let csv = try Fixtures.text("runs/\(run)/samples.csv").replacingOccurrences(of: "\r", with: "").split(
            separator: "\n"
        ).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = csv[0]
        func col(_ name: String) -> Int { header.firstIndex(of: name)! }
        let zoneNames: [ZoneType] = [.dma, .dma32, .normal]
        let counterColumns = header.enumerated().filter { i, n in
            !n.contains("_free") && !n.contains("_min") && !n.contains("_low") && !n.contains("_high")
                && !n.contains("_boost")
                && !n.contains("_managed") && !n.hasPrefix("mi_") && !["t", "phase", "kswapd_state"].contains(n)
        }
        var samples: [Sample] = []
        for row in csv.dropFirst() where row.count == header.count {
            let zones = zoneNames.map { z in
                let p = z.rawValue
                return ZoneSample(
                    node: 0, zone: z, free: Pages(Int64(row[col("\(p)_free")])!),
                    min: Pages(Int64(row[col("\(p)_min")])!),
                    low: Pages(Int64(row[col("\(p)_low")])!), high: Pages(Int64(row[col("\(p)_high")])!),
                    managed: Pages(Int64(row[col("\(p)_managed")])!))
            }
            var counters: [String: Int64] = [:]
            for (i, n) in counterColumns { counters[n] = Int64(row[i]) }
            samples.append(Sample(time: Double(row[0])!, zones: zones, counters: counters))
        }
        let trace =
            FileManager.default.fileExists(atPath: Fixtures.url("runs/\(run)/trace_pipe.txt").path)
            ? "trace_pipe.txt" : "trace_pipe.milestones.txt"
        let events = try Fixtures.text("runs/\(run)/\(trace)").split(separator: "\n").compactMap(parse)
        return Timeline(machine: MachineDescription(engine: "replay", summary: run), samples: samples, events: events)
    }

    /// `comm-pid [cpu] flags time: event: payload`.
    static func parse(_ line: Substring) -> TraceEvent? {
        guard let m = line.firstMatch(of: /^\s*(.+)-(\d+)\s+\[(\d+)\]\s+(\S+)\s+(\d+\.\d+):\s+(\w+):\s?(.*)$/) else {
            return nil
        }
        return TraceEvent(
            time: Double(m.output.5)!, comm: String(m.output.1), pid: Int(m.output.2)!, cpu: Int(m.output.3)!,
            flags: String(m.output.4), name: String(m.output.6), payload: String(m.output.7))
    }
}

@Suite struct FixturePredicateTests {
    @Test func sawtoothRunPassesTheKswapdLessonsChecks() throws {
        let t = try FixtureTimeline.load("D6b-sawtooth-normal-swap")
        #expect(t.samples.count == 307)
        let e = try expectation(
            """
            all:
              - {id: below-low, free: {below: low}}
              - {id: woke, event: kswapd_wake}
              - {id: slept, event: {name: kswapd_sleep, after: woke}}
              - {id: swapped, counter: {name: pswpout, delta: "> 0"}}
              - {id: no-min, free: {below: min}}
            """)
        let o = Checker.evaluate(e, input: CheckInput(timeline: t, windowStart: -.infinity))
        // Values computed from samples.csv with an independent script (lowest Normal free − low at t=1393.086).
        #expect(o.values["below-low.free"] == "390721")
        #expect(o.values["below-low.low"] == "390974")
        #expect(o.values["zone"] == "Normal")
        #expect(o.values["woke.count"] == "3")
        #expect(o.values["slept.count"] == "2")
        #expect(o.values["swapped.delta"] == "7166")
        #expect(o.outcomes.map { $0.passed } == [true, true, true, true, false])
        #expect(o.firstFailure?.predicate.id == "no-min")
        #expect(o.values["no-min.min"] == "229147")
    }

    @Test func theNotesRecipeOnABigMachineWakesNothing() throws {
        let t = try FixtureTimeline.load("D0-course-recipe-default-settings")
        let e = try expectation("all: [{id: w, event: kswapd_wake}]")
        let o = Checker.evaluate(e, input: CheckInput(timeline: t, windowStart: -.infinity))
        #expect(!o.passed)
        #expect(o.values["count"] == "0")
    }
}

@Suite struct ProgressStoreTests {
    @Test func savesAtomicallyAndReadsBack() throws {
        let dir = tempDir("progress")
        let store = ProgressStore(directory: dir)
        var p = CourseProgress()
        p.last = "kswapd"
        p.lessons["kswapd"] = LessonProgress(
            version: 1, current: "back-to-sleep", done: ["timeline"], hintsUsed: ["x": 2], language: .ko, engine: .sim)
        try store.save(p)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(files == ["progress.json"])
        let text = try String(contentsOf: store.file, encoding: .utf8)
        #expect(text.contains("\"hints_used\" : {"))
        #expect(text.contains("\n"))
        let (back, notice) = store.load()
        #expect(back == p)
        #expect(notice == nil)
    }

    @Test func aCorruptFileIsKeptAsideWithAMessage() throws {
        let dir = tempDir("progress")
        let store = ProgressStore(directory: dir)
        try "{ not json".write(to: store.file, atomically: true, encoding: .utf8)
        let (p, notice) = store.load()
        #expect(p == CourseProgress())
        let aside = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter {
            $0.hasPrefix("progress.json.corrupt-")
        }
        #expect(aside.count == 1)
        #expect(try String(contentsOf: dir.appendingPathComponent(aside[0]), encoding: .utf8) == "{ not json")
        #expect(notice?.contains(aside[0]) == true)
    }

    @Test func vanishedStepsAreDroppedTheRestKept() throws {
        let lesson = try LessonLoader.decode(Lesson.self, yaml: goodLesson, file: "t").0
        var p = LessonProgress(
            version: 1, current: "gone", done: ["intro", "old-step"], skipped: ["push", "older"],
            hintsUsed: ["push": 1, "old-step": 2], language: .en, engine: .sim)
        let dropped = p.reconcile(with: lesson)
        #expect(dropped == ["old-step", "older", "gone"])
        #expect(p.done == ["intro"])
        #expect(p.skipped == ["push"])
        #expect(p.hintsUsed == ["push": 1])
        #expect(p.current == nil)
        #expect(p.version == 2)
    }

    @Test func exportImportForget() throws {
        let dir = tempDir("progress")
        var p = CourseProgress()
        p.lessons["a"] = LessonProgress(version: 1, language: .en, engine: .sim)
        let file = dir.appendingPathComponent("export.json")
        try ProgressStore.write(p, to: file)
        var q = CourseProgress()
        q.lessons["b"] = LessonProgress(version: 3, language: .ko, engine: .live)
        q.merge(try ProgressStore.read(file))
        #expect(Set(q.lessons.keys) == ["a", "b"])
        let first = q.forget("a")
        let again = q.forget("a")
        let all = q.forget(nil)
        #expect(first && !again && all)
        #expect(q.lessons.isEmpty)
        #expect(throws: ProgressError.self) { try ProgressStore.read(dir.appendingPathComponent("nope.json")) }
    }
}
