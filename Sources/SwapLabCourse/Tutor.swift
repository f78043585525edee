import Foundation
import SwapLabModel

/// How a line of the tutor is set apart; the shell maps it to a terminal style.
public enum Tone: Sendable, Equatable {
    case plain, bold, dim, green, yellow
}

/// One thing the tutor says: its text (lesson markup such as `**bold**` kept) and its tone.
public struct Said: Sendable, Equatable {
    public var text: String
    public var tone: Tone

    public init(_ text: String, _ tone: Tone = .plain) {
        self.text = text
        self.tone = tone
    }
}

/// The tutor's voice: every learner-facing sentence of the course, in English and Korean (the lesson texts
/// themselves come from the lesson files). The shell only lays the lines out; the words are all here.
public struct Tutor: Sendable {
    public var language: Language

    public init(language: Language) { self.language = language }

    /// `en` or `ko`, by the course language.
    public func tr(_ en: String, _ ko: String) -> String { language == .ko ? ko : en }

    // MARK: Lessons and steps

    /// `━━ 3. title ━━`.
    public func lessonTitle(_ lesson: Lesson, number: Int) -> Said {
        Said("━━ \(number). \(lesson.title[language]) ━━", .bold)
    }

    /// The lesson file changed since the saved progress was made.
    public func lessonChanged(version: Int, dropped: [String]) -> Said {
        Said(
            tr(
                "This lesson changed since you last saw it (now version \(version)); your progress is kept",
                "지난번 이후 이 강이 바뀌었습니다 (버전 \(version)). 진행 상황은 그대로 둡니다")
                + (dropped.isEmpty
                    ? "."
                    : tr(", except steps that no longer exist: ", ", 다만 없어진 단계는 뺐습니다: ")
                        + dropped.joined(separator: ", ")))
    }

    /// `[kswapd/push-below-low] step 2 of 6 · sim`; an optional step adds `· on your own machine (optional)`.
    public func stepHeader(_ lesson: Lesson, index: Int, engine: CourseEngine) -> Said {
        Said(
            "[\(lesson.id)/\(lesson.steps[index].id)] "
                + tr("step \(index + 1) of \(lesson.steps.count)", "\(lesson.steps.count)단계 중 \(index + 1)단계")
                + " · \(engine.rawValue)" + (lesson.steps[index].optional ? " · " + onYourOwnMachine : ""), .dim)
    }

    /// How an optional step is marked: the lesson is complete without it.
    public var onYourOwnMachine: String { tr("on your own machine (optional)", "내 머신에서 (선택)") }

    /// Why the step runs where it does, when that is not simply the engine the learner is on.
    public func route(_ route: StepRoute) -> Said? {
        switch route {
        case .run:
            return nil
        case .fallBackToSimulator(let missing):
            return Said(
                tr(
                    "This step needs \(missing.joined(separator: "; ")). It runs on the simulator instead.",
                    "이 단계에는 다음이 필요하지만 이 머신에는 없습니다: \(missing.joined(separator: "; ")). 대신 시뮬레이터에서 진행합니다."))
        case .readAlong(let missing):
            return Said(
                tr(
                    "This step needs \(missing.joined(separator: "; ")), so it cannot run here; "
                        + "read along and type `next`.",
                    "이 단계에는 다음이 필요한데 이 머신에는 없어서 실행할 수 없습니다: \(missing.joined(separator: "; ")). 읽어 보고 `next`를 입력하세요."))
        case .switchToSimulator:
            return Said(
                tr(
                    "This step runs on the simulator (engine switched to sim).",
                    "이 단계는 시뮬레이터에서 진행합니다 (engine을 sim으로 바꿨습니다)."))
        case .needsLive:
            return Said(
                tr(
                    "This step runs on your own kernel: type `engine live` and then `retry` to do it, "
                        + "or `next` to go on.",
                    "이 단계는 여러분의 커널에서 진행합니다. 직접 해 보려면 `engine live` 후 `retry`를, 넘어가려면 `next`를 입력하세요."))
        }
    }

    /// `setup: machine --ram 4G; mark start`, before a step's setup runs quietly; when it starts the engine afresh
    /// over what the learner ran themselves (`clearsOwnRun`), the same line says so.
    public func setupLine(_ lines: [String], clearsOwnRun: Bool = false) -> String {
        let joined = lines.joined(separator: "; ")
        guard clearsOwnRun else { return tr("setup: ", "준비: ") + joined }
        return tr(
            "setup (a fresh machine; what you ran is cleared): \(joined)",
            "준비 (새 머신에서 시작하므로 직접 실행한 내용은 지워집니다): \(joined)")
    }

