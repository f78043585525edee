import ArgumentParser
import Foundation
import SwapLabCourse
import SwapLabModel

/// `lessons [QUERY]`, `lessons lint`, `lessons test [--live|--wrong] [ID]`: the menu with progress marks, the linter,
/// the solvers (the simulator steps; with `--live`, the live steps on this machine's kernel; with `--wrong`, every
/// quiz answered wrongly and then rightly).
struct LessonsCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "lessons",
        abstract:
            "List the lessons (with progress), or `lessons lint` / `lessons test [--live|--wrong] [ID]` to check them.",
        discussion: """
            `lessons test [ID]` proves every simulator step: its check fails after the setup and passes after the \
            solution. `lessons test --live [ID]` does the same for every live step on this machine's kernel (root, \
            tracefs and swap, as `doctor` reports them; a step whose needs are missing is skipped, not passed), \
            prints the observed values, and undoes everything each step changed (about 2½ minutes: four steps run \
            `lab run`). `lessons test --wrong [ID]` answers every quiz with each wrong choice (each must be rejected \
            with its feedback, the hint shown from the second) and then the right one (it must pass).
            """)

    @Argument(help: "A word to search titles and ids for; or lint; or test [ID].")
    var words: [String] = []

    @Flag(name: .long, help: "With test: run the live steps on this machine's kernel instead of the simulator steps.")
    var live = false

    @Flag(name: .long, help: "With test: show that every quiz rejects each of its wrong choices.")
    var wrong = false

    func run(in session: Session) throws {
        let course = CourseSession.of(session)
        if live && words.first != "test" { throw ShellError.usage("--live goes with test: lessons test --live [ID]") }
        if wrong && words.first != "test" {
            throw ShellError.usage("--wrong goes with test: lessons test --wrong [ID]")
        }
        if wrong && live { throw ShellError.usage("choose one: lessons test --live [ID] or lessons test --wrong [ID]") }
        switch words.first {
        case "lint":
            try LessonsCommand.lint(course.course(), output: session.output)
        case "test":
            let c = try course.course()
            if let id = words.dropFirst().first, c.lesson(id) == nil {
                throw ShellError.usage("no lesson '\(id)' (`lessons` lists them)")
            }
            if wrong {
                let report = LessonTester.testQuizzes(c, only: words.dropFirst().first, output: session.output)
                if report.failed > 0 {
                    throw ShellError.failed(
                        "\(report.failed) of \(report.checked) quizzes failed `lessons test --wrong`; see above")
                }
                return
            }
            if live {
                let report = LiveLessonTester.test(c, only: words.dropFirst().first, output: session.output)
                if report.failed > 0 {
                    throw ShellError.failed(
                        "\(report.failed) of \(report.checked) live steps failed `lessons test --live`; see above")
                }
                return
            }
            let report = LessonTester.test(c, only: words.dropFirst().first, output: session.output)
            if report.failed > 0 {
                throw ShellError.failed("\(report.failed) of \(report.checked) steps failed `lessons test`; see above")
            }
        default:
            try menu(course, query: words.joined(separator: " "), out: session.output)
        }
    }

    /// Prints lint issues; throws when there are any (so `swaplab lessons lint` exits non-zero).
    static func lint(_ course: Course, output: Output) throws {
        let issues = LessonLinter.lint(course, knownCommands: KnownCommands.all)
        for i in issues { output.line(i.description) }
        let steps = course.lessons.reduce(0) { $0 + $1.steps.count }
        if !issues.isEmpty {
            throw ShellError.failed("lessons lint: \(issues.count) problems in \(course.source); fix them above")
        }
        output.line("lessons lint: \(course.lessons.count) lessons, \(steps) steps, no problems (\(course.source))")
    }

    private func menu(_ c: CourseSession, query: String, out: Output) throws {
        let course = try c.course()
        for e in course.errors { out.error("warning: \(e)") }
        let q = query.lowercased()
        var shown = 0
        for (i, l) in course.lessons.enumerated() {
            let title = l.title[c.language]
            if !q.isEmpty,
                !(l.id.lowercased().contains(q) || title.lowercased().contains(q)
                    || l.title.texts.values.contains { $0.lowercased().contains(q) })
            {
                continue
            }
            let (done, total) = CourseMenu.count(l, c.progress.lessons[l.id])
            let mark = done == total ? out.styled("✓", .green) : done > 0 ? out.styled("◐", .yellow) : "·"
            let head =
                DisplayWidth.pad("\(i + 1).", to: 4, right: true) + " \(mark) "
                + CourseMenu.bar(done, of: total, width: CourseMenu.lessonBar) + "  "
            let indent = String(repeating: " ", count: DisplayWidth.of(DisplayWidth.stripEscapes(head)))
            let lines = DisplayWidth.wrap(title + " [\(l.id)]", width: out.width - indent.count)
            for (k, line) in lines.enumerated() { out.line((k == 0 ? head : indent) + line) }
            shown += 1
        }
        guard shown > 0 else { return out.line(c.tutor.noLessonMatches(query)) }
        if q.isEmpty { out.line(CourseMenu.overall(course, c.progress, words: c.session.words)) }
        out.line(c.tutor.startOne)
    }
}

