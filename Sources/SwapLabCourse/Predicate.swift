import Foundation
import SwapLabAnalysis
import SwapLabModel

/// A watermark a predicate compares free pages with.
public enum WatermarkLevel: String, CaseIterable, Sendable, Decodable {
    case min, low, high

    /// This watermark of `zone`, in pages (as /proc/zoneinfo prints it, boost included).
    public func pages(in zone: ZoneSample) -> Pages {
        switch self {
        case .min: return zone.min
        case .low: return zone.low
        case .high: return zone.high
        }
    }
}

/// A comparison in a counter predicate (`"> 0"`, `">= 100"`, `"== 0"`).
public struct Comparison: Hashable, Sendable, CustomStringConvertible {
    public enum Operator: String, CaseIterable, Sendable { case ge = ">=", le = "<=", eq = "==", gt = ">", lt = "<" }
    public var op: Operator
    public var value: Int64

    /// Parses `"> 0"`; nil when the text is not an operator followed by an integer.
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let op = Operator.allCases.first(where: { t.hasPrefix($0.rawValue) }),
            let v = Int64(t.dropFirst(op.rawValue.count).trimmingCharacters(in: .whitespaces))
        else { return nil }
        self.op = op
        self.value = v
    }

    public func holds(_ x: Int64) -> Bool {
        switch op {
        case .gt: return x > value
        case .ge: return x >= value
        case .lt: return x < value
        case .le: return x <= value
        case .eq: return x == value
        }
    }

    public var description: String { "\(op.rawValue) \(value)" }
}

/// A named group of an `output` pattern whose captured integer must compare as given (`where: {pages: "> 0"}`).
public struct GroupComparison: Hashable, Sendable {
    public var group: String
    public var comparison: Comparison

    public init(group: String, comparison: Comparison) {
        self.group = group
        self.comparison = comparison
    }
}

/// The tracepoints lessons may name, and the short names lessons use for them.
public enum Tracepoints {
    /// Short names → kernel tracepoint names (`include/trace/events/vmscan.h`, `oom.h`).
    public static let aliases: [String: String] = [
        "kswapd_wake": TracepointName.kswapdWake.rawValue,
        "kswapd_sleep": TracepointName.kswapdSleep.rawValue,
        "wakeup_kswapd": TracepointName.wakeupKswapd.rawValue,
        "direct_reclaim": TracepointName.directReclaimBegin.rawValue,
        "direct_reclaim_end": TracepointName.directReclaimEnd.rawValue,
        "oom_kill": TracepointName.markVictim.rawValue,
        "write_folio": TracepointName.writeFolio.rawValue,
    ]

    /// Every vmscan and oom event of Linux 6.18 (the fixtures' `events/vmscan` and `events/oom` listings).
    public static let known: Set<String> = Set(TracepointName.linux618.map(\.rawValue))

    /// The kernel name for `name` (an alias or a tracepoint name), nil when unknown.
    public static func resolve(_ name: String) -> String? {
        if let a = aliases[name] { return a }
        return known.contains(name) ? name : nil
    }
}

/// Which zones a `free` predicate looks at.
public enum ZoneSelector: Hashable, Sendable {
    /// The zone of node 0 with the most managed pages: where most allocations land (Normal on a big machine,
    /// DMA32 on a small one). The default, because DMA never moves and would satisfy "above high" trivially.
    case largest
    /// Any sampled zone.
    case any
    /// This zone of node 0.
    case zone(ZoneType)
}

/// What a predicate tests.
public enum Condition: Sendable {
    /// Free pages below (`free <= mark`, the watermark check fails) or above (`free > mark`, it passes) a
    /// watermark, in one zone, any zone, or (by default) the largest zone of node 0; `last` looks only at the
    /// window's last sample. The comparison mirrors `__zone_watermark_ok()` in mm/page_alloc.c for order 0.
    case free(zone: ZoneSelector, below: Bool, mark: WatermarkLevel, lastOnly: Bool)
    /// At least `atLeast` (or at most `atMost`) events of tracepoint `name` in the window, optionally only
    /// after the moment predicate `after` was first met.
    case event(name: String, atLeast: Int, atMost: Int?, after: String?)
    /// The change of a /proc/vmstat counter over the window compares as given (`pswpout > 0`).
    case counter(name: String, delta: Comparison)
    /// The OOM killer chose a victim: a `mark_victim` event or an `oom_kill` counter increase.
    case oomKill
    /// The output of the commands in the window (errors included) matches a regular expression; each entry of
    /// `compare` names a group of the pattern whose captured integer must compare as given (`pages: "> 524288"`).
    case output(pattern: String, compare: [GroupComparison] = [])
    /// A predicate name this engine does not know (the linter reports it; it always fails).
    case unknown(String, reason: String)
}