    /// The learner's own run already is what the step's setup would make: it is kept.
    public var keptOwnRun: String {
        tr(
            "Your own run carries on into this step (`retry` sets it up afresh).",
            "직접 실행한 결과를 그대로 이어 갑니다 (`retry`로 처음부터 다시 준비합니다).")
    }

    /// Entering a step the learner did before.
    public var doneBefore: Said {
        Said(
            "✓ " + tr("You did this step before: do it again, or type `next`.", "이미 마친 단계입니다. 다시 해 보거나 `next`로 넘어가세요."),
            .dim)
    }

    /// `start` on a lesson the learner finished before.
    public var startsOver: Said {
        Said(
            tr(
                "You finished this lesson before, so it starts again at step 1 (your progress is kept).",
                "이 강은 이미 마쳤으므로 1단계부터 다시 시작합니다 (진행 상황은 그대로 둡니다)."), .dim)
    }

    /// A prediction's choices and how to answer.
    public func choices(_ step: Step) -> [Said] {
        step.choices.enumerated().map { i, c in Said("  \(i + 1)) " + c[language]) }
            + [Said(tr("Answer with `answer N`.", "`answer N`으로 답하세요."), .dim)]
    }

    public var typeNext: Said { Said(tr("Type `next` to go on.", "`next`를 입력하면 다음으로 넘어갑니다."), .dim) }

    /// After a pass: go on, or finish the lesson.
    public func afterPass(last: Bool) -> Said {
        guard last else { return typeNext }
        return Said(
            tr("That was the last step. Type `next` to finish the lesson.", "마지막 단계였습니다. `next`를 입력하면 이 강을 마칩니다."),
            .dim)
    }

    public func passed(_ step: Step) -> Said { Said("✓ " + tr("PASS", "통과") + " [\(step.id)]", .green) }

    /// A wrong attempt: the first failing predicate's feedback.
    public func notYet(_ feedback: String) -> Said { Said("✗ " + tr("not yet: ", "아직입니다: ") + feedback, .yellow) }

    public var stuck: Said { Said(tr("(stuck? `hint` shows a hint)", "(막히면 `hint`로 힌트를 볼 수 있습니다)"), .dim) }

    /// `check`, `skip` and observe steps: every failing predicate.
    public func missing(_ feedback: [String]) -> [Said] {
        [Said("✗ " + tr("FAIL — what is missing:", "아직 통과하지 못했습니다. 부족한 것:"), .yellow)]
            + feedback.map { Said("  • " + $0) }
    }

    public func lessonFinished(_ lesson: Lesson) -> Said {
        Said("★ " + tr("Lesson finished: \(lesson.title[language]).", "강 완료: \(lesson.title[language])."), .green)
    }

    /// After a finished lesson: the next one.
    public func nextLesson(_ lesson: Lesson, number: Int) -> Said {
        Said(
            tr(
                "Next: `start \(number)` (\(lesson.title[language])).",
                "다음: `start \(number)` (\(lesson.title[language]))."))
    }

    public var setUpAgain: Said { Said(tr("Step set up again.", "단계를 다시 준비했습니다."), .dim) }

    /// The one-line offer to resume, shown when the shell opens.
    public func resumeOffer(_ lesson: Lesson) -> String {
        tr(
            "│ You were in lesson “\(lesson.title[language])”. Type `resume` to go on, or `lessons` for the menu.",
            "│ “\(lesson.title[language])” 강을 하던 중이었습니다. 이어 하려면 `resume`, 목록은 `lessons`를 입력하세요.")
    }

    /// Why the step machine refused a move, said to the learner (the shell shows it as an error).
    public func refusal(_ refusal: StepRefusal) -> String {
        switch refusal {
        case .noLesson:
            return tr(
                "no lesson in progress; `lessons` lists them and `start N` starts one",
                "진행 중인 강이 없습니다. `lessons`로 목록을 보고 `start N`으로 시작하세요")
        case .notDone:
            return tr(
                "this step is not done yet; try `hint`, `check`, or `skip`",
                "아직 이 단계를 마치지 않았습니다. `hint`, `check`, `skip`을 써 보세요")
        case .noSuchStep(let count):
            return tr(
                "there is no such step; this lesson has steps 1–\(count)", "그런 단계는 없습니다. 이 강은 1–\(count)단계입니다")
        case .skipNotAllowed:
            return tr("this lesson does not allow skipping this step; `hint` helps", "이 단계는 건너뛸 수 없습니다. `hint`를 써 보세요")
        case .notAQuestion:
            return tr("this step is not a question; `where` shows what it asks", "이 단계는 질문이 아닙니다. `where`로 확인하세요")
        case .noSuchChoice(let count):
            return tr("choose a number from 1 to \(count)", "1부터 \(count) 사이의 번호를 고르세요")
        case .nothingToResume:
            return tr("nothing to resume; `lessons` lists the lessons", "이어 할 강이 없습니다. `lessons`로 목록을 보세요")
        case .playing:
            return tr(
                "play mode checks nothing; `resume` goes back to the step",
                "자유 실험 모드에서는 검사하지 않습니다. `resume`으로 단계에 돌아오세요")
        }
    }
}

