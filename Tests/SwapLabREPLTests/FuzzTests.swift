import Foundation
import Glibc
import SwapLabTestSupport
import Testing

@testable import SwapLabAnalysis
@testable import SwapLabCourse
@testable import SwapLabExplain
@testable import SwapLabKernel
@testable import SwapLabModel
@testable import SwapLabREPL
@testable import SwapLabSimulator

/// Issue 14's proof: a seeded, deterministic fuzz of every place input enters — the shell's command parser (and the
/// simulator behind it), the zoneinfo parser, the recording reader, the progress reader, the lesson loader and the
/// trace parser with `explain --trace` behind it —
/// with inputs generated from and mutated out of the real fixtures and the shipped lessons. Each input must end in
/// time with a result or a clear error: no trap (the process would die), no hang (a Ctrl-C is sent after two
/// seconds and the command must be back within one more), no opaque message, no runaway memory.
///
/// The suite prints one line per area and a summary: how many inputs ran, the longest and the largest single input
/// (peak resident memory during it, from `VmHWM` after `/proc/self/clear_refs` resets it). Set `SWAPLAB_FUZZ_SEED`
/// to explore other inputs; the default seed is what CI runs.
@Suite(.serialized) struct FuzzTests {
    static let seed = UInt64(ProcessInfo.processInfo.environment["SWAPLAB_FUZZ_SEED"] ?? "") ?? 14

    /// Messages that say nothing to a learner: none may reach them.
    static let opaque = [
        "NSCocoaErrorDomain", "The data isn't in the correct format", "Expected to decode", "Fatal error",
        "The operation could not be completed", "but found", "Scalar instead",
    ]

    @Test func everyInputEndsInTimeWithAResultOrAClearError() throws {
        var stats = Stats()
        Memory.resetPeak()
        stats.baselineKiB = Memory.peakKiB()
        var rng = FuzzRandom(seed: Self.seed)
        let work = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        // About 20 s alone in a debug build (traces 2 s of it), under 60 s beside the rest of `swift test`.
        try fuzzZoneinfo(&rng, &stats, count: 500)
        try fuzzRecordings(&rng, &stats, count: 500, work: work)
        try fuzzProgress(&rng, &stats, count: 500, work: work)
        try fuzzLessons(&rng, &stats, count: 300, work: work)
        try fuzzShell(&rng, &stats, count: 1000, work: work)
        try fuzzTraces(&rng, &stats, count: 400, work: work)
        print(stats.summary(seed: Self.seed))
        #expect(stats.inputs == 3200)
        #expect(stats.longest.seconds < 3.5, "\(stats.longest.input)")
        #expect(stats.largest.kib < 512 * 1024, "\(stats.largest.input)")
    }

    // MARK: - Areas

    /// Real /proc/zoneinfo captures, mutated line by line and number by number; what parses is built into a machine.
    func fuzzZoneinfo(_ rng: inout FuzzRandom, _ stats: inout Stats, count: Int) throws {
        let sources = try [
            "snapshots/after-full-growth/zoneinfo.txt", "snapshots/baseline-lazy-zone/zoneinfo.txt",
            "runs/D2a-direct-reclaim/snap-during/zoneinfo.txt",
        ].map { try Fixtures.text($0) }
        for i in 0..<count {
            let text = Mutate.lines(sources[i % sources.count], &rng, extra: Mutate.zoneinfoLines)
            stats.measure("zoneinfo", input: text) {
                do {
                    let info = try ZoneinfoParser.parse(text, path: "fuzz")
                    do {
                        let layout = try MachineConfig.zones(from: info.snapshots)
                        _ = try Simulator(config: MachineConfig(nodes: layout))
                    } catch {
                        Self.requireClear(String(describing: error), input: text)
                    }
                } catch {
                    Self.requireClear(String(describing: error), input: text)
                }
            }
        }
    }