/// A named check inside `expect.all`, with its own feedback shown when it fails.
public struct Predicate: Sendable, Decodable {
    public var id: String
    public var condition: Condition
    /// Shown when this predicate fails; `{…}` placeholders are filled with the observed values.
    public var feedback: LocalizedText?

    public init(id: String, condition: Condition, feedback: LocalizedText? = nil) {
        self.id = id
        self.condition = condition
        self.feedback = feedback
    }

    /// The names of the predicates a lesson may use.
    public static let knownNames = ["free", "event", "counter", "oom_kill", "output"]

    /// Placeholders each predicate fills (for the linter and for lesson authors).
    public static func placeholders(for condition: Condition) -> Set<String> {
        switch condition {
        case .free:
            return [
                "zone", "node", "free", "min", "low", "high", "mark", "gap", "free_bytes", "gap_bytes", "at", "secs",
            ]
        case .event: return ["event", "count", "at", "secs", "nid", "order", "comm", "pid"]
        case .counter: return ["counter", "delta", "before", "after", "expect"]
        case .oomKill: return ["count", "victim", "pid", "at", "secs"]
        case .output(let pattern, _):
            // Named groups of the pattern (`(?<low>\d+)`) fill placeholders of their own.
            return Set(["matched"] + pattern.matches(of: /\(\?<([a-z_][a-z0-9_]*)>/).map { String($0.output.1) })
        case .unknown: return []
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private struct FreeSpec: Decodable {
        var zone: String?
        var below: WatermarkLevel?
        var above: WatermarkLevel?
        var when: String?
    }

    private struct EventSpec: Decodable {
        var name: String
        var atLeast: Int? = nil
        var atMost: Int? = nil
        var after: String? = nil

        enum CodingKeys: String, CodingKey {
            case name, after
            case atLeast = "at_least"
            case atMost = "at_most"
        }
    }

    private struct CounterSpec: Decodable {
        var name: String
        var delta: String
    }

    private struct OutputSpec: Decodable {
        var matches: String
        var `where`: [String: String]? = nil
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        id = try c.decode(String.self, forKey: AnyKey(stringValue: "id"))
        feedback = try c.decodeIfPresent(LocalizedText.self, forKey: AnyKey(stringValue: "feedback"))
        let names = c.allKeys.map(\.stringValue).filter { $0 != "id" && $0 != "feedback" }
        guard names.count == 1, let name = names.first else {
            condition = .unknown(
                names.joined(separator: ","),
                reason: names.isEmpty
                    ? "has no condition; add one of \(Predicate.knownNames.joined(separator: ", "))"
                    : "has several conditions (\(names.sorted().joined(separator: ", "))); give each its own id")
            return
        }
        let key = AnyKey(stringValue: name)
        switch name {
        case "free": condition = try Self.freeCondition(c, key)
        case "event": condition = try Self.eventCondition(c, key)
        case "counter": condition = try Self.counterCondition(c, key)
        case "oom_kill": condition = .oomKill
        case "output": condition = try Self.outputCondition(c, key)
        default:
            condition = .unknown(
                name,
                reason: "uses the unknown predicate '\(name)'; known: \(Predicate.knownNames.joined(separator: ", "))")
        }
    }

    private typealias Container = KeyedDecodingContainer<AnyKey>

    /// `free: {zone:, below:|above:, when:}`: the zone (default the largest), exactly one watermark, `any` or `last`.
    private static func freeCondition(_ c: Container, _ key: AnyKey) throws -> Condition {
        let s = try c.decode(FreeSpec.self, forKey: key)
        var zone = ZoneSelector.largest
        if let z = s.zone {
            if z.lowercased() == "any" {
                zone = .any
            } else if let t = ZoneType(name: z) {
                zone = .zone(t)
            } else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: c,
                    debugDescription:
                        "unknown zone '\(z)'; use DMA, DMA32, Normal, Movable or any (or leave it out)")
            }
        }
        guard (s.below == nil) != (s.above == nil), let mark = s.below ?? s.above else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: c,
                debugDescription: "free needs exactly one of below: or above: (min, low or high)")
        }
        guard s.when == nil || s.when == "any" || s.when == "last" else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: c, debugDescription: "when: takes any or last, not '\(s.when ?? "")'")
        }
        return .free(zone: zone, below: s.below != nil, mark: mark, lastOnly: s.when == "last")
    }

    /// `event: NAME` or `event: {name:, at_least:, at_most:, after:}`; a name no tracepoint resolves to is `unknown`.
    private static func eventCondition(_ c: Container, _ key: AnyKey) throws -> Condition {
        let s: EventSpec
        if let plain = try? c.decode(String.self, forKey: key) {
            s = EventSpec(name: plain)
        } else {
            s = try c.decode(EventSpec.self, forKey: key)
        }
        guard let tp = Tracepoints.resolve(s.name) else {
            return .unknown(
                "event",
                reason: "names an unknown event '\(s.name)'; use kswapd_wake, kswapd_sleep, wakeup_kswapd, "
                    + "direct_reclaim, oom_kill or a vmscan/oom tracepoint name")
        }
        return .event(name: tp, atLeast: s.atLeast ?? (s.atMost == nil ? 1 : 0), atMost: s.atMost, after: s.after)
    }

    /// `counter: {name:, delta: "> 0"}`.
    private static func counterCondition(_ c: Container, _ key: AnyKey) throws -> Condition {
        let s = try c.decode(CounterSpec.self, forKey: key)
        guard let cmp = Comparison(s.delta) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: c,
                debugDescription: "delta '\(s.delta)' is not a comparison; write it like \"> 0\"")
        }
        return .counter(name: s.name, delta: cmp)
    }

    /// `output: PATTERN` or `output: {matches:, where: {group: comparison}}`: the pattern must compile, and every
    /// comparison parse; comparisons are kept in group-name order.
    private static func outputCondition(_ c: Container, _ key: AnyKey) throws -> Condition {
        let s: OutputSpec
        if let plain = try? c.decode(String.self, forKey: key) {
            s = OutputSpec(matches: plain)
        } else {
            s = try c.decode(OutputSpec.self, forKey: key)
        }
        do { _ = try BoundedPattern(s.matches) } catch {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: c,
                debugDescription: "'\(s.matches)' is not a pattern swaplab matches: \(error.description)")
        }
        var compare: [GroupComparison] = []
        for (group, text) in (s.where ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let cmp = Comparison(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: c,
                    debugDescription: "where: \(group): '\(text)' is not a comparison; write it like \"> 524288\"")
            }
            compare.append(GroupComparison(group: group, comparison: cmp))
        }
        return .output(pattern: s.matches, compare: compare)
    }
}

