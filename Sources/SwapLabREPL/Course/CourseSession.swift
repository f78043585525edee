import Foundation
import SwapLabModel
import SwapLabSimulator
import SwapLabKernel
import SwapLabAnalysis
import SwapLabExplain
import SwapLabCourse

/// The course inside a shell: the loaded lessons, the lesson and step in progress, the saved progress, and the
/// tutor's voice (text set apart with `│ `, wrapped by display width, paced in interactive mode).
public final class CourseSession {
    unowned let session: Session
    weak var shell: Shell?

    /// The loaded course, or why it could not be loaded.
    private var loaded: Result<Course, LessonError>?
    public let store: ProgressStore
    public var progress: CourseProgress
    /// A notice from loading progress (a corrupt file moved aside), shown once.
    public var progressNotice: String?
    public var language: Language
    /// Interactive: `solution` asks first and long texts pause with `…`.
    public var interactive = false
    /// Asks a yes/no question (interactive mode); replaced in tests.
    public var confirm: (String) -> Bool = { question in
        FileHandle.standardOutput.write(Data((question + " [y/N] ").utf8))
        return (Swift.readLine() ?? "").lowercased().hasPrefix("y")
    }
    /// Waits for Enter between pages of a long text (interactive mode).
    public var pause: () -> Void = {
        FileHandle.standardOutput.write(Data("│ …".utf8))
        _ = Swift.readLine()
    }
    /// Why a live requirement is unmet on this machine, or nil when met.
    public var probe: (Requirement) -> String?

    /// The lesson in progress (index into the course) and its step.
    public private(set) var lessonIndex: Int?
    public private(set) var stepIndex = 0
    /// Where the current step's check window starts on the engine's clock.
    var windowStart = -Double.infinity
    /// The current step has passed.
    public private(set) var stepPassed = false
    /// The current step cannot run on this engine and may be passed over with `next`.
    var stepOptional = false
    /// Wrong attempts at the current step.
    public private(set) var attempts = 0
    /// `play`: checks are paused.
    public private(set) var playing = false
    /// Command output since the step started (for `output` checks).
    var outputSinceStep = ""
    private var tutorSpeaking = false
    private var quiet = false
    private var running = false
    /// A step's setup is running (it must not start another).
    private var settingUp = false

    init(session: Session) {
        self.session = session
        store = ProgressStore(directory: session.stateDirectory)
        let (p, notice) = store.load()
        progress = p
        progressNotice = notice
        language = p.language ?? Language.fromEnvironment(ProcessInfo.processInfo.environment)
        let root = session.systemRoot
        probe = { CourseSession.defaultProbe($0, systemRoot: root) }
    }

    /// Gives `shell` a course: the session's `course`, and the hook that checks the current step after each command.
    public static func attach(to shell: Shell) {
        let session = shell.session
        let course = session.course ?? CourseSession(session: session)
        session.course = course
        course.shell = shell
        let previous = session.output.interceptor
        session.output.interceptor = { [weak course] text in
            guard let course else { return previous?(text) ?? true }
            if !course.tutorSpeaking && course.lessonIndex != nil {
                course.outputSinceStep += text
                // Keep the tail only: `output` checks look at what the last commands printed.
                if course.outputSinceStep.utf8.count > 262_144 {
                    course.outputSinceStep = String(course.outputSinceStep.suffix(131_072))
                }
            }
            return !course.quiet && (previous?(text) ?? true)
        }
        shell.afterCommand.append { [weak course] words, ok in course?.afterCommand(words, succeeded: ok) }
    }

    /// The course of `session`, created if the shell did not attach one.
    static func of(_ session: Session) -> CourseSession {
        if let c = session.course { return c }
        let c = CourseSession(session: session)
        session.course = c
        return c
    }

    // MARK: Loading

    /// The course, loaded on first use from `SWAPLAB_LESSONS` (`--lessons DIR`) or the lessons built into swaplab.
    public func course() throws -> Course {
        do {
            return try loadCourse()
        } catch {
            throw ShellError.unavailable(error.description)
        }
    }

    private func loadCourse() throws(LessonError) -> Course {
        if let loaded { return try loaded.get() }
        let r: Result<Course, LessonError>
        do {
            r = .success(try LessonLoader.loadCourse(from: LessonLocator.locate()))
        } catch {
            r = .failure(error)
        }
        loaded = r
        return try r.get()
    }