extension Tutor {
    // MARK: The course commands

    public func noLessonMatches(_ query: String) -> String {
        tr("no lesson matches '\(query)'", "'\(query)'에 맞는 강이 없습니다")
    }

    /// `start` names no lesson; `near` is the closest id.
    public func noSuchLesson(_ query: String, near: String?) -> String {
        tr(
            "no lesson '\(query)'" + (near.map { "; did you mean '\($0)'?" } ?? "") + " (`lessons` lists them)",
            "'\(query)'라는 강은 없습니다" + (near.map { ". 혹시 '\($0)' 말인가요?" } ?? "") + " (`lessons`로 목록을 보세요)")
    }

    /// `course` with a word other than `summary`.
    public func unknownCourseTopic(_ topic: String) -> String {
        tr("unknown topic '\(topic)'; try: course summary", "모르는 주제입니다: '\(topic)'. `course summary`를 써 보세요")
    }

    public var startOne: String { tr("Start one with `start N` (or its id).", "`start N`(또는 id)으로 시작하세요.") }

    public var noLessonInProgress: Said {
        Said(
            tr(
                "No lesson in progress. `lessons` lists them; `start N` starts one.",
                "진행 중인 강이 없습니다. `lessons`로 목록을 보고 `start N`으로 시작하세요."))
    }

    /// `where`: the lesson, step and state, then the counts.
    public func whereAmI(
        _ lesson: Lesson, step index: Int, state: String, engine: String, progress: LessonProgress?
    ) -> [Said] {
        let step = lesson.steps[index]
        return [
            Said(
                "\(lesson.title[language]) [\(lesson.id)] · " + tr("step", "단계")
                    + " \(index + 1)/\(lesson.steps.count) [\(step.id)] \(state) · engine \(engine) · lang \(language.rawValue)"
            ),
            Said(
                tr("done", "완료") + " \(progress?.done.count ?? 0), " + tr("skipped", "건너뜀")
                    + " \(progress?.skipped.count ?? 0), " + tr("hints used here", "이 단계 힌트")
                    + " \(progress?.hintsUsed[step.id] ?? 0)/\(step.hints.count)"),
        ]
    }

    public var noHints: Said { Said(tr("This step has no hints.", "이 단계에는 힌트가 없습니다.")) }

    /// Hint `number` (from 1) of `step`, and a note after the last one.
    public func hint(_ step: Step, number: Int, last: Bool) -> [Said] {
        let said = Said(
            "💡 " + tr("hint", "힌트") + " \(number)/\(step.hints.count): " + step.hints[number - 1][language])
        guard last else { return [said] }
        return [
            said,
            Said(
                tr("(that is the last hint; `solution` shows the answer)", "(마지막 힌트입니다. `solution`으로 답을 볼 수 있습니다)"),
                .dim),
        ]
    }

    public var noSolution: Said { Said(tr("This step has no solution to show.", "이 단계에는 보여 줄 답이 없습니다.")) }
    public var showSolutionQuestion: String { tr("│ Show the solution?", "│ 답을 볼까요?") }
    public var showingSolution: Said {
        Said(tr("Showing the solution (not interactive, so without asking):", "답을 보여 줍니다 (대화형이 아니라서 묻지 않습니다):"))
    }

    public var solutionDidNotPass: Said {
        Said(
            tr(
                "The solution did not pass here (the engine may differ); type `next` to go on anyway.",
                "여기서는 답이 통과하지 못했습니다 (엔진 상태가 다를 수 있습니다). 그래도 `next`로 넘어갈 수 있습니다."))
    }

    public var alreadyDone: Said { Said("✓ " + tr("already done; type `next`.", "이미 마쳤습니다. `next`를 입력하세요.")) }
    public var nothingToCheck: Said {
        Said(tr("Nothing to check in this step; type `next`.", "이 단계에는 확인할 것이 없습니다. `next`를 입력하세요."))
    }

