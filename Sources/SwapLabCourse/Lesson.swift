import Foundation
import SwapLabAnalysis
import SwapLabModel

/// The lesson file format this engine reads (`format: 1`); a newer file is refused with a clear message.
public let lessonFormatVersion = 1

/// The engine a step runs on, as lessons name it: the shell's `EngineKind`.
public typealias CourseEngine = EngineKind

/// What a live step needs from the machine; when missing, the step falls back to the simulator.
public enum Requirement: String, CaseIterable, Sendable, Decodable {
    /// Running as root (tracefs, sysctls, `oom_score_adj` on the hog).
    case root
    /// tracefs: mounted, or in the kernel and mountable by root (swaplab mounts it and unmounts it after).
    case tracefs
    /// Swap: a disk swap is on, or root can add a swapfile (`swap on`, the lab).
    case swap
}

/// What kind of step this is (tutorial-anchors §4: text, command, observe, predict, free).
public enum StepKind: String, CaseIterable, Sendable, Decodable {
    /// Read and go on with `next`.
    case text
    /// The learner types a swaplab command matching `input`; the expectation is checked after it.
    case command
    /// swaplab runs `run` for the learner and shows what happened.
    case observe
    /// A multiple-choice prediction (`answer N`) before seeing the outcome.
    case predict
    /// A goal reached by any route; checked after every command and with `check`.
    case free
}

/// Swaplab command lines per engine: `setup`, `run` and `solution`. In a file: a line, a list of lines
/// (both engines), or a map `{sim: …, live: …}` whose values are a line or a list.
public struct EngineLines: Hashable, Sendable, Decodable {
    public var sim: [String]
    public var live: [String]

    public init(sim: [String] = [], live: [String] = []) {
        self.sim = sim
        self.live = live
    }

    /// Lines for `engine`.
    public func lines(for engine: CourseEngine) -> [String] { engine == .sim ? sim : live }
    /// Whether there are no lines for either engine.
    public var isEmpty: Bool { sim.isEmpty && live.isEmpty }
    /// Every line, simulator first.
    public var all: [String] { sim + live }

    private enum Keys: String, CodingKey { case sim, live }

    public init(from decoder: Decoder) throws {
        if let one = try? decoder.singleValueContainer().decode(String.self) {
            sim = [one]
            live = [one]
            return
        }
        if let list = try? decoder.singleValueContainer().decode([String].self) {
            sim = list
            live = list
            return
        }
        let c = try decoder.container(keyedBy: Keys.self)
        func lines(_ key: Keys) throws -> [String] {
            guard c.contains(key) else { return [] }
            if let one = try? c.decode(String.self, forKey: key) { return [one] }
            return try c.decode([String].self, forKey: key)
        }
        sim = try lines(.sim)
        live = try lines(.live)
    }
}

/// The time window an expectation is evaluated in.
public struct CheckWindow: Hashable, Sendable, Decodable {
    /// Where the window starts.
    public enum Start: String, Sendable, Decodable {
        /// When the step's setup finished (default).
        case step
        /// When the lesson started.
        case lesson
    }

    public var since: Start
    /// Seconds after the start within which the predicates must hold; nil means up to now.
    public var within: Double?

    public init(since: Start = .step, within: Double? = nil) {
        self.since = since
        self.within = within
    }

    private enum Keys: String, CodingKey { case since, within }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        since = try c.decodeIfPresent(Start.self, forKey: .since) ?? .step
        if let text = try c.decodeIfPresent(String.self, forKey: .within) {
            do {
                within = try Quantity.seconds(text)
            } catch {
                throw DecodingError.dataCorruptedError(forKey: .within, in: c, debugDescription: error.description)
            }
        } else {
            within = nil
        }
    }
}

/// What must hold for a step to pass: every predicate, evaluated in `window`.
public struct StepExpectation: Sendable, Decodable {
    public var window: CheckWindow
    public var all: [Predicate]

    public init(window: CheckWindow = CheckWindow(), all: [Predicate]) {
        self.window = window
        self.all = all
    }

    private enum Keys: String, CodingKey { case window, all }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        window = try c.decodeIfPresent(CheckWindow.self, forKey: .window) ?? CheckWindow()
        all = try c.decode([Predicate].self, forKey: .all)
    }
}

/// One step of a lesson. Its `id` is stable across versions: progress, CI and bug reports use it.
public struct Step: Sendable, Decodable {
    public var id: String
    public var kind: StepKind
    public var engine: EngineChoice
    public var text: LocalizedText
    /// Idempotent swaplab lines that put the engine into the step's starting state; `retry` re-runs them.
    public var setup: EngineLines
    /// What the live engine needs; when missing, the step runs on the simulator instead.
    public var requires: [Requirement]
    /// For `command` steps: a regular expression the typed line must match to count as an attempt.
    public var input: String?
    /// For `observe` steps: what swaplab runs for the learner.
    public var run: EngineLines
    public var expect: StepExpectation?
    /// Staged hints: each `hint` shows the next.
    public var hints: [LocalizedText]
    /// What `skip` runs, what `solution` shows, and what `lessons test` proves.
    public var solution: EngineLines
    /// Shown after success, placeholders filled from the observed values.
    public var explain: LocalizedText?
    /// For `predict` steps: the choices, and the index (from 0) of the right one.
    public var choices: [LocalizedText]
    public var answer: Int?
    /// For `predict` steps: what a wrong answer hears about that choice (a choice's `feedback`), per choice.
    public var choiceFeedback: [LocalizedText?]
    /// Overrides the lesson's `allow_skip` for this step.
    public var allowSkip: Bool?
    /// An "on your own machine" step (every live step is one): the lesson is complete without it, and `next` passes
    /// it whether or not it was done. Its simulator twin, the step before it, teaches the same thing.
    public var optional: Bool