    /// A real live recording (D1b) and a simulator one, mutated; what reads is charted, explained and checked.
    func fuzzRecordings(_ rng: inout FuzzRandom, _ stats: inout Stats, count: Int, work: URL) throws {
        let live = try TimelineRecording.text(of: FixtureRun.timeline(run: "D1b", includeTrace: true))
        let sim = try Simulator(config: .course())
        try sim.startAllocation(name: "hog", size: Pages(bytes: 3 << 30), rate: 400_000)
        sim.runUntilIdle()
        let simulated = try TimelineRecording.text(of: sim.timeline())
        let sources = [String(live.prefix(60_000)), String(simulated.prefix(60_000))].map { text in
            String(text[..<(text.lastIndex(of: "\n") ?? text.endIndex)])
        }
        let expectation = StepExpectation(all: [
            Predicate(id: "f", condition: .free(zone: .any, below: true, mark: .low, lastOnly: false)),
            Predicate(id: "c", condition: .counter(name: "pswpout", delta: Comparison("> 0")!)),
            Predicate(id: "e", condition: .event(name: "mm_vmscan_kswapd_wake", atLeast: 1, atMost: nil, after: nil)),
            Predicate(id: "o", condition: .oomKill),
        ])
        for i in 0..<count {
            let text = Mutate.json(sources[i % 2], &rng)
            stats.measure("recording", input: text) {
                do {
                    let timeline = try TimelineRecording.timeline(from: text)
                    _ = TerminalChart.render(timeline, options: ChartOptions(width: 80, height: 8))
                    _ = SVGChart.render(timeline, options: ChartOptions())
                    _ = ReclaimNarrative.text(ReclaimExplainer.analyze(timeline), lang: .en)
                    _ = Checker.evaluate(expectation, input: CheckInput(timeline: timeline, windowStart: -.infinity))
                } catch {
                    Self.requireClear(String(describing: error), input: text)
                }
            }
        }
    }

    /// A real progress file (saved by the store), mutated; read as an import and loaded as the learner's own.
    func fuzzProgress(_ rng: inout FuzzRandom, _ stats: inout Stats, count: Int, work: URL) throws {
        var p = CourseProgress()
        p.last = "kswapd"
        p.lessons["kswapd"] = LessonProgress(
            version: 2, current: "back-to-sleep", done: ["push-below-low"], skipped: ["timeline"],
            hintsUsed: ["push-below-low": 2], language: .ko, engine: .sim)
        p.lessons["pages"] = LessonProgress(version: 1, done: ["pages-per-gib"], language: .en, engine: .live)
        let dir = work.appendingPathComponent("progress")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = ProgressStore(directory: dir)
        try store.save(p)
        let source = try String(contentsOf: store.file, encoding: .utf8)
        for _ in 0..<count {
            let text = Mutate.json(source, &rng)
            stats.measure("progress", input: text) {
                switch CourseProgress.decode(Array(text.utf8)) {
                case .success(let progress): #expect(progress.problem() == nil)
                case .failure(let problem): Self.requireClear(problem.description, input: text)
                }
                try? FileManager.default.removeItem(at: dir)
                try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                try? text.write(to: store.file, atomically: false, encoding: .utf8)
                let fresh = ProgressStore(directory: dir)
                let (_, notice) = fresh.load()
                if let notice { Self.requireClear(notice, input: text) }
            }
        }
    }