/// The course menu's progress: how many steps of a lesson count as passed, and the bars that show it.
enum CourseMenu {
    /// Cells of a lesson's bar and of the whole course's.
    static let lessonBar = 10
    static let courseBar = 30

    /// Steps of `lesson` passed, and the steps that count (`CourseSummary.count`, shared with the summary).
    static func count(_ lesson: Lesson, _ progress: LessonProgress?) -> (done: Int, total: Int) {
        let (done, of) = CourseSummary.count(lesson, progress)
        return (done, of)
    }

    /// `███░░░ 3/5`: `width` cells, filled in proportion (rounded down, so only a finished lesson is all full),
    /// then the counts, padded so the bars of a menu line up.
    static func bar(_ done: Int, of total: Int, width: Int) -> String {
        let filled = total > 0 ? min(width, done * width / total) : 0
        let counts = "\(done)/\(total)"
        return String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + " "
            + DisplayWidth.pad(counts, to: 5)
    }

    /// The whole course: `course ████░░ 23/44 steps · 3/10 lessons finished`.
    static func overall(_ course: Course, _ progress: CourseProgress, words w: Words) -> String {
        var done = 0, total = 0, finished = 0
        for l in course.lessons {
            let (d, t) = count(l, progress.lessons[l.id])
            done += d
            total += t
            if d == t { finished += 1 }
        }
        let bar = String(bar(done, of: total, width: courseBar).prefix(courseBar))
        return w(
            "course \(bar) \(done)/\(total) steps · \(finished)/\(course.lessons.count) lessons finished",
            "전체 \(bar) \(done)/\(total)단계 · 강 \(finished)/\(course.lessons.count)개 마침")
    }
}

/// `course summary`: what the learner did, the numbers they saw, and the live steps this machine allows.
struct CourseCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "course",
        abstract: "`course summary`: what you did, the numbers you saw, and which live steps this machine allows.")
    @Argument(help: "summary") var topic: String = "summary"

    func run(in session: Session) throws {
        let c = CourseSession.of(session)
        guard topic == "summary" else { throw ShellError.usage(c.tutor.unknownCourseTopic(topic)) }
        _ = try c.course()
        guard let summary = c.summary() else { return }
        c.say(summary.lines(c.language))
    }
}

/// `start ID|N`: start a lesson (at its saved step).
struct StartCommand: ShellCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start a lesson by number or id.")
    @Argument(help: "The lesson's number in `lessons`, or its id.") var lesson: String
    @Flag(help: "Start from the first step, keeping what is done.") var over = false

    func run(in session: Session) throws {
        let c = CourseSession.of(session)
        let course = try c.course()
        guard let l = course.lesson(lesson) else {
            throw ShellError.usage(
                c.tutor.noSuchLesson(lesson, near: Suggest.nearest(to: lesson, in: course.lessons.map(\.id))))
        }
        try c.start(l, at: over ? 0 : nil)
    }
}

/// `next`: go on after a step is done.
struct NextCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "next", abstract: "Go on to the next step (once this one is done).")
    func run(in session: Session) throws { try CourseSession.of(session).next() }
}

/// `back`: the previous step again (its setup runs again).
struct BackCommand: ShellCommand {
    static let configuration = CommandConfiguration(commandName: "back", abstract: "Go back to the previous step.")
    func run(in session: Session) throws {
        let c = CourseSession.of(session)
        _ = try c.requireLesson()
        try c.goTo(c.machine.previous)
    }
}

/// `goto STEP`: jump to a step by number or id.
struct GotoCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "goto", abstract: "Jump to a step of this lesson by number or id.")
    @Argument(help: "A step number (from 1) or id.") var step: String
    func run(in session: Session) throws {
        let c = CourseSession.of(session)
        let (lesson, _) = try c.requireLesson()
        // A number is checked against the steps before any arithmetic on it (goto -9223372036854775808).
        if let n = Int(step) {
            try c.goTo(n >= 1 && n <= lesson.steps.count ? n - 1 : -1)
        } else {
            try c.goTo(lesson.stepIndex(step) ?? -1)
        }
    }
}

/// `where`: the lesson, step, engine, language and progress.
struct WhereCommand: ShellCommand {
    static let configuration = CommandConfiguration(commandName: "where", abstract: "Show where you are in the course.")
    func run(in session: Session) throws {
        let c = CourseSession.of(session)
        guard let lesson = c.lesson, c.step != nil else {
            c.say(c.tutor.noLessonInProgress)
            return
        }
        let state = c.machine.passed ? "✓" : (c.machine.playing ? "play" : "…")
        c.say(
            c.tutor.whereAmI(
                lesson, step: c.machine.stepIndex, state: state, engine: session.engine.rawValue,
                progress: c.progress.lessons[lesson.id]))
    }
}

/// `hint`: the next hint of the step.
struct HintCommand: ShellCommand {
    static let configuration = CommandConfiguration(commandName: "hint", abstract: "Show the next hint for this step.")
    func run(in session: Session) throws {
        let c = CourseSession.of(session)
        let (lesson, step) = try c.requireLesson()
        c.showHint(lesson, step)
    }
}

