import Foundation
import SwapLabAnalysis
import SwapLabModel

/// What a check reads: the engine's timeline (or why there is none), where the window starts, and the
/// text the commands printed in the window (for `output` predicates).
public struct CheckInput: Sendable {
    public var timeline: Timeline?
    /// Why there is no timeline (`the sim engine has no timeline yet; …`), shown in feedback.
    public var timelineProblem: String?
    /// The window start on the timeline's clock; samples and events strictly after it count. `-infinity` when
    /// the engine had no timeline when the step began (everything counts).
    public var windowStart: Double
    public var output: String

    public init(timeline: Timeline?, timelineProblem: String? = nil, windowStart: Double, output: String = "") {
        self.timeline = timeline
        self.timelineProblem = timelineProblem
        self.windowStart = windowStart
        self.output = output
    }
}

/// The result of one predicate: passed or not, and the observed values that fill feedback and explanations.
public struct PredicateOutcome: Sendable {
    public var predicate: Predicate
    public var passed: Bool
    /// Observed values by placeholder name (`free`, `low`, `count`, …).
    public var values: [String: String]
    /// When the predicate was first met, on the timeline's clock.
    public var time: Double?

    /// The feedback for this failure in `language`: the predicate's own, else a default, filled in. When the check
    /// could not be made (`problem`), its reason instead: the predicate's own text would show unfilled values
    /// (`pswpin +?`).
    public func feedback(_ language: Language) -> String {
        let template =
            values["problem"] == nil
            ? predicate.feedback ?? Checker.defaultFeedback(for: predicate.condition, values: values)
            : Checker.defaultFeedback(for: predicate.condition, values: values)
        var filled = values
        if language == .ko, let ko = values["problem_ko"] { filled["problem"] = ko }
        return Template.fill(template[language], values: filled, language: language)
    }
}

/// The result of an expectation: every predicate's outcome, in order.
public struct CheckOutcome: Sendable {
    public var outcomes: [PredicateOutcome]
    public var passed: Bool { outcomes.allSatisfy(\.passed) }
    public var firstFailure: PredicateOutcome? { outcomes.first { !$0.passed } }

    /// Every observed value: each predicate's as `id.name`, and unprefixed (the first predicate that has it wins).
    public var values: [String: String] {
        var v: [String: String] = [:]
        for o in outcomes {
            for (k, x) in o.values {
                v["\(o.predicate.id).\(k)"] = x
                if v[k] == nil { v[k] = x }
            }
        }
        return v
    }
}

/// Evaluates lesson expectations over a timeline: the course's predicates, engine-blind (DESIGN.md).
public enum Checker {
    /// Evaluates every predicate of `expectation` against `input`, in order (an `after:` refers to an earlier one).
    public static func evaluate(_ expectation: StepExpectation, input: CheckInput) -> CheckOutcome {
        let start = input.windowStart
        let end = start.isFinite ? expectation.window.within.map { start + $0 } ?? Double.infinity : Double.infinity
        var outcomes: [PredicateOutcome] = []
        for p in expectation.all {
            let (passed, values, time) = evaluate(p.condition, input: input, start: start, end: end, earlier: outcomes)
            outcomes.append(PredicateOutcome(predicate: p, passed: passed, values: values, time: time))
        }
        return CheckOutcome(outcomes: outcomes)
    }

    /// One predicate over the window `start`…`end`: whether it holds, the values its feedback quotes, and the time
    /// it was first met (an `after:` of a later predicate starts there).
    private static func evaluate(
        _ condition: Condition, input: CheckInput, start: Double, end: Double, earlier: [PredicateOutcome]
    ) -> (Bool, [String: String], Double?) {
        if case .output(let pattern, let compare) = condition {
            return output(pattern, compare: compare, in: input.output)
        }
        if case .unknown(let name, let reason) = condition {
            return (false, ["problem": "predicate \(name) \(reason)"], nil)
        }
        guard let timeline = input.timeline else {
            return (
                false,
                Checker.problem(
                    input.timelineProblem ?? "there is no timeline yet",
                    input.timelineProblem.map { "타임라인을 읽을 수 없습니다 (\($0))" } ?? "아직 타임라인이 없습니다"),
                nil
            )
        }
        // Strictly after the start: the state the step began in is not evidence of what the learner did.
        let samples = timeline.samples.filter { $0.time > start && $0.time <= end }
        let events = timeline.events.filter { $0.time > start && $0.time <= end }
        let origin = start.isFinite ? start : (timeline.span?.lowerBound ?? 0)
        switch condition {
        case .free(let selector, let below, let mark, let lastOnly):
            return free(
                samples: lastOnly ? Array(samples.suffix(1)) : samples, all: timeline.samples,
                selector: selector, below: below, mark: mark, origin: origin)
        case .event(let name, let atLeast, let atMost, let after):
            return event(
                name, atLeast: atLeast, atMost: atMost, after: after, events: events, origin: origin, earlier: earlier)
        case .counter(let name, let cmp):
            return counter(name, cmp, samples: samples, all: timeline.samples, start: start)
        case .oomKill:
            return oomKill(timeline, events: events, samples: samples, start: start, origin: origin)
        case .output, .unknown:
            return (false, [:], nil)
        }
    }

