import Foundation
import SwapLabAnalysis
import SwapLabModel

/// One problem `lessons lint` found: where (`file:line`) and what, worded as "what is wrong; what to do".
public struct LintIssue: Sendable, Equatable, CustomStringConvertible {
    public var location: String
    public var message: String

    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { location.isEmpty ? message : "\(location): \(message)" }
}

/// The lesson linter: schema (via the loader), unique ids, both languages in every text, the same placeholders
/// and backticked commands in both, known predicates, a hint on every command step, a solution wherever skip is
/// allowed, and only known swaplab commands in `setup`, `run` and `solution` (lessons never run shell commands).
public enum LessonLinter {
    /// Lints a loaded course. `knownCommands` are the shell's command names and aliases.
    public static func lint(_ course: Course, knownCommands: Set<String>) -> [LintIssue] {
        var issues = course.errors.map { LintIssue(location: "", message: $0.description) }
        var ids: [String: String] = [:]
        for lesson in course.lessons {
            if let other = ids[lesson.id] {
                issues.append(
                    .init(
                        location: lesson.location("id"),
                        message: "lesson id '\(lesson.id)' is also used by \(other); give each lesson its own id"))
            }
            ids[lesson.id] = lesson.file
            issues += lint(lesson, knownCommands: knownCommands)
        }
        return issues
    }