/// `solution`: show what solves the step (asks first in interactive mode).
struct SolutionCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "solution", abstract: "Show the solution of this step (asks first).")
    func run(in session: Session) throws {
        let c = CourseSession.of(session)
        let (_, step) = try c.requireLesson()
        let lines = step.solutionLines(for: c.engine)
        guard !lines.isEmpty else {
            c.say(c.tutor.noSolution)
            return
        }
        if c.interactive {
            guard c.confirm(c.tutor.showSolutionQuestion) else { return }
        } else {
            c.say(c.tutor.showingSolution)
        }
        for l in lines { c.say(Said("  " + l)) }
    }
}

/// `skip`: run the solution and mark the step skipped, if the lesson allows it.
struct SkipCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "skip", abstract: "Run this step's solution and mark it skipped.")
    func run(in session: Session) throws {
        try CourseSession.of(session).skip()
    }
}

/// `check`: evaluate the step now and say what is missing.
struct CheckCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check this step now and say what is missing.")
    func run(in session: Session) throws {
        let c = CourseSession.of(session)
        let (_, step) = try c.requireLesson()
        if c.machine.playing { throw c.refusal(.playing) }
        if c.machine.passed {
            c.say(c.tutor.alreadyDone)
            return
        }
        guard step.expect != nil else {
            c.say(c.tutor.nothingToCheck)
            return
        }
        c.evaluate(reason: .check)
    }
}

/// `retry`: run the step's setup again. (Named `retry` because `reset` is the simulator's.)
struct RetryCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Set this step up again (re-run its setup).")
    func run(in session: Session) throws { try CourseSession.of(session).retry() }
}

/// `play`: experiment freely; checks pause until `resume`.
struct PlayCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "play", abstract: "Experiment freely; checks pause until `resume`.")
    func run(in session: Session) throws {
        let c = CourseSession.of(session)
        _ = try c.requireLesson()
        c.machine.playing = true
        c.say(c.tutor.playMode)
    }
}

/// `resume`: back from play mode, or resume the saved lesson.
struct ResumeCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Come back from play mode, or resume your saved lesson.")
    func run(in session: Session) throws {
        let c = CourseSession.of(session)
        if c.lesson != nil {
            c.machine.playing = false
            c.say(c.tutor.backToStep)
            if let step = c.step { c.say(step.text) }
            return
        }
        guard let last = c.progress.last, let l = try c.course().lesson(last) else {
            throw c.refusal(.nothingToResume)
        }
        try c.start(l, at: nil, resuming: true)
    }
}

/// `lang ko|en`: the course language (saved).
struct LangCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "lang", abstract: "Choose the course language: ko or en.")
    @Argument(help: "ko or en.") var language: String?
    func run(in session: Session) throws {
        let c = CourseSession.of(session)
        guard let language else {
            session.output.line("lang: \(c.language.rawValue)")
            return
        }
        guard let l = Language(rawValue: language.lowercased()) else {
            throw ShellError.usage(c.tutor.unknownLanguage(language))
        }
        c.language = l
        if let lesson = c.lesson { c.progress.lessons[lesson.id]?.language = l }
        c.save()
        c.say(c.tutor.languageSet)
    }
}

/// `answer N`: answer a prediction step.
struct AnswerCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "answer", abstract: "Answer a prediction question with its number.")
    @Argument(help: "The number of your choice.") var choice: Int
    func run(in session: Session) throws {
        try CourseSession.of(session).answer(choice)
    }
}

/// `progress export FILE | import FILE | forget LESSON|all`.
struct ProgressCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress", abstract: "Show, export, import or forget your course progress.")
    @Argument(help: "show, export FILE, import FILE, or forget LESSON|all.") var words: [String] = []
    func run(in session: Session) throws {
        let c = CourseSession.of(session)
        try run(c, session)
    }

    private func run(_ c: CourseSession, _ session: Session) throws {
        switch (words.first, words.dropFirst().first) {
        case (nil, _), ("show", _):
            session.output.line("progress: \(c.store.file.path)")
            for (id, e) in c.progress.lessons.sorted(by: { $0.key < $1.key }) {
                session.output.line(c.tutor.progressLine(id, e))
            }
        case ("export", let file?):
            try ProgressStore.write(c.progress, to: URL(fileURLWithPath: file))
            session.output.line(c.tutor.exported(to: file))
        case ("import", let file?):
            let other = try ProgressStore.read(URL(fileURLWithPath: file))
            var merged = c.progress
            merged.merge(other)
            if let problem = merged.problem() {
                throw ShellError.failed(c.tutor.importBreaksLimit(file, problem: problem))
            }
            c.progress = merged
            c.save()
            session.output.line(c.tutor.imported(other.lessons.count, from: file))
        case ("forget", let what?):
            let any = c.progress.forget(what == "all" ? nil : what)
            c.save()
            session.output.line(c.tutor.forgot(what, any: any))
        default:
            throw ShellError.usage(
                c.tutor.tr("use: ", "사용법: ") + "progress [show] | export FILE | import FILE | forget LESSON|all")
        }
    }
}