    /// `output:` — the pattern matched in what the command printed, its named groups as values, and each `where:`
    /// comparison on a captured integer.
    private static func output(
        _ pattern: String, compare: [GroupComparison], in output: String
    )
        -> (Bool, [String: String], Double?)
    {
        // `BoundedPattern` searches in time linear in the output (no backtracking), however long a line is.
        guard let regex = try? BoundedPattern(pattern), let m = regex.firstMatch(in: output) else {
            return (false, ["matched": ""], nil)
        }
        var v = ["matched": String(m.matched.prefix(80))]
        // Named groups (`(?<low>\d+)`) become values of their own, so explanations can quote what was shown.
        for (name, text) in m.groups { v[name] = text }
        // `where:` comparisons on captured integers; the first that does not hold fails the predicate.
        for c in compare {
            guard let text = v[c.group], let x = Int64(text) else {
                v.merge(
                    Checker.problem(
                        "the output shows no number for '\(c.group)'", "출력에 '\(c.group)'에 해당하는 숫자가 없습니다")
                ) { $1 }
                return (false, v, nil)
            }
            if !c.comparison.holds(x) { return (false, v, nil) }
        }
        return (true, v, nil)
    }

    /// `event:` — how many times the tracepoint fired in the window (after the time `after` was met, when given),
    /// with the first one's time, task, node and order.
    private static func event(
        _ name: String, atLeast: Int, atMost: Int?, after: String?, events: [TraceEvent], origin: Double,
        earlier: [PredicateOutcome]
    ) -> (Bool, [String: String], Double?) {
        var from = -Double.infinity
        if let after {
            guard let ref = earlier.first(where: { $0.predicate.id == after }), ref.passed, let t = ref.time else {
                let problem = Checker.problem("'\(after)' was not met first", "'\(after)' 조건이 먼저 충족되지 않았습니다")
                return (false, ["event": name, "count": "0"].merging(problem) { $1 }, nil)
            }
            from = t
        }
        let hits = events.filter { $0.name == name && $0.time >= from }
        let ok = hits.count >= atLeast && (atMost.map { hits.count <= $0 } ?? true)
        var v = ["event": name, "count": String(hits.count)]
        if let first = hits.first {
            v["at"] = seconds(first.time - origin)
            v["secs"] = bareSeconds(first.time - origin)
            v["comm"] = first.comm
            v["pid"] = String(first.pid)
            if let nid = first.field("nid") { v["nid"] = String(nid) }
            if let order = first.field("order") { v["order"] = String(order) }
        }
        return (ok, v, ok ? hits.first?.time : nil)
    }

    /// `counter:` — the /proc/vmstat counter's change across the window against the comparison.
    private static func counter(
        _ name: String, _ cmp: Comparison, samples: [Sample], all: [Sample], start: Double
    )
        -> (Bool, [String: String], Double?)
    {
        guard let (before, after) = counterSpan(name, samples: samples, all: all, start: start) else {
            return (
                false,
                ["counter": name, "delta": "?", "before": "?", "after": "?"].merging(
                    Checker.problem(
                        "no sample in the window has the counter \(name)",
                        "카운터 \(name) 값이 담긴 샘플이 이 단계에는 아직 없습니다")
                ) { $1 }, nil
            )
        }
        let (delta, overflow) = after.subtractingReportingOverflow(before)
        var v = [
            "counter": name, "delta": String(delta), "before": String(before), "after": String(after),
            "expect": cmp.description,
        ]
        if overflow {
            v["delta"] = "?"
            v.merge(
                Checker.problem(
                    "the counter \(name) went from \(before) to \(after), too far apart to compare",
                    "카운터 \(name) 값의 차이(\(before) → \(after))가 너무 커서 비교할 수 없습니다")
            ) { $1 }
            return (false, v, nil)
        }
        return (cmp.holds(delta), v, cmp.holds(delta) ? samples.last?.time : nil)
    }

