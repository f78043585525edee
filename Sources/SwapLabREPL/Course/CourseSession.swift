import Foundation
import SwapLabCourse
import SwapLabKernel
import SwapLabModel

/// What the course needs of the shell: to run a line as if the learner typed it (its outcome reaches the hooks
/// like any other).
protocol LineRunning: AnyObject {
    @discardableResult func execute(_ line: String) -> Bool
}

extension Shell: LineRunning {
    /// The shell swaplab runs: the course attached as its hook (`CourseSession.attach`).
    public convenience init(session: Session) {
        self.init(session: session, hooks: [])
        CourseSession.attach(to: self)
    }
}

/// The course inside a shell, as glue between its parts: the lessons (`CourseLibrary`), the step machine
/// (`StepMachine`), grading (`Grader`, `Checker`) from each command's `CommandOutcome` and the timeline, the saved
/// progress (`CourseProgress` in a `ProgressStore`) and the tutor's voice (`Tutor`, laid out by `TutorVoice`).
public final class CourseSession: ShellHook {
    unowned let session: Session
    /// Runs the lines of a step's setup, run and solution (the shell this course is attached to).
    weak var shell: (any LineRunning)?

    let library = CourseLibrary()
    public let store: ProgressStore
    public var progress: CourseProgress
    /// A notice from loading progress (a corrupt file moved aside), shown once.
    public var progressNotice: String?
    /// The course language, kept on the session so every command's words follow `lang`.
    public var language: Language {
        get { session.language }
        set { session.language = newValue }
    }
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

    /// The lesson and step in progress and what the learner may do there.
    var machine = StepMachine()
    /// The current step's check window: where it starts and what the commands since showed.
    var window = CheckWindowState()
    /// The course is running lines itself (setup, an observe step, a solution): they are not attempts.
    var running = false
    /// A step's setup is running (it must not start another).
    var settingUp = false
    /// What the engine's state is made of, so a step whose setup would only replay it keeps the learner's run.
    var recipe = SetupRecipe()

    init(session: Session) {
        self.session = session
        store = ProgressStore(directory: session.stateDirectory)
        let (p, notice) = store.load()
        progress = p
        progressNotice = notice
        if let saved = p.language { session.language = saved }
        let root = session.systemRoot
        probe = { [unowned session] in
            CourseSession.defaultProbe($0, systemRoot: root, words: session.words)
        }
    }

    /// Gives `shell` a course: the session's `course`, told the outcome of every command.
    static func attach(to shell: Shell) {
        let course = of(shell.session)
        course.shell = shell
        shell.hooks.append(course)
    }

    /// The course of `session`, created if the shell did not attach one.
    static func of(_ session: Session) -> CourseSession {
        if let c = session.course { return c }
        let c = CourseSession(session: session)
        session.course = c
        return c
    }

    // MARK: Parts

    /// The tutor in the course language.
    var tutor: Tutor { Tutor(language: language) }
    var voice: TutorVoice { TutorVoice(output: session.output, interactive: interactive, pause: pause) }

    func say(_ said: Said) { voice.say(said) }
    func say(_ all: [Said]) { all.forEach(voice.say) }
    /// Says a lesson's own text.
    func say(_ text: LocalizedText) { voice.say(text[language]) }
    func tr(_ en: String, _ ko: String) -> String { tutor.tr(en, ko) }

    /// The course, loaded on first use (`CourseLibrary`).
    public func course() throws -> Course { try library.course() }
    /// Uses `course` instead of looking for lessons (tests, `lessons test` on a given folder).
    public func use(_ course: Course) { library.use(course) }

    var lesson: Lesson? {
        guard let i = machine.lessonIndex, let c = library.current, i < c.lessons.count else { return nil }
        return c.lessons[i]
    }

    var step: Step? {
        guard let l = lesson, machine.stepIndex < l.steps.count else { return nil }
        return l.steps[machine.stepIndex]
    }

    /// The lesson and step in progress, or the refusal to show.
    func requireLesson() throws -> (Lesson, Step) {
        guard let lesson, let step else { throw refusal(.noLesson) }
        return (lesson, step)
    }

    /// A step-machine refusal as the shell reports it.
    func refusal(_ r: StepRefusal) -> ShellError { .usage(tutor.refusal(r)) }

    // MARK: The engine seam

    /// The engine the session is on, in the course's terms. The one place the course asks which engine it has:
    /// after issue 10's `Engine` protocol lands, this asks its capabilities instead.
    var engine: EngineKind { session.engine }

    /// Where `step` runs on this engine (`StepRoute`); the session moves to the simulator when the route says so.
    func route(_ step: Step) -> StepRoute {
        let route = StepRoute.decide(step, on: engine) { step.requires.compactMap { self.probe($0) } }
        if route.switchesToSimulator { session.engine = .sim }
        return route
    }

    // MARK: The hook

    /// After every shell command: what it showed joins the step's window (unless it was the course's own, whose
    /// inner commands report themselves), then the step is checked unless the course itself ran the command.
    public func didRun(_ outcome: CommandOutcome) {
        let graded =
            machine.lessonIndex != nil
            && step.map { Grader.checks(after: outcome, at: $0, machine: machine) }
                == true
        if !running { recipe.learnerRan(outcome, graded: graded) }
        guard machine.lessonIndex != nil, !CommandRoles.course.contains(outcome.name) else { return }
        window.add(outcome)
        guard !running, graded, let step else { return }
        evaluate(reason: .command(attempt: Grader.isAttempt(outcome, at: step)))
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
        return tutor.resumeOffer(lesson)
    }

    /// Why `requirement` is unmet under `systemRoot`, or nil. The same verdicts as `doctor`: root from the effective
    /// uid; tracefs mounted, or mountable by root (swaplab mounts it when tracing starts and unmounts it after); swap
    /// on a disk, or root to add a swapfile (the lab and `swap on` do).
    public static func defaultProbe(_ requirement: Requirement, systemRoot: String) -> String? {
        defaultProbe(requirement, systemRoot: systemRoot, words: .en)
    }

    /// `defaultProbe` with the reason in `words`' language.
    static func defaultProbe(_ requirement: Requirement, systemRoot: String, words w: Words) -> String? {
        let report = DoctorReport(MachineSurvey.read(root: SystemRoot(systemRoot)))
        let root = report.survey.isRoot
        switch requirement {
        case .root:
            return root ? nil : w("root (run swaplab with sudo)", "root 권한(swaplab을 sudo로 실행)")
        case .tracefs:
            return report.tracefsUsable
                ? nil
                : root
                    ? w("tracefs (a kernel with CONFIG_TRACING)", "tracefs(CONFIG_TRACING이 켜진 커널)")
                    : w("tracefs (needs root to mount and use it)", "tracefs(마운트하고 쓰려면 root 권한 필요)")
        case .swap:
            return report.swapCapable
                ? nil
                : root
                    ? w("swap (/proc/swaps could not be read)", "swap(/proc/swaps를 읽을 수 없음)")
                    : w("swap (root, to add a swapfile; or swapon)", "swap(swap 파일을 추가할 root 권한, 또는 swapon)")
        }
    }
}