    /// Uses `course` instead of looking for lessons (tests, `lessons test` on a given folder).
    public func use(_ course: Course) { loaded = .success(course) }

    var lesson: Lesson? {
        guard let i = lessonIndex, case .success(let c)? = loaded, i < c.lessons.count else { return nil }
        return c.lessons[i]
    }

    var step: Step? {
        guard let l = lesson, stepIndex < l.steps.count else { return nil }
        return l.steps[stepIndex]
    }

    var engine: CourseEngine { session.engine == .live ? .live : .sim }

    // MARK: The tutor's voice

    /// Prints tutor text with the margin mark, wrapped by display width; long texts pause in interactive mode.
    func say(_ text: String, style: Output.Style? = nil) {
        let out = session.output
        let width = max(20, out.width - 2)
        var lines: [String] = []
        for block in CourseSession.reflow(render(text)) {
            let isItem = CourseSession.isListItem(block)
            lines += DisplayWidth.wrap(block, width: width, indent: isItem ? "  " : "")
        }
        tutorSpeaking = true
        defer { tutorSpeaking = false }
        let page = 14
        for (i, l) in lines.enumerated() {
            if interactive && i > 0 && i % page == 0 && lines.count - i > 3 { pause() }
            let mark = out.styled("│", .cyan)
            out.line(l.isEmpty ? mark : mark + " " + (style.map { out.styled(l, $0) } ?? l))
        }
    }