    /// `oom_kill:` — an OOM kill in the window, from `mark_victim` (mm/oom_kill.c) or the oom_kill counter,
    /// whichever counts more.
    private static func oomKill(
        _ timeline: Timeline, events: [TraceEvent], samples: [Sample], start: Double, origin: Double
    ) -> (Bool, [String: String], Double?) {
        // The victims as the analysis decodes them (`mark_victim`'s pid and, since 6.12, comm).
        let victims = TimelineAnalysis(Timeline(machine: timeline.machine, events: events)).oomKills
        let counted =
            counterSpan("oom_kill", samples: samples, all: timeline.samples, start: start)
            .map { $0.1.saturatingSubtract($0.0) } ?? 0
        let count = max(Int64(victims.count), counted)
        var v = ["count": String(count)]
        if let first = victims.first {
            v["at"] = seconds(first.time - origin)
            v["secs"] = bareSeconds(first.time - origin)
            v["pid"] = String(first.pid)
            v["victim"] = first.comm ?? v["pid"]
        }
        return (count > 0, v, count > 0 ? (victims.first?.time ?? samples.last?.time) : nil)
    }

    /// The first and last value of counter `name` across the window; the first is taken from the last sample
    /// at or before the window start when there is one (the state the step began in).
    private static func counterSpan(_ name: String, samples: [Sample], all: [Sample], start: Double) -> (Int64, Int64)?
    {
        guard let last = samples.last(where: { $0.counters[name] != nil })?.counters[name] else { return nil }
        let base =
            all.last(where: { $0.time <= start && $0.counters[name] != nil })?.counters[name]
            ?? samples.first(where: { $0.counters[name] != nil })?.counters[name] ?? last
        return (base, last)
    }

    private static func free(
        samples: [Sample], all: [Sample], selector: ZoneSelector, below: Bool, mark: WatermarkLevel, origin: Double
    ) -> (Bool, [String: String], Double?) {
        let largest: ZoneType? = (samples.first ?? all.last).flatMap { s in
            s.zones.filter { $0.node == 0 }.max { $0.managed < $1.managed }?.zone
        }
        var best: (sample: Sample, zone: ZoneSample, diff: Int64)? = nil
        var firstHit: Double? = nil
        for s in samples {
            for z in s.zones {
                switch selector {
                case .any: break
                case .largest: if z.zone != largest || z.node != 0 { continue }
                case .zone(let t): if z.zone != t || z.node != 0 { continue }
                }
                let diff = z.free.count.saturatingSubtract(mark.pages(in: z).count)
                let hit = below ? diff <= 0 : diff > 0
                if hit && firstHit == nil { firstHit = s.time }
                if best == nil || (below ? diff < best!.diff : diff > best!.diff) { best = (s, z, diff) }
            }
        }
        guard let best else {
            let problem = Checker.problem("no sample of that zone in the window", "이 단계의 구간에 그 zone의 샘플이 없습니다")
            return (false, problem.merging(["mark": mark.rawValue]) { $1 }, nil)
        }
        let z = best.zone
        let gap = Pages(best.diff.saturatingMagnitude)
        let v: [String: String] = [
            "zone": z.zone.rawValue, "node": String(z.node), "free": String(z.free.count),
            "min": String(z.min.count), "low": String(z.low.count), "high": String(z.high.count),
            "mark": mark.rawValue, "gap": String(gap.count), "free_bytes": Quantity.format(bytes: z.free.bytes),
            "gap_bytes": Quantity.format(bytes: gap.bytes), "at": seconds(best.sample.time - origin),
            "secs": bareSeconds(best.sample.time - origin),
        ]
        return (firstHit != nil, v, firstHit)
    }

    /// Why a check could not be made, in English (`problem`, which lessons' feedback quotes as `{problem}`) and in
    /// Korean (`problem_ko`, filled in its place under `lang ko`).
    static func problem(_ en: String, _ ko: String) -> [String: String] { ["problem": en, "problem_ko": ko] }

    /// `1.25 s`.
    static func seconds(_ t: Double) -> String { String(format: "%.2f s", max(0, t)) }

    /// `1.25`: the same time without its unit, for a text that writes the unit its own way (`{secs}초`, `{secs} s`).
    static func bareSeconds(_ t: Double) -> String { String(format: "%.2f", max(0, t)) }