/// A command step's `input` pattern: the regular-expression subset lessons use (see `BoundedPattern`), always
/// matched against the whole typed command, in time linear in its length: `(x+x+)+y` against 20,000 characters is
/// instant.
public struct LinePattern: Sendable {
    public typealias Problem = BoundedPattern.Problem
    let pattern: BoundedPattern
    public var source: String { pattern.source }

    public init(_ text: String) throws(Problem) { pattern = try BoundedPattern(text) }

    /// Whether the whole of `line` matches.
    public func matches(_ line: String) -> Bool { pattern.wholeMatch(line) }
}

/// The regular expressions lessons may write, for `input` and `output` patterns: literals, `.`, classes (`[a-z]`,
/// `[^ ]`, `\d`, `\s`, `\S`, `\w`), groups (plain, named `(?<n>…)`, `(?:…)`), `|`, `*`, `+`, `?` and `{m,n}` (up to
/// 100), each also lazy (`*?`), and the assertions `^`, `$`, `\b`, `\B`. Backreferences and lookaround, which need
/// backtracking, are refused when the lesson is loaded.
///
/// It is compiled to an NFA and run as a Pike VM: every live thread advances one character at a time, in priority
/// order, so a search takes at most (states × characters) steps, never more, whatever the pattern — and it finds
/// the same leftmost match, with the same groups, that a backtracking engine would.
public struct BoundedPattern: Sendable {
    /// Why a pattern cannot be used, for the loader's message.
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The longest pattern, the most NFA states, and the longest text searched (longer text is not matched).
    public static let maxPatternLength = 1024
    public static let maxStates = 4096
    public static let maxTextLength = 1 << 20