    /// The shipped lessons, mutated (lines, YAML syntax, dangerous commands, aliases, huge numbers); what loads is
    /// linted.
    func fuzzLessons(_ rng: inout FuzzRandom, _ stats: inout Stats, count: Int, work: URL) throws {
        let root = Fixtures.repositoryRoot.appendingPathComponent("Lessons")
        let index = try String(contentsOf: root.appendingPathComponent("index.yaml"), encoding: .utf8)
        let files = index.split(separator: "\n").filter { $0.hasPrefix("  - ") }.map { String($0.dropFirst(4)) }
        let sources = try files.map { try String(contentsOf: root.appendingPathComponent($0), encoding: .utf8) }
        let dir = work.appendingPathComponent("lessons")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("l"), withIntermediateDirectories: true)
        for i in 0..<count {
            let text = Mutate.lines(sources[i % sources.count], &rng, extra: Mutate.lessonLines)
            let entry = rng.pick(["l/lesson.yaml", "l/lesson.yaml", "l/lesson.yaml", "../x.yaml", ".", "/etc/hostname"])
            stats.measure("lesson", input: text) {
                try? text.write(to: dir.appendingPathComponent("l/lesson.yaml"), atomically: true, encoding: .utf8)
                try? "format: 1\nlessons: [\(entry)]\n".write(
                    to: dir.appendingPathComponent("index.yaml"), atomically: true, encoding: .utf8)
                do {
                    let course = try LessonLoader.loadCourse(from: dir)
                    for e in course.errors { Self.requireClear(e.description, input: text) }
                    _ = LessonLinter.lint(course, knownCommands: KnownCommands.all)
                } catch {
                    Self.requireClear(String(describing: error), input: text)
                }
            }
        }
    }

    /// Command lines: the shipped lessons' own lines and generated ones, words mutated (extreme and negative
    /// numbers, units, quotes, control characters, file paths inside the work folder); run in a shell with the
    /// shipped course. Commands that would touch this machine or wait on purpose are never generated.
    func fuzzShell(_ rng: inout FuzzRandom, _ stats: inout Stats, count: Int, work: URL) throws {
        let files = work.appendingPathComponent("files")
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        _ = mkfifo(files.appendingPathComponent("fifo").path, 0o600)
        try? FileManager.default.createSymbolicLink(
            atPath: files.appendingPathComponent("link").path, withDestinationPath: "/dev/zero")
        try FileManager.default.createDirectory(
            at: files.appendingPathComponent("dir"), withIntermediateDirectories: true)
        let (shell, out, _) = try courseShell(width: 80)
        let course = try LessonLoader.loadCourse(from: Fixtures.repositoryRoot.appendingPathComponent("Lessons"))
        var seeds: [String] = []
        for lesson in course.lessons {
            for step in lesson.steps { seeds += step.setup.sim + step.run.sim + step.solution.sim }
        }
        seeds += Mutate.commandLines(files: files.path)
        for i in 0..<count {
            // Every 150 lines, a fresh machine, so the simulator's state does not pile up.
            if i % 150 == 0 { _ = shell.execute("reset") }
            let line = Mutate.commandLine(rng.pick(seeds), &rng, files: files.path)
            stats.measure("shell", input: line) {
                // Ctrl-C after two seconds, and again every quarter second (a line may hold several commands).
                let timer = DispatchSource.makeTimerSource(queue: .global())
                timer.schedule(deadline: .now() + 2, repeating: 0.25)
                timer.setEventHandler { shell.session.interrupt.set() }
                timer.resume()
                let ok = shell.execute(line)
                timer.cancel()
                let text = out.takeCaptured()
                if !ok {
                    #expect(text.contains("error:"), "a failing line says why: \(line.debugDescription) → \(text)")
                }
                for o in Self.opaque { #expect(!text.contains(o), "\(line.debugDescription) → \(text)") }
                // A negative number is named as such, never reported as a missing argument.
                let commands = (try? Tokenizer.commands(line)) ?? []
                if commands.count == 1, let words = commands.first,
                    words.dropFirst().prefix(while: { $0 != "--" }).contains(where: { NegativeNumber.matches($0) })
                {
                    #expect(!text.contains("Missing expected argument"), "\(line.debugDescription) → \(text)")
                }
            }
            shell.session.interrupt.clear()
            shell.session.wantsQuit = false
            shell.session.replay = nil
        }
    }

    /// The real trace captures (every `trace_pipe*.txt` of the fixture runs, the first 60 KB of the large ones),
    /// mutated line by line (numbers to extremes, hostile task names, lines no kernel prints, lines reversed), and
    /// traces generated to be hostile (2,000 cycles, a reversed capture, names of 100 and 200 KB, LOST counts that
    /// add up past 64 bits). Each is streamed through `TraceFile` and a `ReclaimAnalyzer` and told in both languages
    /// and in JSON; every third one also through the shell's `explain --trace`. The report must keep its bounds: no
    /// negative duration or stall, a narrative of at most 60 paragraphs, valid JSON.
    func fuzzTraces(_ rng: inout FuzzRandom, _ stats: inout Stats, count: Int, work: URL) throws {
        let sources = try Fixtures.runs.flatMap { run in
            try FixtureRun.traceFiles(run: run).map { name -> String in
                let text = try String(
                    contentsOf: FixtureRun.directory(run).appendingPathComponent(name), encoding: .utf8)
                let head = text.prefix(60_000)
                return String(head[..<(head.lastIndex(of: "\n").map { head.index(after: $0) } ?? head.endIndex)])
            }
        }
        let generated = Mutate.hostileTraces(from: sources)
        let file = work.appendingPathComponent("trace.txt")
        let session = Session(output: Output(capturingWidth: 80), stateDirectory: testStateDirectory())
        let shell = Shell(session: session)
        for i in 0..<count {
            let text =
                i % 8 == 7
                ? generated[(i / 8) % generated.count]
                : Mutate.trace(sources[i % sources.count], &rng)
            stats.measure("trace", input: text) {
                do {
                    try text.write(to: file, atomically: false, encoding: .utf8)
                } catch {
                    Issue.record("cannot write the fuzz trace: \(error)")
                    return
                }
                var analyzer = ReclaimAnalyzer()
                do {
                    let counts = try TraceFile.stream(path: file.path) { analyzer.consume($0) }
                    var report = analyzer.report()
                    report.traceLines = counts
                    #expect(report.cycles.allSatisfy { c in c.duration.map { $0 >= 0 } ?? true })
                    #expect(report.directReclaim.totalMs >= 0 && report.directReclaim.maxMs >= 0)
                    for lang in NarrativeLanguage.allCases {
                        let paragraphs = ReclaimNarrative.paragraphs(report, lang: lang)
                        #expect(paragraphs.count <= 60, "\(paragraphs.count) paragraphs")
                    }
                    let json = report.json().text
                    #expect((try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil, "invalid JSON")
                } catch {
                    Self.requireClear(String(describing: error), input: text)
                }
                if i % 3 == 0 {
                    let ok = shell.execute("explain --trace \(file.path) --lang \(i % 2 == 0 ? "en" : "ko")")
                    let out = session.output.takeCaptured()
                    if !ok { #expect(out.contains("error:"), "a failing explain says why: \(out)") }
                    for o in Self.opaque { #expect(!out.contains(o), "\(out.prefix(300))") }
                    #expect(!out.contains("\u{1B}"))
                }
            }
        }
    }

    static func requireClear(_ message: String, input: String) {
        #expect(!message.isEmpty, "an empty message for \(input.prefix(200).debugDescription)")
        for o in opaque { #expect(!message.contains(o), "\(message) for \(input.prefix(200).debugDescription)") }
    }
}

// MARK: - Measuring

/// How many inputs ran per area, and the longest and largest single input.
struct Stats {
    var inputs = 0
    var perArea: [String: Int] = [:]
    var perAreaSeconds: [String: Double] = [:]
    var longest: (seconds: Double, input: String) = (0, "")
    var largest: (kib: Int, input: String) = (0, "")
    /// The test process's resident memory before the first input.
    var baselineKiB = 0

    /// Runs `body` for one input: the time it took and the peak resident memory while it ran.
    mutating func measure(_ area: String, input: String, _ body: () -> Void) {
        Memory.resetPeak()
        let start = Syscall.monotonicSeconds()
        body()
        let seconds = Syscall.monotonicSeconds() - start
        let kib = Memory.peakKiB()
        inputs += 1
        perArea[area, default: 0] += 1
        perAreaSeconds[area, default: 0] += seconds
        let label = "\(area): \(input.prefix(120).debugDescription)"
        if seconds > longest.seconds { longest = (seconds, label) }
        if kib > largest.kib { largest = (kib, label) }
    }

    func summary(seed: UInt64) -> String {
        let areas = perArea.sorted { $0.key < $1.key }.map {
            "\($0.key) \($0.value) in \(String(format: "%.1f", perAreaSeconds[$0.key] ?? 0)) s"
        }.joined(separator: ", ")
        return "fuzz (seed \(seed)): \(inputs) inputs (\(areas)); longest \(String(format: "%.3f", longest.seconds)) s "
            + "(\(longest.input)); largest peak RSS \(largest.kib / 1024) MiB, \(baselineKiB / 1024) MiB before the "
            + "first input (\(largest.input))"
    }
}

/// The process's peak resident memory (`VmHWM`), which `/proc/self/clear_refs` resets.
enum Memory {
    static func resetPeak() {
        let fd = open("/proc/self/clear_refs", O_WRONLY)
        if fd >= 0 {
            _ = "5".withCString { write(fd, $0, 1) }
            close(fd)
        }
    }

    static func peakKiB() -> Int {
        let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = text.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}

// MARK: - Generating and mutating

/// A small deterministic generator: the simulator's SplitMix64, with the picks the fuzzer needs.
struct FuzzRandom {
    private var generator: SplitMix64
    init(seed: UInt64) { generator = SplitMix64(seed: seed) }
    mutating func next() -> UInt64 { generator.next() }
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Inputs: generated from lists of known troublemakers, and mutated out of real texts line by line.
enum Mutate {
    /// Numbers that broke something before: extremes, negatives, fractions, exponents, not-a-numbers.
    static let numbers = [
        "0", "-1", "1", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "99999999999999999999",
        "1.5", "1e308", "-1e308", "1e-320", "nan", "inf", "-0", "4096", "144115188075855872", "2147483647",
        "1099511627776", "63", "64", "1023", "1024", "100000000", "0x10", "",
    ]
    /// Sizes and durations as a learner might type them, right or wrong.
    static let quantities = [
        "1G", "4G", "8000000T", "4096T", "4097T", "0G", "-1G", "1.5G", "300M", "4K", "1", "0", "100", "1e3M", "G",
        "2g", "5000000000000000000000", "100ms", "1s", "24h", "-2s", "1e400s", "0.0001us", "99999999h", "nan", "1/s",
        "4K/s", "200M/s", "0M/s",
    ]
    /// Text that must be shown, not obeyed.
    static let texts = [
        "\u{1B}]0;pwned\u{07}", "\u{1B}[2J", "\r", "\u{0}", "\u{202E}", "한글", "'", "\"", "\\", ";", "#", "{delta",
        "&a", "*a", "--", "-", String(repeating: "x", count: 5000),
    ]

    /// `text` with a few of its lines deleted, duplicated, swapped, cut, or replaced by `extra` lines, and some
    /// numbers replaced by extreme ones; sometimes with CRLF line ends or truncated.
    static func lines(_ text: String, _ rng: inout FuzzRandom, extra: [String]) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for _ in 0..<(1 + rng.below(4)) {
            guard !lines.isEmpty else { break }
            let i = rng.below(lines.count)
            switch rng.below(7) {
            case 0: lines.remove(at: i)
            case 1: lines.insert(lines[i], at: i)
            case 2: lines.swapAt(i, rng.below(lines.count))
            case 3: lines[i] = String(lines[i].prefix(rng.below(lines[i].count + 1)))
            case 4: lines.insert(rng.pick(extra), at: i)
            case 5: lines[i] = number(lines[i], &rng)
            default: lines[i] += rng.pick(texts)
            }
        }
        var out = lines.joined(separator: "\n")
        if rng.chance(10) { out = out.replacingOccurrences(of: "\n", with: "\r\n") }
        if rng.chance(5) { out = String(out.prefix(rng.below(out.count + 1))) }
        return out
    }

    /// `line` with one of its numbers replaced by an extreme one.
    static func number(_ line: String, _ rng: inout FuzzRandom) -> String {
        let chars = Array(line)
        let starts = chars.indices.filter { chars[$0].isNumber && ($0 == 0 || !chars[$0 - 1].isNumber) }
        guard let start = starts.isEmpty ? nil : rng.pick(starts) else { return line }
        var end = start
        while end < chars.count, chars[end].isNumber || chars[end] == "." { end += 1 }
        return String(chars[..<start]) + rng.pick(numbers) + String(chars[end...])
    }

    /// A JSON text with one or two of its values changed (numbers to extremes, strings to hostile text, a key
    /// renamed or dropped, a bracket lost) or its bytes flipped.
    static func json(_ text: String, _ rng: inout FuzzRandom) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for _ in 0..<(1 + rng.below(3)) {
            let i = rng.below(lines.count)
            switch rng.below(8) {
            case 0, 1, 2: lines[i] = number(lines[i], &rng)
            case 3:
                lines[i] = lines[i].replacingOccurrences(of: "\"comm\":\"", with: "\"comm\":\"" + rng.pick(texts))
                    .replacingOccurrences(of: "\"label\":\"", with: "\"label\":\"\\u001b]0;x\\u0007")
            case 4:
                lines[i] = lines[i].replacingOccurrences(
                    of: rng.pick(["\"t\"", "\"free\"", "\"zones\"", "\"version\""]), with: "\"x\"")
            case 5: lines[i] = String(lines[i].dropLast(rng.below(4)))
            case 6: lines.insert(lines[i], at: i)
            default:
                var bytes = Array(lines[i].utf8)
                if !bytes.isEmpty { bytes[rng.below(bytes.count)] = UInt8(truncatingIfNeeded: rng.next()) }
                lines[i] = String(decoding: bytes, as: UTF8.self)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Lines a trace should not hold: numbers no kernel prints, control characters in task names, counts that
    /// overflow when added, garbage shaped almost like an event.
    static let traceLines = [
        "CPU:0 [LOST 9223372036854775807 EVENTS]", "CPU:99999999999999999999 [LOST 99999999999999999999 EVENTS]",
        "             hog-30656   [000] .....   784.620865: mm_vmscan_direct_reclaim_end: "
            + "nr_reclaimed=9223372036854775807",
        "             hog-30656   [000] .....   784.615775: mm_vmscan_direct_reclaim_begin: order=0 gfp_flags=none",
        "         kswapd0-45      [001] .....   737.524272: mm_vmscan_lru_shrink_inactive: nid=0 nr_reclaimed="
            + "9223372036854775807 flags=RECLAIM_WB_FILE|RECLAIM_WB_ASYNC",
        "       kdamond.0-900     [000] .....   737.600000: mm_vmscan_reclaim_pages: nid=0 "
            + "nr_reclaimed=-9223372036854775808",
        "      oom_reaper-50      [000] .....   800.000000: mark_victim: pid=-1 comm=\u{1B}]0;x\u{07} "
            + "anon-rss=99999999999999999999kB",
        "         kswapd0-45      [001] .....   737.524036: mm_vmscan_kswapd_wake: nid=9223372036854775807 order=-1",
        "         kswapd9223372036854775808-45 [001] .....   737.5: mm_vmscan_kswapd_sleep: nid=0",
        "             hog-1       [000] .....   99999999999999999999.000000: mm_vmscan_kswapd_wake: nid=0 order=0",
        "             hog-1       [000] .....   18446744073709551616: mm_vmscan_kswapd_sleep: nid=0",
        "             hog-99999999999999999999 [99999999999999999999] .....   1.0: mm_vmscan_kswapd_sleep: nid=0",
        "             hog-1       [000] .....   0.000000: mm_vmscan_kswapd_sleep: nid=0",
        "   e\u{1B}[2J\r\u{9B}\u{202E}-7 [000] .....   737.520261: mm_vmscan_wakeup_kswapd: nid=0 order=0 "
            + "gfp_flags=none",
        "# tracer: nop", "", "garbage", "[", "-1 [0] 1.0: : ", "x-1 [0] 1.0:", "x-1 [0] nan: a: b", "x-1 [0] inf: a: b",
        "           <...>-28646   (-------) [000] .....   735.165429: mm_vmscan_kswapd_sleep: nid=1",
    ]

    /// A trace capture with a few lines mutated (`lines`, with `traceLines` as extras), sometimes a run of lines
    /// reversed (out of time order) or a 150 KB task name.
    static func trace(_ text: String, _ rng: inout FuzzRandom) -> String {
        var out = lines(text, &rng, extra: traceLines)
        if rng.chance(15) {
            var all = out.split(separator: "\n", omittingEmptySubsequences: false)
            let a = rng.below(all.count)
            let b = Swift.min(all.count, a + 1 + rng.below(200))
            all[a..<b].reverse()
            out = all.joined(separator: "\n")
        }
        if rng.chance(3) {
            out +=
                "\n" + String(repeating: "n", count: 150_000)
                + "-1 [000] .....   1.000000: mm_vmscan_wakeup_kswapd: nid=0 order=0 gfp_flags=none\n"
        }
        return out
    }

    /// Traces made to be hostile: 2,000 cycles, a capture reversed, names of 100 and 200 KB, LOST counts that add up
    /// past 64 bits, Int64.max page counts twice.
    static func hostileTraces(from sources: [String]) -> [String] {
        var cycles = ""
        for i in 0..<2000 {
            let (t, nid) = (10 + i, i % 3)
            cycles +=
                "             hog-7       [000] .....   \(t).000000: mm_vmscan_wakeup_kswapd: nid=\(nid) "
                + "order=0 gfp_flags=none\n"
                + "         kswapd\(nid)-45      [001] .....   \(t).001000: mm_vmscan_kswapd_wake: nid=\(nid) order=0\n"
                + "         kswapd\(nid)-45      [001] .....   \(t).250000: mm_vmscan_kswapd_sleep: nid=\(nid)\n"
        }
        let longest = sources.max { $0.count < $1.count } ?? ""
        let reversed = longest.split(separator: "\n").reversed().joined(separator: "\n") + "\n"
        let name = { (n: Int) in
            String(repeating: "x", count: n)
                + "-100 [000] .....   10.000000: mm_vmscan_direct_reclaim_begin: order=0\n"
                + String(repeating: "x", count: n)
                + "-100 [000] .....   10.000300: mm_vmscan_direct_reclaim_end: nr_reclaimed=3\n"
        }
        let lost =
            "CPU:0 [LOST 9223372036854775807 EVENTS]\nCPU:1 [LOST 9223372036854775807 EVENTS]\n"
            + "             hog-1       [000] .....   1.000000: mm_vmscan_direct_reclaim_begin: order=0\n"
        let twice = String(
            repeating: "             hog-1       [000] .....   1.000000: mm_vmscan_direct_reclaim_begin: order=0\n"
                + "             hog-1       [000] .....   1.000100: mm_vmscan_direct_reclaim_end: "
                + "nr_reclaimed=9223372036854775807\n", count: 2)
        return [cycles, reversed, name(100_000), name(200_000), lost, twice]
    }

    /// Lines a zoneinfo capture should not hold.
    static let zoneinfoLines = [
        "Node -1, zone Normal", "Node 9223372036854775807, zone DMA", "Node 100000000, zone Normal",
        "Node 0, zone Weird",
        "Node 0, zone DMA", "  pages free     9223372036854775807", "        managed  144115188075855872",
        "        protection: (0, -1, 9223372036854775807)", "        min      -5", "garbage", "", "per-node stats",
    ]

    /// Lines a lesson should not hold.
    static let lessonLines = [
        "a: &a [x, x]", "b: [*a, *a]", "    setup: [\"progress forget all\"]", "    setup: {sim: [retry]}",
        "    answer: 9223372036854775807", "    input: \"(x+x+)+y\"", "    input: \"(a)\\\\1\"",
        "    run: [\"record /tmp/x\"]", "    solution: [\"engine live\", \"swap on 8G\"]", "format: 2", "steps: ~",
        "  - id: \"\"", "    text: {en: \"\\e]0;x\\a\", ko: x}",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        "    kind: predict", "x: \"unterminated", "\t- tab", "    hints: *a",
    ]

    /// Generated command lines beyond the lessons' own: every command the fuzz may run, with options.
    static func commandLines(files: String) -> [String] {
        [
            "machine --ram 4G", "machine --zones DMA=3840,DMA32=772915,Normal=5394266", "machine --nodes 4 --ram 64G",
            "machine --zoneinfo \(files)/fifo", "machine --wsf 3000 --swappiness 200 --min-free-kbytes 65536 --thp",
            "alloc 1G --name hog", "alloc 500M --rate 100M/s", "release all", "touch hog", "cache 1G --dirty",
            "run 2s", "mark before", "vmstat --json", "status --json", "watermarks --json",
            "events --last 5 --milestones",
            "explain --json", "explain --since before --lang ko", "chart --glyphs braille --zone Normal",
            "chart --svg \(files)/c.svg", "chart --svg \(files)/link", "record \(files)/r.jsonl", "record \(files)/dir",
            "replay \(files)/r.jsonl", "replay \(files)/fifo", "replay --off", "progress",
            "progress export \(files)/p.json",
            "progress import \(files)/p.json", "progress import \(files)/link", "progress forget all", "lessons",
            "lessons kswapd", "start 3", "next", "back", "goto 2", "hint", "check", "solution", "skip", "where",
            "answer 1", "lang ko", "lang en", "play", "resume", "help alloc", "sim about", "allocs", "mark", "reset",
        ]
    }

    /// Commands never run by the fuzz: they change this machine, wait on purpose, or end the shell.
    static let refused: Set<String> = [
        "engine", "swap", "lab", "trace", "restore", "quit", "exit", "watch", "sleep", "doctor", "retry",
    ]

    /// `line` with some words replaced, added or broken; never a refused command, never a write outside `files`.
    static func commandLine(_ line: String, _ rng: inout FuzzRandom, files: String) -> String {
        var words = line.split(separator: " ").map(String.init)
        for _ in 0..<rng.below(4) {
            guard !words.isEmpty else { break }
            let i = 1 + rng.below(Swift.max(1, words.count))
            switch rng.below(6) {
            case 0 where i < words.count: words[i] = rng.pick(quantities)
            case 1 where i < words.count: words[i] = rng.pick(numbers)
            case 2:
                words.insert(
                    rng.pick(["--name", "--rate", "--last", "--zone", "--json", "--glyphs", "--", "-x", "--since"]),
                    at: Swift.min(i, words.count))
            case 3: words.insert(rng.pick(texts), at: Swift.min(i, words.count))
            case 4: words.insert(rng.pick(numbers), at: Swift.min(i, words.count))
            default: if i < words.count { words.remove(at: i) }
            }
        }
        var out = words.joined(separator: " ")
        if rng.chance(5) { out += rng.pick([" ; status", "; ; vmstat", " # note", "\"", "'", "\\"]) }
        // Never a refused command, even after `;`; every path a writer names stays in the work folder.
        let commands = (try? Tokenizer.commands(out)) ?? []
        for c in commands {
            guard let name = c.first else { continue }
            if refused.contains(name) || (name == "lessons" && c.contains("test")) { return "status" }
            if name == "explain" && c.contains("--trace") { return "explain" }
            if ["record", "progress"].contains(name) || c.contains("--svg") {
                for w in c.dropFirst() where w.contains("/") && !w.hasPrefix(files + "/") { return "status" }
                if name == "record" && c.count > 1 && !c[1].hasPrefix(files + "/") { return "status" }
                if name == "progress" && c.count > 2 && !c[2].hasPrefix(files + "/") { return "progress" }
                if let svg = c.firstIndex(of: "--svg"), svg + 1 < c.count, !c[svg + 1].hasPrefix(files + "/") {
                    return "chart"
                }
            }
        }
        return out
    }
}