    /// Whether a choice's text shows the arithmetic that reaches it (`262144 pages (1073741824 / 4096)`): a number,
    /// an operator (`/ * × ÷ ^ =`) and another number.
    static func showsWorking(_ text: String) -> Bool {
        text.contains(#/\d\s*[\/*×÷^=]\s*\d/#)
    }

    /// The most English words in a row that Korean prose may hold: terms such as `direct reclaim` or `OOM killer`
    /// are two, a sentence left in English is more.
    static let englishRunLimit = 2

    /// The runs of more than `englishRunLimit` English words in a row in Korean text `ko`, outside what may stay
    /// English: `code`, **bold** (counter names), `{placeholders}`. A word is letters only (a hyphen inside is
    /// allowed: `page-out`); a number, a name with a digit or an underscore (`DMA32`, `pgsteal_kswapd`), Hangul or
    /// punctuation between two words ends the run, so a list (`Min, Low, High`) is not prose. A line quoted in
    /// 'single quotes' that the English text `en` quotes too is a command's output as printed, and may stay.
    public static func englishProse(in ko: String, en: String = "") -> [String] {
        var prose = ko.replacing(/`[^`]*`/, with: " | ").replacing(/\*\*[^*]*\*\*/, with: " | ")
            .replacing(/\{[^{}]*\}/, with: " | ")
        for quote in ko.matches(of: /'[^'\n]+'/).map({ String($0.output) }) where en.contains(quote) {
            prose = prose.replacing(quote, with: " | ")
        }
        var runs: [String] = []
        var run: [Substring] = []
        func end() {
            if run.count > englishRunLimit { runs.append(run.joined(separator: " ")) }
            run = []
        }
        for token in prose.split(whereSeparator: \.isWhitespace) {
            let core = token.drop(while: { "(\"'“‘".contains($0) })
            let word = core.prefix(while: { $0.isASCII && ($0.isLetter || $0 == "-") })
            guard !word.isEmpty, word.first?.isLetter == true else {
                end()
                continue
            }
            let rest = core.dropFirst(word.count)
            if rest.isEmpty || rest.allSatisfy({ ".,:;!?)\"'”’".contains($0) }) {
                run.append(word)
                // Punctuation after the word closes the phrase.
                if !rest.isEmpty { end() }
            } else {
                end()
            }
        }
        end()
        return runs
    }

    /// Lints one lesson.
    public static func lint(_ lesson: Lesson, knownCommands: Set<String>) -> [LintIssue] {
        var lint = LessonLint(lesson: lesson, knownCommands: knownCommands)
        lint.header()
        var stepIDs = Set<String>()
        for (i, step) in lesson.steps.enumerated() {
            let sp = "steps[\(i)]"
            if !stepIDs.insert(step.id).inserted {
                lint.issue(sp + ".id", "step id '\(step.id)' is used twice; step ids must be unique in a lesson")
            }
            lint.step(step, at: sp)
            lint.optional(step, twin: i > 0 ? lesson.steps[i - 1] : nil, at: sp)
        }
        return lint.issues
    }
}

/// One lesson's lint in progress: the issues found so far, in the order the lesson's fields are read.
private struct LessonLint {
    let lesson: Lesson
    let knownCommands: Set<String>
    var issues: [LintIssue] = []
    /// The id of the step being linted, for messages that name it.
    var step: String?

    init(lesson: Lesson, knownCommands: Set<String>) {
        self.lesson = lesson
        self.knownCommands = knownCommands
    }

    /// Records an issue at `path` (`steps[2].expect.all[0]`), prefixing the message with the path.
    mutating func issue(_ path: String, _ message: String) {
        issues.append(
            LintIssue(location: lesson.location(path), message: path.isEmpty ? message : "\(path): \(message)"))
    }

    /// The lesson's own fields: version, id, title, summary, and that it has steps.
    mutating func header() {
        if lesson.version < 1 { issue("version", "version must be 1 or more") }
        if lesson.id.isEmpty || lesson.id.contains(where: { $0 == " " || $0 == "/" }) {
            issue("id", "lesson id '\(lesson.id)' must be a non-empty word without spaces or slashes")
        }
        text(lesson.title, "title", allowed: [])
        text(lesson.summary, "summary", allowed: [])
        if lesson.steps.isEmpty { issue("steps", "the lesson has no steps; add at least one") }
    }

    /// A text in both languages, with the same placeholders and backticked commands in each; placeholders only from
    /// `allowed` (nil: any).
    mutating func text(_ t: LocalizedText?, _ path: String, allowed: Set<String>?) {
        guard let t else { return }
        for lang in Language.allCases
        where (t.texts[lang] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            issue(path, "the \(lang.rawValue) text is missing or empty; write it in both en and ko")
        }
        guard let en = t.texts[.en], let ko = t.texts[.ko] else { return }
        let pe = Template.placeholders(in: en).sorted(), pk = Template.placeholders(in: ko).sorted()
        if pe != pk {
            issue(path, "placeholders differ between en \(pe) and ko \(pk); use the same {names} in both")
        }
        for run in LessonLinter.englishProse(in: ko, en: en) {
            issue(
                path,
                "the ko text\(step.map { " of step '\($0)'" } ?? "") has English prose: '\(run)'; write it in Korean "
                    + "(commands stay in `backticks`, counter names in **bold**)")
        }
        let be = Template.backticked(in: en).sorted(), bk = Template.backticked(in: ko).sorted()
        if be != bk {
            issue(path, "backticked commands differ between en \(be) and ko \(bk); keep commands identical")
        }
        if let allowed {
            for p in Set(pe + pk) where !allowed.contains(p) {
                issue(
                    path,
                    allowed.isEmpty
                        ? "uses {\(p)}, but nothing is observed here; write the text without placeholders"
                        : "uses {\(p)}, which no check of this step fills; use one of "
                            + allowed.sorted().joined(separator: ", "))
            }
        }
    }

    /// Every command of `setup`, `run` or `solution` lines (split at `;`) is a swaplab command.
    mutating func commands(_ lines: EngineLines, _ path: String) {
        for line in lines.all {
            for part in line.split(separator: ";") {
                guard let word = part.split(whereSeparator: { $0 == " " || $0 == "\t" }).first else { continue }
                if !knownCommands.contains(String(word)) {
                    issue(
                        path,
                        "'\(line)' runs '\(word)', which is not a swaplab command; "
                            + "lessons may only use swaplab commands")
                }
            }
        }
    }

    /// One step at `sp`: its predicates, texts and commands, what its kind needs, and skip and requires.
    mutating func step(_ step: Step, at sp: String) {
        self.step = step.id
        defer { self.step = nil }
        let placeholders = expect(step, at: sp)
        text(step.text, sp + ".text", allowed: [])
        for (h, hint) in step.hints.enumerated() { text(hint, "\(sp).hints[\(h)]", allowed: []) }
        text(step.explain, sp + ".explain", allowed: placeholders)
        for (c, choice) in step.choices.enumerated() { text(choice, "\(sp).choices[\(c)]", allowed: []) }
        for (c, feedback) in step.choiceFeedback.enumerated() {
            text(feedback, "\(sp).choices[\(c)].feedback", allowed: [])
        }
        commands(step.setup, sp + ".setup")
        commands(step.run, sp + ".run")
        commands(step.solution, sp + ".solution")
        kind(step, at: sp)
        if (step.kind == .command || step.kind == .free) && step.expect == nil {
            issue(sp, "\(step.kind.rawValue) step '\(step.id)' has no expect; say what must happen")
        }
        if lesson.skipAllowed(step) && step.expect != nil {
            for e in CourseEngine.allCases where step.engine.allows(e) && step.solutionLines(for: e).isEmpty {
                issue(
                    sp + ".solution", "skip is allowed but there is no \(e.rawValue) solution; add solution: lines")
            }
        }
        if !step.requires.isEmpty && !step.engine.allows(.live) {
            issue(sp + ".requires", "requires applies to the live engine, but this step runs only on sim")
        }
    }

    /// A live-only step is optional (on your own machine), so every learner can finish the lesson; an optional step
    /// is live-only, and the step before it is its simulator twin: checked, and run on the simulator.
    mutating func optional(_ step: Step, twin: Step?, at sp: String) {
        if step.engine == .live && !step.optional {
            issue(
                sp,
                "live step '\(step.id)' is not optional; add optional: true (a learner without root must be able "
                    + "to finish the lesson) and a simulator twin before it")
        }
        guard step.optional else { return }
        if step.engine != .live {
            issue(sp + ".optional", "only a live step (engine: live) is optional; the simulator steps are the lesson")
        }
        if let twin, twin.engine.allows(.sim), twin.isChecked, !twin.optional { return }
        issue(
            sp,
            "optional step '\(step.id)' has no simulator twin before it; add a checked simulator step that "
                + "teaches the same thing just before it")
    }

    /// The step's `expect.all`: known predicates, `after:` naming an earlier one, `where:` naming a group, unique
    /// ids, feedback using only the predicate's placeholders. Returns the placeholders the step's `explain` may use
    /// (each predicate's, bare and as `id.name`).
    mutating func expect(_ step: Step, at sp: String) -> Set<String> {
        var placeholders: Set<String> = []
        guard let expect = step.expect else { return placeholders }
        if expect.all.isEmpty {
            issue(sp + ".expect.all", "expect has no predicates; add one or remove expect")
        }
        var predicateIDs = Set<String>()
        for (j, p) in expect.all.enumerated() {
            let pp = "\(sp).expect.all[\(j)]"
            if case .unknown(let name, let reason) = p.condition {
                issue(pp, "predicate \(name.isEmpty ? "'\(p.id)'" : "'\(name)'") \(reason)")
            }
            if case .event(_, _, _, let after?) = p.condition, !predicateIDs.contains(after) {
                issue(pp, "after: '\(after)' is not an earlier predicate of this step; name one listed before it")
            }
            if case .output(_, let compare) = p.condition {
                let groups = Predicate.placeholders(for: p.condition)
                for c in compare where !groups.contains(c.group) {
                    issue(
                        pp,
                        "where: '\(c.group)' is not a named group of the pattern; capture it as (?<\(c.group)>\\d+)"
                    )
                }
            }
            if !predicateIDs.insert(p.id).inserted {
                issue(pp + ".id", "predicate id '\(p.id)' is used twice in this step")
            }
            let own = Predicate.placeholders(for: p.condition)
            text(p.feedback, pp + ".feedback", allowed: own.union(["problem"]))
            placeholders.formUnion(own)
            placeholders.formUnion(own.map { "\(p.id).\($0)" })
        }
        return placeholders
    }

    /// A quiz's choices: feedback on every wrong one, and none showing its own working.
    mutating func choices(_ step: Step, at sp: String) {
        for (c, choice) in step.choices.enumerated() {
            let cp = "\(sp).choices[\(c)]"
            if c != step.answer, step.choiceFeedback.indices.contains(c), step.choiceFeedback[c] == nil {
                issue(cp, "a wrong choice has no feedback; say what is wrong with it (feedback: {en: …, ko: …})")
            }
            for lang in Language.allCases where LessonLinter.showsWorking(choice[lang]) {
                issue(
                    cp,
                    "the \(lang.rawValue) choice shows its own working ('\(choice[lang])'); leave the "
                        + "arithmetic to the learner")
            }
        }
    }

    /// What each kind of step needs: a command step hints, an input pattern its sim solution matches; a free step
    /// hints; an observe step run lines on each engine; a predict step choices and an answer; a text step no expect.
    mutating func kind(_ step: Step, at sp: String) {
        switch step.kind {
        case .command:
            if step.hints.isEmpty { issue(sp, "command step '\(step.id)' has no hints; add at least one") }
            guard let input = step.input else {
                issue(sp, "command step '\(step.id)' has no input pattern; add input: (a regular expression)")
                return
            }
            let pattern: LinePattern
            do { pattern = try LinePattern(input) } catch {
                issue(sp + ".input", "'\(input)' is not a pattern swaplab matches: \(error.description)")
                return
            }
            let sim = step.solution.sim
            if step.engine.allows(.sim), !sim.isEmpty,
                !sim.flatMap({ $0.split(separator: ";") }).contains(where: {
                    pattern.matches($0.split(separator: " ").joined(separator: " "))
                })
            {
                issue(
                    sp + ".solution",
                    "no solution line matches input '\(input)'; the solution must be a valid answer")
            }
        case .free:
            if step.hints.isEmpty { issue(sp, "free step '\(step.id)' has no hints; add at least one") }
        case .observe:
            for e in CourseEngine.allCases where step.engine.allows(e) && step.run.lines(for: e).isEmpty {
                issue(sp + ".run", "observe step '\(step.id)' runs nothing on \(e.rawValue); add run: lines")
            }
        case .predict:
            if step.choices.count < 2 { issue(sp + ".choices", "a predict step needs at least two choices") }
            if step.hints.isEmpty {
                issue(sp, "predict step '\(step.id)' has no hints; a second wrong answer shows one, so add one")
            }
            choices(step, at: sp)
            if let a = step.answer, a >= 0, a < step.choices.count {
            } else {
                issue(sp + ".answer", "answer must be the index (from 0) of one of the choices")
            }
        case .text:
            if step.expect != nil {
                issue(sp + ".expect", "a text step is not checked; make it a command, observe or free step")
            }
        }
    }
}