    private enum Keys: String, CodingKey {
        case id, kind, engine, text, setup, requires, input, run, expect, hints, solution, explain, choices, answer
        case optional
        case allowSkip = "allow_skip"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        id = try c.decode(String.self, forKey: .id)
        kind = try c.decode(StepKind.self, forKey: .kind)
        engine = try c.decodeIfPresent(EngineChoice.self, forKey: .engine) ?? .both
        text = try c.decode(LocalizedText.self, forKey: .text)
        setup = try c.decodeIfPresent(EngineLines.self, forKey: .setup) ?? EngineLines()
        requires = try c.decodeIfPresent([Requirement].self, forKey: .requires) ?? []
        input = try c.decodeIfPresent(String.self, forKey: .input)
        run = try c.decodeIfPresent(EngineLines.self, forKey: .run) ?? EngineLines()
        expect = try c.decodeIfPresent(StepExpectation.self, forKey: .expect)
        hints = try c.decodeIfPresent([LocalizedText].self, forKey: .hints) ?? []
        solution = try c.decodeIfPresent(EngineLines.self, forKey: .solution) ?? EngineLines()
        explain = try c.decodeIfPresent(LocalizedText.self, forKey: .explain)
        let options = try c.decodeIfPresent([Choice].self, forKey: .choices) ?? []
        choices = options.map(\.text)
        choiceFeedback = options.map(\.feedback)
        answer = try c.decodeIfPresent(Int.self, forKey: .answer)
        allowSkip = try c.decodeIfPresent(Bool.self, forKey: .allowSkip)
        optional = try c.decodeIfPresent(Bool.self, forKey: .optional) ?? false
    }

    /// The lines that solve this step on `engine`: its `solution`, or for `observe` steps what it runs.
    public func solutionLines(for engine: CourseEngine) -> [String] {
        let s = solution.lines(for: engine)
        return s.isEmpty && kind == .observe ? run.lines(for: engine) : s
    }

    /// Whether the step has something to check (an expectation or a prediction).
    public var isChecked: Bool { expect != nil || kind == .predict }

    /// Whether the lesson is complete only once this step is done (or skipped): every step but an optional one.
    public var isRequired: Bool { !optional }
}

/// One choice of a prediction in a lesson file: `{en: …, ko: …}`, with an optional `feedback: {en: …, ko: …}` that
/// a learner who picks it (wrongly) hears.
struct Choice: Decodable {
    var text: LocalizedText
    var feedback: LocalizedText?

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        var texts: [Language: String] = [:]
        feedback = nil
        for key in c.allKeys {
            if key.stringValue == "feedback" {
                feedback = try c.decode(LocalizedText.self, forKey: key)
            } else if let language = Language(rawValue: key.stringValue) {
                texts[language] = try c.decode(String.self, forKey: key)
            } else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: c,
                    debugDescription: "unknown key '\(key.stringValue)'; a choice takes en, ko and feedback")
            }
        }
        text = LocalizedText(texts: texts)
    }
}

/// One lesson: a YAML file under `Lessons/`, named in `Lessons/index.yaml`.
public struct Lesson: Sendable, Decodable {
    public var format: Int
    public var id: String
    public var version: Int
    public var title: LocalizedText
    public var summary: LocalizedText?
    /// Whether `skip` is allowed (instructors can forbid it); a step may override it.
    public var allowSkip: Bool
    public var steps: [Step]
    /// The file it was read from, and the line of each step (`steps[3]` → 57) for messages.
    public var file: String = ""
    public var lines: [String: Int] = [:]

    private enum Keys: String, CodingKey {
        case format, id, version, title, summary, steps
        case allowSkip = "allow_skip"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        format = try c.decode(Int.self, forKey: .format)
        id = try c.decode(String.self, forKey: .id)
        version = try c.decode(Int.self, forKey: .version)
        title = try c.decode(LocalizedText.self, forKey: .title)
        summary = try c.decodeIfPresent(LocalizedText.self, forKey: .summary)
        allowSkip = try c.decodeIfPresent(Bool.self, forKey: .allowSkip) ?? true
        steps = try c.decode([Step].self, forKey: .steps)
    }

    /// The index of the step called `id`.
    public func stepIndex(_ id: String) -> Int? { steps.firstIndex { $0.id == id } }

    /// Whether `skip` is allowed on `step`.
    public func skipAllowed(_ step: Step) -> Bool { step.allowSkip ?? allowSkip }

    /// The steps the lesson needs for ✓: all but the optional ones.
    public var requiredSteps: [Step] { steps.filter(\.isRequired) }

    /// `file:line` of a path such as `steps[2].hints`, or the file alone when the line is unknown.
    public func location(_ path: String) -> String {
        var p = path
        while !p.isEmpty {
            if let line = lines[p] { return "\(file):\(line)" }
            guard let cut = p.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            p = String(p[..<cut])
        }
        return lines[""].map { "\(file):\($0)" } ?? file
    }
}