    /// Joins the hard-wrapped lines of a lesson text into paragraphs and list items, so the shell can wrap them
    /// to the terminal's width; blank lines stay (as empty blocks).
    static func reflow(_ text: String) -> [String] {
        var blocks: [String] = []
        var current: String? = nil
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let startsItem = isListItem(line)
            if line.isEmpty {
                if let c = current { blocks.append(c) }
                blocks.append("")
                current = nil
            } else if startsItem || current == nil {
                if let c = current { blocks.append(c) }
                current = line
            } else {
                current! += " " + line
            }
        }
        if let c = current { blocks.append(c) }
        return blocks
    }

    /// Whether a line starts a list item (`- `, `• `, `1. `, `2) `): its wrapped lines are indented. A sentence
    /// that merely starts with a number (`295218 file pages …`) is not one.
    static func isListItem(_ line: String) -> Bool {
        line.hasPrefix("- ") || line.hasPrefix("• ") || line.prefixMatch(of: #/\s*\d{1,2}[.)] /#) != nil
    }

    /// `**bold**` → bold when colour is on, plain otherwise; trailing newlines trimmed.
    private func render(_ text: String) -> String {
        var t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = t.components(separatedBy: "**")
        if parts.count > 2 {
            t = parts.enumerated().map { i, p in i % 2 == 1 ? session.output.styled(p, .bold) : p }.joined()
        }
        return t
    }

    func tr(_ en: String, _ ko: String) -> String { language == .ko ? ko : en }

    // MARK: Steps

    /// Starts `lesson` at its saved step (or the first not done).
    func start(_ lesson: Lesson, at index: Int) throws {
        let course = try self.course()
        guard let li = course.lessons.firstIndex(where: { $0.id == lesson.id }) else { return }
        var entry =
            progress.lessons[lesson.id]
            ?? LessonProgress(version: lesson.version, language: language, engine: engine)
        if entry.version != lesson.version {
            let dropped = entry.reconcile(with: lesson)
            say(
                tr(
                    "This lesson changed since you last saw it (now version \(lesson.version)); your progress is kept",
                    "지난번 이후 이 레슨이 바뀌었습니다 (버전 \(lesson.version)). 진행 상황은 그대로 둡니다")
                    + (dropped.isEmpty
                        ? "."
                        : tr(", except steps that no longer exist: ", ", 다만 없어진 단계는 뺐습니다: ")
                            + dropped.joined(separator: ", ")))
        }
        progress.lessons[lesson.id] = entry
        progress.last = lesson.id
        lessonIndex = li
        playing = false
        var i = index
        if i < 0 {
            i =
                entry.current.flatMap { lesson.stepIndex($0) }
                ?? lesson.steps.firstIndex { !entry.done.contains($0.id) && !entry.skipped.contains($0.id) } ?? 0
        }
        entry.language = language
        save()
        let title = lesson.title[language]
        session.output.line()
        say("━━ \(li + 1). \(title) ━━", style: .bold)
        if let s = lesson.summary { say(s[language]) }
        enter(i)
    }

    /// Shows step `index` of the current lesson: engine choice, text, setup, and for observe steps the run.
    func enter(_ index: Int, rerunSetupOnly: Bool = false) {
        guard let lesson, index >= 0, index < lesson.steps.count else { return }
        stepIndex = index
        stepPassed = false
        stepOptional = false
        attempts = 0
        let step = lesson.steps[index]
        progress.lessons[lesson.id]?.current = step.id
        progress.lessons[lesson.id]?.engine = engine
        save()

        session.output.line()
        say(
            "[\(lesson.id)/\(step.id)] "
                + tr("step \(index + 1) of \(lesson.steps.count)", "\(lesson.steps.count)단계 중 \(index + 1)단계")
                + " · \(engine.rawValue)", style: .dim)
        // Which engine runs this step.
        if engine == .live, step.engine.allows(.live) {
            let missing = step.requires.compactMap { probe($0) }
            if !missing.isEmpty {
                if step.engine.allows(.sim) {
                    session.engine = .sim
                    say(
                        tr(
                            "This step needs \(missing.joined(separator: "; ")). It runs on the simulator instead.",
                            "이 단계에는 \(missing.joined(separator: "; "))가 필요합니다. 대신 시뮬레이터에서 진행합니다."))
                } else {
                    stepOptional = true
                    say(
                        tr(
                            "This step needs \(missing.joined(separator: "; ")), so it cannot run here; read along and type `next`.",
                            "이 단계에는 \(missing.joined(separator: "; "))가 필요해서 여기서는 실행할 수 없습니다. 읽어 보고 `next`를 입력하세요."))
                }
            }
        } else if engine == .live, !step.engine.allows(.live) {
            session.engine = .sim
            say(
                tr(
                    "This step runs on the simulator (engine switched to sim).",
                    "이 단계는 시뮬레이터에서 진행합니다 (engine을 sim으로 바꿨습니다)."))
        } else if engine == .sim, !step.engine.allows(.sim) {
            stepOptional = true
            say(
                tr(
                    "This step runs on your own kernel: type `engine live` and then `retry` to do it, or `next` to go on.",
                    "이 단계는 여러분의 커널에서 진행합니다. 직접 해 보려면 `engine live` 후 `retry`를, 넘어가려면 `next`를 입력하세요."))
        }
        if !rerunSetupOnly { say(step.text[language]) }
        if !stepOptional { runSetup(step) }
        outputSinceStep = ""
        switch step.kind {
        case .predict:
            for (i, c) in step.choices.enumerated() { say("  \(i + 1)) " + c[language]) }
            say(tr("Answer with `answer N`.", "`answer N`으로 답하세요."), style: .dim)
        case .observe where !stepOptional:
            for line in step.run.lines(for: engine) { runVisibly(line) }
            evaluate(reason: .observe)
        case .text:
            say(tr("Type `next` to go on.", "`next`를 입력하면 다음으로 넘어갑니다."), style: .dim)
        default:
            break
        }
    }

    /// Runs the step's setup for the current engine quietly; a failing line is reported (errors are never hidden).
    func runSetup(_ step: Step) {
        let lines = step.setup.lines(for: engine)
        // A setup line never starts another setup (the loader's allow-list keeps `retry`, `start` and `lessons` out;
        // this guard keeps the stack bounded whatever a course holds).
        if settingUp {
            session.output.error("error: a step's setup cannot start another step's setup; the lesson is broken")
            return
        }
        if !lines.isEmpty {
            // The learner sees what the setup runs, in one line (its output stays quiet; its errors do not).
            let shown = tr("setup: ", "준비: ") + lines.joined(separator: "; ")
            let room = max(20, session.output.width - 2)
            let line = DisplayWidth.of(shown) > room ? DisplayWidth.clip(shown, to: room) : shown
            tutorSpeaking = true
            session.output.line(session.output.styled("│", .cyan) + " " + session.output.styled(line, .dim))
            tutorSpeaking = false
            quiet = true
            running = true
            settingUp = true
            for l in lines { shell?.execute(l) }
            settingUp = false
            quiet = false
            running = false
        }
        windowStart = (try? session.currentTimeline())?.span?.upperBound ?? -Double.infinity
    }

    /// Runs `line` on behalf of the learner, echoed with `›`, without counting it as an attempt.
    func runVisibly(_ line: String) {
        let out = session.output
        tutorSpeaking = true
        out.line(out.styled("› " + line, .dim))
        tutorSpeaking = false
        running = true
        shell?.execute(line)
        running = false
    }

    enum Reason { case command(attempt: Bool), check, observe, skip }

    /// Evaluates the current step's expectation and reacts: success shows the explanation, a failed attempt
    /// shows the first failing predicate's feedback.
    @discardableResult
    func evaluate(reason: Reason) -> CheckOutcome? {
        guard let lesson, let step, let expect = step.expect else { return nil }
        var timeline: Timeline?
        var problem: String?
        do { timeline = try session.currentTimeline() } catch { problem = "\(error)" }
        let outcome = Checker.evaluate(
            expect,
            input: CheckInput(
                timeline: timeline, timelineProblem: problem, windowStart: windowStart,
                output: outputSinceStep))
        if outcome.passed {
            succeed(
                lesson, step, values: outcome.values,
                skipped: {
                    if case .skip = reason { return true }; return false
                }())
            return outcome
        }
        switch reason {
        case .command(attempt: true):
            attempts += 1
            if let f = outcome.firstFailure {
                say("✗ " + tr("not yet: ", "아직입니다: ") + f.feedback(language), style: .yellow)
            }
            if attempts >= 2 && step.hints.count > (progress.lessons[lesson.id]?.hintsUsed[step.id] ?? 0) {
                say(tr("(stuck? `hint` shows a hint)", "(막히면 `hint`로 힌트를 볼 수 있습니다)"), style: .dim)
            }
        case .check, .skip, .observe:
            say("✗ FAIL " + tr("— what is missing:", "— 아직 부족한 것:"), style: .yellow)
            for f in outcome.outcomes where !f.passed { say("  • " + f.feedback(language)) }
        case .command(attempt: false):
            break
        }
        return outcome
    }

    func succeed(_ lesson: Lesson, _ step: Step, values: [String: String], skipped: Bool = false) {
        if stepPassed { return }
        stepPassed = true
        var entry =
            progress.lessons[lesson.id] ?? LessonProgress(version: lesson.version, language: language, engine: engine)
        if skipped {
            if !entry.skipped.contains(step.id) && !entry.done.contains(step.id) { entry.skipped.append(step.id) }
        } else if !entry.done.contains(step.id) {
            entry.done.append(step.id)
            entry.skipped.removeAll { $0 == step.id }
        }
        progress.lessons[lesson.id] = entry
        save()
        say("✓ PASS [\(step.id)]", style: .green)
        if let e = step.explain { say(Template.fill(e[language], values: values)) }
        say(
            stepIndex + 1 < lesson.steps.count
                ? tr("Type `next` to go on.", "`next`를 입력하면 다음으로 넘어갑니다.")
                : tr("That was the last step. Type `next` to finish the lesson.", "마지막 단계였습니다. `next`를 입력하면 레슨을 마칩니다."),
            style: .dim)
    }

    /// The hook run after every shell command: checks the current step unless paused, or unless the command
    /// was the course's own or one the course is running.
    func afterCommand(_ words: [String], succeeded: Bool) {
        guard !running, !playing, let step, let name = words.first, !KnownCommands.course.contains(name) else { return }
        guard !stepPassed, !stepOptional, step.expect != nil, step.kind == .command || step.kind == .free else {
            return
        }
        let line = words.joined(separator: " ")
        var attempt = false
        // The typed command only, through `LinePattern` (no backtracking: time linear in the line's length).
        if step.kind == .command, let input = step.input, let pattern = try? LinePattern(input) {
            // Inspection commands never count as a wrong attempt, even when the step asks for one.
            attempt = succeeded && !KnownCommands.inspection.contains(name) && pattern.matches(line)
        }
        evaluate(reason: .command(attempt: attempt))
    }

    // MARK: Progress

    func save() {
        progress.language = language
        // A file that could not be read was reported once when the shell started; it is left alone quietly.
        guard store.saveBlocked == nil else { return }
        do { try store.save(progress) } catch {
            session.output.error("warning: \(error)")
        }
    }

    /// What to say when the shell opens: a progress file moved aside, and the one-line offer to resume.
    public func startupNotices() -> [String] {
        var lines: [String] = []
        if let n = progressNotice {
            lines.append("warning: " + n)
            progressNotice = nil
        }
        if let offer = resumeOffer() { lines.append(offer) }
        return lines
    }

    /// The one-line offer to resume saved progress, or nil.
    public func resumeOffer() -> String? {
        guard let last = progress.last, let entry = progress.lessons[last],
            let c = try? course(), let lesson = c.lessons.first(where: { $0.id == last }), !entry.finished(lesson)
        else { return nil }
        return tr(
            "│ You were in lesson “\(lesson.title[language])”. Type `resume` to go on, or `lessons` for the menu.",
            "│ “\(lesson.title[language])” 레슨을 하던 중이었습니다. 이어 하려면 `resume`, 목록은 `lessons`를 입력하세요.")
    }

    // MARK: Navigation (used by the commands)

    func requireLesson() throws -> (Lesson, Step) {
        guard let lesson, let step else {
            throw ShellError.usage(
                tr(
                    "no lesson in progress; `lessons` lists them and `start N` starts one",
                    "진행 중인 레슨이 없습니다. `lessons`로 목록을 보고 `start N`으로 시작하세요"))
        }
        return (lesson, step)
    }

    func next() throws {
        let (lesson, step) = try requireLesson()
        if step.isChecked && !stepPassed && !stepOptional {
            throw ShellError.usage(
                tr(
                    "this step is not done yet; try `hint`, `check`, or `skip`",
                    "아직 이 단계를 마치지 않았습니다. `hint`, `check`, `skip`을 써 보세요"))
        }
        if !step.isChecked, var e = progress.lessons[lesson.id], !e.done.contains(step.id) {
            e.done.append(step.id)
            progress.lessons[lesson.id] = e
        }
        if stepIndex + 1 < lesson.steps.count {
            enter(stepIndex + 1)
            return
        }
        progress.lessons[lesson.id]?.current = nil
        save()
        say(
            "★ " + tr("Lesson finished: \(lesson.title[language]).", "레슨 완료: \(lesson.title[language])."), style: .green
        )
        if let c = try? course(), let i = lessonIndex, i + 1 < c.lessons.count {
            say(
                tr(
                    "Next: `start \(i + 2)` (\(c.lessons[i + 1].title[language])).",
                    "다음: `start \(i + 2)` (\(c.lessons[i + 1].title[language]))."))
        }
        lessonIndex = nil
    }

    func goTo(_ index: Int) throws {
        let (lesson, _) = try requireLesson()
        guard index >= 0, index < lesson.steps.count else {
            throw ShellError.usage(
                tr(
                    "there is no such step; this lesson has steps 1–\(lesson.steps.count)",
                    "그런 단계는 없습니다. 이 레슨은 1–\(lesson.steps.count)단계입니다"))
        }
        playing = false
        enter(index)
    }

    func retry() throws {
        _ = try requireLesson()
        playing = false
        enter(stepIndex, rerunSetupOnly: true)
        say(tr("Step set up again.", "단계를 다시 준비했습니다."), style: .dim)
    }

    func setPlaying(_ on: Bool) { playing = on }

    /// Why `requirement` is unmet under `systemRoot`, or nil. The same verdicts as `doctor`: root from the effective
    /// uid; tracefs mounted, or mountable by root (swaplab mounts it when tracing starts and unmounts it after); swap
    /// on a disk, or root to add a swapfile (the lab and `swap on` do).
    public static func defaultProbe(_ requirement: Requirement, systemRoot: String) -> String? {
        let report = DoctorReport(MachineSurvey.read(root: SystemRoot(systemRoot)))
        switch requirement {
        case .root:
            return report.survey.isRoot ? nil : "root (run swaplab with sudo)"
        case .tracefs:
            return report.tracefsUsable
                ? nil
                : report.survey.isRoot
                    ? "tracefs (a kernel with CONFIG_TRACING)" : "tracefs (needs root to mount and use it)"
        case .swap:
            return report.swapCapable
                ? nil
                : report.survey.isRoot
                    ? "swap (/proc/swaps could not be read)" : "swap (root, to add a swapfile; or swapon)"
        }
    }
}