    public var playMode: Said {
        Said(
            tr(
                "Play mode: try anything, nothing is checked. `resume` brings you back to the step.",
                "자유 실험 모드입니다. 무엇이든 해 보세요. 검사는 하지 않습니다. `resume`으로 단계에 돌아옵니다."))
    }

    public var backToStep: Said {
        Said(
            tr(
                "Back to the step; checks are on again (`retry` sets it up afresh).",
                "단계로 돌아왔습니다. 다시 검사합니다 (`retry`로 처음부터 준비할 수 있습니다)."))
    }

    public var languageSet: Said { Said(tr("Language: English.", "언어: 한국어.")) }

    /// A wrong answer (`choice` from 0): what is wrong with that choice, and a retry.
    public func wrongAnswer(_ choice: Int, of step: Step) -> [Said] {
        let why = step.choiceFeedback.indices.contains(choice) ? step.choiceFeedback[choice]?[language] : nil
        return [
            Said(
                "✗ " + tr("Not \(choice + 1).", "\(choice + 1)번은 아닙니다.")
                    + (why.map { " " + $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""), .yellow),
            Said(tr("Try again with `answer N`.", "`answer N`으로 다시 답해 보세요."), .dim),
        ]
    }

    /// `skip` on a prediction names the right choice (from 0).
    public func rightAnswer(_ right: Int, of step: Step) -> Said {
        let text = step.choices.indices.contains(right) ? step.choices[right][language] : ""
        return Said(tr("The answer is \(right + 1): \(text)", "답은 \(right + 1)번입니다: \(text)"))
    }

    /// `progress show`: one lesson's entry.
    public func progressLine(_ id: String, _ e: LessonProgress) -> String {
        tr(
            "  \(id): v\(e.version), done \(e.done.count), skipped \(e.skipped.count), at \(e.current ?? "-")",
            "  \(id): v\(e.version), 완료 \(e.done.count), 건너뜀 \(e.skipped.count), 현재 \(e.current ?? "-")")
    }

    /// `progress import` would push the saved progress past one of its bounds.
    public func importBreaksLimit(_ file: String, problem: String) -> String {
        tr(
            "cannot import \(file): with it, your progress would break a limit (\(problem))",
            "\(file) 파일을 가져올 수 없습니다. 가져오면 진행 상황이 한도를 넘습니다 (\(problem))")
    }

    /// `lang` with neither ko nor en.
    public func unknownLanguage(_ language: String) -> String {
        tr("unknown language '\(language)'; choose ko or en", "모르는 언어입니다: '\(language)'. ko나 en을 고르세요")
    }

    public func exported(to file: String) -> String { tr("progress exported to \(file)", "진행 상황을 \(file)에 내보냈습니다") }

    public func imported(_ count: Int, from file: String) -> String {
        tr("imported \(count) lessons from \(file)", "\(file)에서 강 \(count)개의 진행 상황을 가져왔습니다")
    }

    public func forgot(_ what: String, any: Bool) -> String {
        any ? tr("forgotten: \(what)", "지웠습니다: \(what)") : tr("no progress for \(what)", "\(what)의 진행 상황이 없습니다")
    }
}

extension Tutor {
    // MARK: Layout that does not depend on the terminal

    /// Joins the hard-wrapped lines of a lesson text into paragraphs and list items, so the shell can wrap them
    /// to the terminal's width; blank lines stay (as empty blocks).
    public static func reflow(_ text: String) -> [String] {
        var blocks: [String] = []
        var current: String? = nil
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty {
                if let c = current { blocks.append(c) }
                blocks.append("")
                current = nil
            } else if let c = current, !isListItem(line) {
                current = c + " " + line
            } else {
                if let c = current { blocks.append(c) }
                current = line
            }
        }
        if let c = current { blocks.append(c) }
        return blocks
    }

    /// Whether a line starts a list item (`- `, `• `, `1. `, `2) `): its wrapped lines are indented. A sentence
    /// that merely starts with a number (`295218 file pages …`) is not one.
    public static func isListItem(_ line: String) -> Bool {
        line.hasPrefix("- ") || line.hasPrefix("• ") || line.prefixMatch(of: #/\s*\d{1,2}[.)] /#) != nil
    }

    /// `text` trimmed, with `**bold**` spans passed through `bold` (the shell styles them when colour is on).
    public static func render(_ text: String, bold: (String) -> String) -> String {
        var t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = t.components(separatedBy: "**")
        if parts.count > 2 {
            t = parts.enumerated().map { i, p in i % 2 == 1 ? bold(p) : p }.joined()
        }
        return t
    }
}
