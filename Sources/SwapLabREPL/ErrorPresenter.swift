import ArgumentParser
import SwapLabCourse
import SwapLabModel

/// Turns every failure into the text the learner reads, in one place. A run error is one line,
/// `error: problem; remedy`; a parse error (ArgumentParser found the words wrong) adds the command's usage line:
///
///     error: Unknown option '--jsn'. Did you mean '--json'?
///     usage: watermarks [--json]  (more: watermarks --help)
enum ErrorPresenter {
    /// The line for an error met while running a command, or before one (an unknown command, a bad quote).
    /// A course error (`CourseError`) is said in `language`.
    static func runError(_ error: Error, language: Language = .en) -> String {
        if let course = error as? any CourseError { return course.sentence(language) }
        if language == .ko, let ko = (error as? any SaidInKorean)?.sentenceKo { return ko }
        if let learner = error as? any LearnerError { return learner.sentence }
        return String(describing: error)
    }

    /// What to print for an ArgumentParser outcome on `type`: `help` when the learner asked for help (a success),
    /// else the error line and the usage line.
    static func parseOutcome(_ error: Error, type: any ShellCommand.Type, columns: Int) -> ParseOutcome {
        if type.exitCode(for: error) == .success { return .help(type.fullMessage(for: error, columns: columns)) }
        var message = type.message(for: error)
        if message.hasPrefix("Error: ") { message.removeFirst(7) }
        if message.isEmpty { message = String(describing: error) }
        let usage = type.usageString().trimmingCharacters(in: .whitespacesAndNewlines)
        let usageLine = usage.isEmpty ? nil : "usage: \(usage)  (more: \(type.configuration.commandName ?? "") --help)"
        return .failure(message: message, usage: usageLine)
    }

    enum ParseOutcome {
        case help(String)
        case failure(message: String, usage: String?)
    }
}
