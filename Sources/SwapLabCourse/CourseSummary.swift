import SwapLabModel

/// What the learner did in the course, said at its end and by `course summary`: the lessons and steps passed, the
/// numbers each step's explanation quoted (as progress kept them), and which live steps this machine allows.
public struct CourseSummary: Sendable {
    /// A step that runs only on the live engine, and what this machine lacks for it (empty: it can run here).
    public struct LiveStep: Sendable, Equatable {
        public var lesson: String
        public var step: String
        public var missing: [String]

        public init(lesson: String, step: String, missing: [String]) {
            self.lesson = lesson
            self.step = step
            self.missing = missing
        }
    }

    public var course: Course
    public var progress: CourseProgress
    public var live: [LiveStep]

    public init(course: Course, progress: CourseProgress, live: [LiveStep]) {
        self.course = course
        self.progress = progress
        self.live = live
    }

    /// The steps of `course` that run only on the live engine, each with what `probe` says is missing.
    public static func liveSteps(of course: Course, probe: (Requirement) -> String?) -> [LiveStep] {
        course.lessons.flatMap { l in
            l.steps.filter { $0.engine.allows(.live) && !$0.engine.allows(.sim) }.map {
                LiveStep(lesson: l.id, step: $0.id, missing: $0.requires.compactMap(probe))
            }
        }
    }

    /// The steps of `lesson` that count towards its ✓ and the course's numbers: the one place the menu's bars and
    /// the summary take them from. (Once lessons mark steps `optional`, these are the steps a lesson needs.)
    public static func counted(_ lesson: Lesson) -> [Step] { lesson.requiredSteps }

    /// How many of `lesson`'s counted steps are passed (done or skipped), and how many are counted.
    public static func count(_ lesson: Lesson, _ progress: LessonProgress?) -> (done: Int, of: Int) {
        let steps = counted(lesson)
        let done = progress.map { e in steps.filter { e.done.contains($0.id) || e.skipped.contains($0.id) }.count }
        return (done ?? 0, steps.count)
    }

    /// Whether every lesson is finished.
    public var courseFinished: Bool {
        course.lessons.allSatisfy { progress.lessons[$0.id]?.finished($0) == true }
    }

    /// The summary in `language`: a headline, each lesson with its numbers, then the live steps.
    public func lines(_ language: Language) -> [Said] {
        let tutor = Tutor(language: language)
        return [headline(tutor)] + lessonLines(tutor) + liveLines(tutor)
    }

    private func headline(_ t: Tutor) -> Said {
        var finished = 0, counted = 0, steps = 0, skipped = 0, hints = 0
        for l in course.lessons {
            let e = progress.lessons[l.id]
            let (done, of) = CourseSummary.count(l, e)
            counted += done
            steps += of
            guard let e else { continue }
            if e.finished(l) { finished += 1 }
            let ids = Set(CourseSummary.counted(l).map(\.id))
            skipped += e.skipped.filter { ids.contains($0) && !e.done.contains($0) }.count
            hints += e.hintsUsed.filter { ids.contains($0.key) }.values.reduce(0, +)
        }
        let done = counted - skipped
        let lessons = course.lessons.count
        return Said(
            (courseFinished ? "★ " : "")
                + t.tr(
                    "Course summary: \(finished) of \(lessons) lessons finished; of \(steps) steps you passed \(done)"
                        + " and skipped \(skipped), with \(hints) \(hints == 1 ? "hint" : "hints").",
                    "과정 요약: 강 \(lessons)개 중 \(finished)개를 마쳤습니다. 단계 \(steps)개 중 \(done)개를 통과했고 "
                        + "\(skipped)개는 건너뛰었으며, 힌트는 \(hints)번 보았습니다."), courseFinished ? .green : .bold)
    }

    /// Each lesson: its mark and count, then one line per step whose explanation quoted numbers.
    private func lessonLines(_ t: Tutor) -> [Said] {
        var out = [Said(t.tr("What you did, and the numbers you saw:", "한 일과 직접 본 숫자:"), .bold)]
        for (i, l) in course.lessons.enumerated() {
            let e = progress.lessons[l.id]
            let (done, of) = CourseSummary.count(l, e)
            let mark = e?.finished(l) == true ? "✓" : done == 0 ? "·" : "◐"
            out.append(Said("\(i + 1). \(mark) \(l.title[t.language]) (\(done)/\(of))"))
            for step in l.steps {
                guard let values = e?.observed?[step.id], !values.isEmpty else { continue }
                // The numbers (counts, sizes, times); names such as the waker's comm are left to the lesson.
                let shown = values.filter { $0.value.first?.isNumber == true }.sorted { $0.key < $1.key }
                    .map { "\($0.key) \(Template.localized($0.value, t.language))" }
                if !shown.isEmpty { out.append(Said("- \(step.id): " + shown.joined(separator: " · "), .dim)) }
            }
        }
        return out
    }

    /// The live steps: how many this machine allows, and what the others need.
    private func liveLines(_ t: Tutor) -> [Said] {
        guard !live.isEmpty else { return [] }
        let runnable = live.filter(\.missing.isEmpty)
        var out = [
            Said(
                t.tr(
                    "Live steps (on your own kernel): this machine allows \(runnable.count) of \(live.count).",
                    "실제 커널에서 하는 단계: 이 머신에서는 \(live.count)개 중 \(runnable.count)개를 할 수 있습니다."),
                .bold)
        ]
        if !runnable.isEmpty {
            out.append(
                Said(
                    "- ✓ " + t.tr("can run: ", "할 수 있음: ")
                        + runnable.map { "\($0.lesson)/\($0.step)" }.joined(separator: ", ")))
        }
        var needs: [String: [String]] = [:]
        var order: [String] = []
        for s in live where !s.missing.isEmpty {
            let key = s.missing.joined(separator: "; ")
            if needs[key] == nil { order.append(key) }
            needs[key, default: []].append("\(s.lesson)/\(s.step)")
        }
        for key in order {
            out.append(
                Said("- ✗ " + t.tr("needs \(key): ", "\(key) 필요: ") + (needs[key] ?? []).joined(separator: ", ")))
        }
        out.append(
            Said(
                t.tr(
                    "`doctor` says what this machine allows; `engine live` and `start N` run a live step.",
                    "이 머신에서 무엇을 할 수 있는지는 `doctor`가 알려 줍니다. 실제 커널 단계는 `engine live` 후 `start N`으로 합니다."),
                .dim))
        return out
    }
}
