import ArgumentParser
import SwapLabModel

/// A command of the swaplab shell. Parsed by ArgumentParser (so it has `--help`, a usage line and
/// "did you mean" errors) and run against the session.
public protocol ShellCommand: ParsableCommand {
    /// Runs the command. Throw a `ShellError` (or any error) to report a failure; the shell carries on.
    mutating func run(in session: Session) throws

    /// What to say about a negative number such as `-1` on this command's line (ArgumentParser would take it for
    /// an option and report a missing argument); nil lets the word through (a label may start with a dash).
    static func negativeNumber(_ word: String) -> Bilingual?

    /// The engines the command runs on. The shell refuses it on any other, in one place (`Shell.execute`), and
    /// `help` shows it; the default is both.
    static var engines: EngineChoice { get }

    /// What `help` shows in the engine column instead of the one `engines` gives: `sim+live` for a command that runs
    /// on both engines but does something different on each (`lab`). Nil by default.
    static var engineTag: String? { get }
}

extension ShellCommand {
    public static func negativeNumber(_ word: String) -> Bilingual? {
        let name = configuration.commandName ?? "this command"
        return ("'\(word)' is negative; \(name) takes positive numbers", "'\(word)'은(는) 음수입니다. \(name)에는 양수를 주세요")
    }

    public static var engines: EngineChoice { .both }

    public static var engineTag: String? { nil }

    /// Shell commands run through `run(in:)`; ArgumentParser's own `run()` is never called.
    public mutating func run() throws {
        throw ShellError.usage("this command runs inside the swaplab shell")
    }
}

/// How `help` groups commands.
public enum CommandGroup: String, CaseIterable, Sendable {
    case shell = "The shell"
    case look = "Look at memory"
    case act = "Make things happen"
    case trace = "Trace and explain"
    case course = "The course"
    case system = "This machine"
}

/// A failure a command reports to the learner: what went wrong and what to do next. `ErrorPresenter` renders it.
public struct ShellError: LearnerError {
    public enum Kind: Sendable, Equatable {
        /// Wrong words on the line.
        case usage
        /// The command needs the other engine (`engine live` / `engine sim`).
        case needsEngine
        /// Something on the machine is missing (root, tracefs, swap).
        case unavailable
        /// Anything else that running the command met.
        case failed
    }

    public var kind: Kind
    public var problem: String
    public var remedy: String?
    /// `problem` and `remedy` in Korean, where they have been written; else the English is said.
    public var problemKo: String?
    public var remedyKo: String?
    public var description: String { sentence }

    public init(_ kind: Kind, _ problem: String, remedy: String? = nil) {
        self.kind = kind
        self.problem = problem
        self.remedy = remedy
    }

    /// Wrong words on the line: `problem`, and how to write it.
    public static func usage(_ problem: String, remedy: String? = nil) -> ShellError {
        ShellError(.usage, problem, remedy: remedy)
    }

    /// Wrong words on the line, said in both languages: (English, Korean).
    static func usage(_ problem: Bilingual) -> ShellError {
        var e = ShellError(.usage, problem.en)
        e.problemKo = problem.ko
        return e
    }

    /// `command` works only on `engine`.
    public static func needsEngine(_ engine: String, command: String) -> ShellError {
        var e = ShellError(
            .needsEngine, "\(command) works on the \(engine) engine", remedy: "switch with: engine \(engine)")
        e.problemKo = "\(command)은(는) \(engine) 엔진에서 돕니다"
        e.remedyKo = "`engine \(engine)` 명령으로 바꾸세요"
        return e
    }

    /// Something this machine lacks.
    public static func unavailable(_ problem: String, remedy: String? = nil) -> ShellError {
        ShellError(.unavailable, problem, remedy: remedy)
    }

    /// Any other failure.
    public static func failed(_ problem: String, remedy: String? = nil) -> ShellError {
        ShellError(.failed, problem, remedy: remedy)
    }
}

extension ShellError: SaidInKorean {
    /// `problem; remedy` in Korean, when the problem has been written in Korean (the remedy falls back to English).
    public var sentenceKo: String? {
        guard let problemKo else { return nil }
        guard let remedy = remedyKo ?? remedy else { return problemKo }
        return problemKo + (problemKo.contains("\n") ? "\n" : "; ") + remedy
    }
}

/// A sentence in English and in Korean.
public typealias Bilingual = (en: String, ko: String)

/// Negative-number messages shared by commands that take sizes, durations and counts.
enum NegativeNumber {
    static func size(_ word: String) -> Bilingual {
        ("'\(word)' is not a size; sizes are positive (e.g. 300M)", "'\(word)'은(는) 크기가 아닙니다. 크기는 양수입니다 (예: 300M)")
    }
    static func duration(_ word: String) -> Bilingual {
        ("'\(word)' is not a duration; durations are positive (e.g. 2s)", "'\(word)'은(는) 시간이 아닙니다. 시간은 양수입니다 (예: 2s)")
    }

    /// Whether `word` is a negative number, with or without a unit (`-1`, `-2.5G`, `-100ms`).
    static func matches(_ word: String) -> Bool {
        guard word.hasPrefix("-"), word.count > 1 else { return false }
        let rest = word.dropFirst()
        guard let first = rest.first, first.isASCII, first.isNumber || first == "." else { return false }
        return rest.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "/") }
    }
}

extension AllocCommand { static func negativeNumber(_ word: String) -> Bilingual? { NegativeNumber.size(word) } }
extension MachineCommand { static func negativeNumber(_ word: String) -> Bilingual? { NegativeNumber.size(word) } }
extension CacheCommand { static func negativeNumber(_ word: String) -> Bilingual? { NegativeNumber.size(word) } }
extension SwapCommand { static func negativeNumber(_ word: String) -> Bilingual? { NegativeNumber.size(word) } }
extension RunCommand { static func negativeNumber(_ word: String) -> Bilingual? { NegativeNumber.duration(word) } }
extension SleepCommand { static func negativeNumber(_ word: String) -> Bilingual? { NegativeNumber.duration(word) } }
extension WatchCommand { static func negativeNumber(_ word: String) -> Bilingual? { NegativeNumber.duration(word) } }
extension MarkCommand { static func negativeNumber(_ word: String) -> Bilingual? { nil } }
extension LessonsCommand { static func negativeNumber(_ word: String) -> Bilingual? { nil } }
extension GotoCommand {
    static func negativeNumber(_ word: String) -> Bilingual? {
        (
            "'\(word)' is not a step; steps are numbered from 1 (`where` shows where you are)",
            "'\(word)'은(는) 단계 번호가 아닙니다. 단계는 1번부터 셉니다 (`where`로 지금 위치를 볼 수 있습니다)"
        )
    }
}
extension AnswerCommand {
    static func negativeNumber(_ word: String) -> Bilingual? {
        ("'\(word)' is not a choice; choices are numbered from 1", "'\(word)'은(는) 보기 번호가 아닙니다. 보기는 1번부터 셉니다")
    }
}
extension StartCommand {
    static func negativeNumber(_ word: String) -> Bilingual? {
        (
            "'\(word)' is not a lesson; lessons are numbered from 1 (`lessons` lists them)",
            "'\(word)'은(는) 강 번호가 아닙니다. 강은 1번부터 셉니다 (`lessons`로 목록을 볼 수 있습니다)"
        )
    }
}
extension EventsCommand {
    static func negativeNumber(_ word: String) -> Bilingual? {
        (
            "'\(word)' is not a count; --last takes a positive number (e.g. --last 20)",
            "'\(word)'은(는) 개수가 아닙니다. --last에는 양수를 주세요 (예: --last 20)"
        )
    }
}