    /// One NFA state.
    enum State: Sendable {
        case scalar(CharClass, next: Int)
        case split(Int, Int)
        case jump(Int)
        case save(slot: Int, next: Int)
        case assert(Assertion, next: Int)
        case accept
    }

    /// A zero-width test at a position.
    enum Assertion: Sendable {
        case start, end, wordBoundary, notWordBoundary
    }

    /// A set of scalars: ranges, plus the complements of negated shorthands (`[\\s\\S]`), all negated by `[^…]`.
    struct CharClass: Sendable {
        var ranges: [ClosedRange<UInt32>] = []
        var negated = false
        /// Ranges whose complement belongs to the set (a `\\S`, `\\D` or `\\W` inside `[…]`).
        var complements: [[ClosedRange<UInt32>]] = []

        static let any = CharClass(ranges: [0...0x9, 0xB...0x10FFFF])
        func contains(_ v: UInt32) -> Bool {
            var hit = ranges.contains { $0.contains(v) }
            if !hit { hit = complements.contains { set in !set.contains { $0.contains(v) } } }
            return hit != negated
        }
    }

    /// The parsed pattern.
    indirect enum Node: Sendable {
        case empty
        case set(CharClass)
        case assertion(Assertion)
        case group(Node, capture: Int?)
        case concat([Node])
        case alternation([Node])
        case repeated(Node, min: Int, max: Int?, lazy: Bool)
    }

    let states: [State]
    let start: Int
    /// Capture groups: the name of each (nil when unnamed), group 1 first.
    let groupNames: [String?]
    public let source: String

    public init(_ pattern: String) throws(Problem) {
        guard pattern.unicodeScalars.count <= BoundedPattern.maxPatternLength else {
            throw Problem(description: "the pattern is longer than \(BoundedPattern.maxPatternLength) characters")
        }
        source = pattern
        var parser = Parser(Array(pattern.unicodeScalars))
        let node = try parser.parseAlternation()
        guard parser.atEnd else { throw Problem(description: "unbalanced ')' at character \(parser.index + 1)") }
        groupNames = parser.groupNames
        var builder = Builder()
        let accept = builder.add(.accept)
        start = try builder.compile(node, then: accept)
        states = builder.states
    }

    /// Whether the word characters of `\b` (letters, digits, `_`) hold `v`.
    static func isWord(_ v: UInt32?) -> Bool {
        guard let v else { return false }
        return (0x30...0x39).contains(v) || (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v) || v == 0x5F
            || (v >= 0x80
                && Unicode.Scalar(v).map { $0.properties.isAlphabetic || $0.properties.numericType != nil }
                    == true)
    }

    static func holds(_ a: Assertion, at i: Int, in text: [UInt32]) -> Bool {
        switch a {
        case .start: return i == 0
        case .end: return i == text.count
        case .wordBoundary, .notWordBoundary:
            let boundary = isWord(i > 0 ? text[i - 1] : nil) != isWord(i < text.count ? text[i] : nil)
            return (a == .wordBoundary) == boundary
        }
    }

    /// Whether the whole of `text` matches.
    public func wholeMatch(_ text: String) -> Bool {
        let scalars = text.unicodeScalars.map(\.value)
        guard scalars.count <= BoundedPattern.maxTextLength else { return false }
        return run(scalars, anchoredAt: 0, whole: true) != nil
    }