    /// The feedback for a failed predicate that has none of its own.
    public static func defaultFeedback(for condition: Condition, values: [String: String]) -> LocalizedText {
        if values["problem"] != nil {
            return LocalizedText(en: "Not checked yet: {problem}.", ko: "아직 확인할 수 없습니다: {problem}.")
        }
        switch condition {
        case .free(_, let below, let mark, _):
            let m = mark.rawValue.capitalized
            return below
                ? LocalizedText(
                    en: "free {free} in {zone} is still above \(m) {\(mark.rawValue)} (short by {gap} pages).",
                    ko: "{zone}의 free {free}가 아직 \(m) {\(mark.rawValue)}보다 높습니다 ({gap} 페이지 차이).")
                : LocalizedText(
                    en: "free {free} in {zone} has not risen above \(m) {\(mark.rawValue)} (short by {gap} pages).",
                    ko: "{zone}의 free {free}가 아직 \(m) {\(mark.rawValue)} 위로 올라가지 않았습니다 ({gap} 페이지 차이).")
        case .event:
            return LocalizedText(
                en: "{event} was seen {count|time|times} in this step, not as the step expects.",
                ko: "이 단계에서 {event} 이벤트가 {count}번 보였습니다. 단계가 기대한 횟수가 아닙니다.")
        case .counter:
            return values["delta"] == "0"
                ? LocalizedText(
                    en: "{counter} did not change in this step (it stayed at {after}); the step expects a change "
                        + "{expect}.",
                    ko: "이 단계에서 {counter}는 바뀌지 않았습니다(그대로 {after}). 단계는 {expect}만큼의 변화를 기대합니다.")
                : LocalizedText(
                    en: "{counter} changed by {delta} ({before} → {after}); the step expects a change {expect}.",
                    ko: "{counter}가 {delta}만큼 바뀌었습니다({before} → {after}). 단계는 {expect}만큼의 변화를 기대합니다.")
        case .oomKill:
            return LocalizedText(
                en: "The OOM killer has not chosen a victim yet.", ko: "OOM killer가 아직 프로세스를 종료하지 않았습니다.")
        case .output:
            return LocalizedText(
                en: "The output does not show what this step looks for yet.", ko: "출력에 이 단계가 찾는 내용이 아직 없습니다.")
        case .unknown:
            return LocalizedText(en: "This step's check is broken: {problem}.", ko: "이 단계의 검사가 잘못되었습니다: {problem}.")
        }
    }
}

/// `{name}` placeholders in lesson texts.
public enum Template {
    /// `text` with every `{name}` whose value is known replaced; unknown ones are left as written. A count with its
    /// noun, `{count|time|times}`, becomes `1 time` or `3 times` (English needs it; Korean writes `{count}번`).
    public static func fill(_ text: String, values: [String: String]) -> String {
        var out = ""
        var rest = text[...]
        while let open = rest.firstIndex(of: "{") {
            // An unclosed `{` is text: the rest is kept once, as written.
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            out += rest[..<open]
            let inside = rest[rest.index(after: open)..<close].split(separator: "|", omittingEmptySubsequences: false)
            let name = String(inside[0])
            if let v = values[name] {
                out += inside.count == 3 ? "\(v) \(v == "1" ? inside[1] : inside[2])" : v
            } else {
                out += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return out
    }

    /// `fill` with the observed values as `language` writes them: Korean writes a time as `6.85초`, not `6.85 s`
    /// (the checks record every value once, in English units).
    public static func fill(_ text: String, values: [String: String], language: Language) -> String {
        guard language == .ko else { return fill(text, values: values) }
        return fill(text, values: values.mapValues { localized($0, .ko) })
    }

    /// A value as `language` writes it: seconds (`6.85 s`) become `6.85초` in Korean; anything else is as it is.
    public static func localized(_ value: String, _ language: Language) -> String {
        guard language == .ko, let m = value.wholeMatch(of: /(\d+(?:\.\d+)?) s/) else { return value }
        return "\(m.output.1)초"
    }

    /// The placeholder names in `text`, in order of appearance (`{free}` → `free`, `{count|time|times}` → `count`).
    public static func placeholders(in text: String) -> [String] {
        text.matches(of: /\{([a-z_][a-z0-9_.-]*)(?:\|[^{}|]*\|[^{}|]*)?\}/).map { String($0.output.1) }
    }

    /// The backticked spans in `text` (`` `alloc 300M` `` → `alloc 300M`).
    public static func backticked(in text: String) -> [String] {
        text.matches(of: /`([^`\n]+)`/).map { String($0.output.1) }
    }
}