    /// The leftmost match in `text` (what a backtracking engine's `firstMatch` finds): the matched text and each
    /// named group's text, or nil.
    public func firstMatch(in text: String) -> (matched: String, groups: [String: String])? {
        let scalars = text.unicodeScalars.map(\.value)
        guard scalars.count <= BoundedPattern.maxTextLength,
            let slots = run(scalars, anchoredAt: nil, whole: false)
        else { return nil }
        func slice(_ a: Int, _ b: Int) -> String {
            var view = String.UnicodeScalarView()
            for v in scalars[a..<b] { if let u = Unicode.Scalar(v) { view.append(u) } }
            return String(view)
        }
        var groups: [String: String] = [:]
        for (g, name) in groupNames.enumerated() {
            let a = slots[2 * (g + 1)]
            let b = slots[2 * (g + 1) + 1]
            if let name, a >= 0, b >= a { groups[name] = slice(a, b) }
        }
        return (slice(slots[0], slots[1]), groups)
    }

    /// The Pike VM: threads in priority order, each with its capture slots; a new thread starts at every position
    /// until a match is found (unless anchored). Returns the slots of the best match.
    func run(_ text: [UInt32], anchoredAt anchor: Int?, whole: Bool) -> [Int]? {
        typealias Thread = (state: Int, slots: [Int])
        let slotCount = 2 * (groupNames.count + 1)
        var current: [Thread] = []
        var next: [Thread] = []
        // A state enters a list once per step: `mark[s] == generation` when it already has.
        var mark = [Int](repeating: -1, count: states.count)
        var generation = 0
        var best: [Int]? = nil

        /// Follows splits, jumps, saves and assertions from `state` at position `i`, in priority order.
        func add(_ state: Int, _ slots: [Int], at i: Int, to list: inout [Thread]) {
            var stack: [Thread] = [(state, slots)]
            while let (s, caps) = stack.popLast() {
                if mark[s] == generation { continue }
                mark[s] = generation
                switch states[s] {
                case .split(let a, let b):
                    stack.append((b, caps))
                    stack.append((a, caps))
                case .jump(let a):
                    stack.append((a, caps))
                case .save(let slot, let to):
                    var c = caps
                    c[slot] = i
                    stack.append((to, c))
                case .assert(let a, let to):
                    if BoundedPattern.holds(a, at: i, in: text) { stack.append((to, caps)) }
                case .scalar, .accept:
                    list.append((s, caps))
                }
            }
        }

        var i = 0
        while true {
            if best == nil && (anchor == nil || anchor == i) {
                // A new attempt at this position, with the lowest priority (after every thread already running).
                var slots = [Int](repeating: -1, count: slotCount)
                slots[0] = i
                add(start, slots, at: i, to: &current)
            }
            if current.isEmpty && (best != nil || anchor.map { i >= $0 } == true) { break }
            generation += 1
            next.removeAll(keepingCapacity: true)
            let scalar: UInt32? = i < text.count ? text[i] : nil
            threads: for (s, slots) in current {
                switch states[s] {
                case .accept:
                    if !whole || i == text.count {
                        var done = slots
                        done[1] = i
                        best = done
                        // Every later thread has lower priority: this match wins over them.
                        break threads
                    }
                case .scalar(let set, let to):
                    if let scalar, set.contains(scalar) { add(to, slots, at: i + 1, to: &next) }
                default:
                    break
                }
            }
            swap(&current, &next)
            if i == text.count { break }
            i += 1
        }
        return best
    }

    /// Recursive descent over the pattern's scalars.
    struct Parser {
        let text: [Unicode.Scalar]
        var index = 0
        var depth = 0
        var groupNames: [String?] = []

        init(_ text: [Unicode.Scalar]) { self.text = text }

        var atEnd: Bool { index >= text.count }
        func peek(_ offset: Int = 0) -> Unicode.Scalar? {
            index + offset < text.count ? text[index + offset] : nil
        }

        func problem(_ what: String, at position: Int? = nil) -> Problem {
            Problem(description: "\(what) at character \((position ?? index) + 1)")
        }

        mutating func parseAlternation() throws(Problem) -> Node {
            var branches = [try parseConcat()]
            while peek() == "|" {
                index += 1
                branches.append(try parseConcat())
            }
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        mutating func parseConcat() throws(Problem) -> Node {
            var items: [Node] = []
            while let c = peek(), c != "|", c != ")" {
                var atom = try parseAtom()
                while let q = peek(), q == "*" || q == "+" || q == "?" || q == "{" {
                    if case .assertion = atom { throw problem("an assertion cannot be repeated") }
                    let (min, max) = try parseQuantifier()
                    var lazy = false
                    if peek() == "?" {
                        lazy = true
                        index += 1
                    } else if peek() == "+" {
                        throw problem("possessive quantifiers are not supported")
                    }
                    atom = .repeated(atom, min: min, max: max, lazy: lazy)
                }
                items.append(atom)
            }
            return items.count == 1 ? items[0] : .concat(items)
        }

        mutating func parseQuantifier() throws(Problem) -> (Int, Int?) {
            let c = text[index]
            index += 1
            switch c {
            case "*": return (0, nil)
            case "+": return (1, nil)
            case "?": return (0, 1)
            default:
                func number() -> Int? {
                    var digits = ""
                    while let d = peek(), ("0"..."9").contains(d), digits.count < 4 {
                        digits.unicodeScalars.append(d)
                        index += 1
                    }
                    return Int(digits)
                }
                guard let low = number() else { throw problem("'{' must be followed by a count, as in {2} or {1,3}") }
                var high: Int? = low
                if peek() == "," {
                    index += 1
                    high = number()
                }
                guard peek() == "}" else { throw problem("a '{m,n}' count is not closed") }
                index += 1
                guard low <= 100, (high ?? 0) <= 100, high.map({ $0 >= low }) ?? true else {
                    throw problem("counts in '{m,n}' must be 0…100 with m ≤ n")
                }
                return (low, high)
            }
        }

        mutating func parseAtom() throws(Problem) -> Node {
            let at = index
            let c = text[index]
            index += 1
            switch c {
            case "(":
                var capture: Int? = nil
                if peek() == "?" {
                    if peek(1) == ":" {
                        index += 2
                    } else if peek(1) == "<", let n = peek(2), n != "=", n != "!" {
                        index += 2
                        var name = ""
                        while let x = peek(), x != ">" {
                            name.unicodeScalars.append(x)
                            index += 1
                        }
                        guard peek() == ">", !name.isEmpty else { throw problem("a group name is not closed", at: at) }
                        index += 1
                        groupNames.append(name)
                        capture = groupNames.count
                    } else {
                        throw problem("lookaround and other '(?' groups are not supported", at: at)
                    }
                } else {
                    groupNames.append(nil)
                    capture = groupNames.count
                }
                depth += 1
                guard depth <= 32 else { throw problem("groups nest deeper than 32", at: at) }
                let inner = try parseAlternation()
                guard peek() == ")" else { throw problem("a '(' is not closed", at: at) }
                index += 1
                depth -= 1
                return .group(inner, capture: capture)
            case ".": return .set(.any)
            case "[": return .set(try parseClass())
            case "^": return .assertion(.start)
            case "$": return .assertion(.end)
            case "\\":
                if peek() == "b" {
                    index += 1
                    return .assertion(.wordBoundary)
                }
                if peek() == "B" {
                    index += 1
                    return .assertion(.notWordBoundary)
                }
                return .set(try parseEscape())
            case "*", "+", "?", "{": throw problem("'\(c)' has nothing to repeat", at: at)
            default: return .set(CharClass(ranges: [c.value...c.value]))
            }
        }

        mutating func parseEscape() throws(Problem) -> CharClass {
            let backslash = index - 1
            guard let e = peek() else { throw problem("the pattern ends with a lone '\\'", at: backslash) }
            index += 1
            let digit: ClosedRange<UInt32> = 0x30...0x39
            let space: [ClosedRange<UInt32>] = [
                0x9...0xD, 0x20...0x20, 0x85...0x85, 0xA0...0xA0, 0x2000...0x200A, 0x3000...0x3000,
            ]
            let word: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
            switch e {
            case "d": return CharClass(ranges: [digit])
            case "D": return CharClass(ranges: [digit], negated: true)
            case "s": return CharClass(ranges: space)
            case "S": return CharClass(ranges: space, negated: true)
            case "w": return CharClass(ranges: word)
            case "W": return CharClass(ranges: word, negated: true)
            case "t": return CharClass(ranges: [0x9...0x9])
            case "n": return CharClass(ranges: [0xA...0xA])
            case "r": return CharClass(ranges: [0xD...0xD])
            case "1"..."9", "k", "b", "B", "A", "z", "Z", "G", "p", "P", "x", "u", "N", "R", "X", "K":
                throw problem("'\\\(e)' is not supported in a lesson pattern", at: backslash)
            default: return CharClass(ranges: [e.value...e.value])
            }
        }

        mutating func parseClass() throws(Problem) -> CharClass {
            let open = index - 1
            var set = CharClass()
            if peek() == "^" {
                set.negated = true
                index += 1
            }
            var first = true
            while let c = peek(), c != "]" || first {
                first = false
                index += 1
                var low: UInt32
                if c == "\\" {
                    let e = try parseEscape()
                    if e.negated {
                        set.complements.append(e.ranges)
                        continue
                    }
                    if e.ranges.count != 1 || e.ranges[0].count != 1 {
                        set.ranges += e.ranges
                        continue
                    }
                    low = e.ranges[0].lowerBound
                } else if c == "[" {
                    throw problem("nested '[' classes are not supported; escape it as \\[")
                } else {
                    low = c.value
                }
                if peek() == "-", let h = peek(1), h != "]" {
                    index += 2
                    var high = h.value
                    if h == "\\" {
                        let e = try parseEscape()
                        guard !e.negated, e.ranges.count == 1, e.ranges[0].count == 1 else {
                            throw problem("a range in '[…]' must end with one character")
                        }
                        high = e.ranges[0].lowerBound
                    }
                    guard high >= low else { throw problem("the range in '[…]' runs backwards") }
                    set.ranges.append(low...high)
                } else {
                    set.ranges.append(low...low)
                }
            }
            guard peek() == "]" else { throw problem("a '[' is not closed", at: open) }
            index += 1
            return set
        }
    }

    /// Builds NFA states back to front: each node is compiled with the state that follows it.
    struct Builder {
        var states: [State] = []

        mutating func add(_ s: State) -> Int {
            states.append(s)
            return states.count - 1
        }

        mutating func compile(_ node: Node, then next: Int) throws(Problem) -> Int {
            guard states.count < BoundedPattern.maxStates else {
                throw Problem(
                    description: "the pattern needs more than \(BoundedPattern.maxStates) states; simplify it")
            }
            switch node {
            case .empty:
                return next
            case .set(let set):
                return add(.scalar(set, next: next))
            case .assertion(let a):
                return add(.assert(a, next: next))
            case .group(let inner, let capture):
                guard let g = capture else { return try compile(inner, then: next) }
                let close = add(.save(slot: 2 * g + 1, next: next))
                let body = try compile(inner, then: close)
                return add(.save(slot: 2 * g, next: body))
            case .concat(let items):
                var at = next
                for item in items.reversed() { at = try compile(item, then: at) }
                return at
            case .alternation(let branches):
                var starts: [Int] = []
                for b in branches { starts.append(try compile(b, then: next)) }
                var at = starts[starts.count - 1]
                for s in starts.dropLast().reversed() { at = add(.split(s, at)) }
                return at
            case .repeated(let inner, let min, let max, let lazy):
                // Greedy prefers another round (the body first); lazy prefers to go on.
                func choice(_ body: Int, _ skip: Int) -> State { lazy ? .split(skip, body) : .split(body, skip) }
                var at = next
                if let max {
                    for _ in 0..<(max - min) {
                        let body = try compile(inner, then: at)
                        at = add(choice(body, next))
                    }
                } else {
                    let loop = add(.jump(-1))
                    let body = try compile(inner, then: loop)
                    states[loop] = choice(body, at)
                    at = loop
                }
                for _ in 0..<min { at = try compile(inner, then: at) }
                return at
            }
        }
    }
}
