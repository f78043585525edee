import SwapLabAnalysis
import SwapLabModel

/// A language the course is written in. Korean is the source language of the course notes.
public enum Language: String, CaseIterable, Sendable, Codable {
    case en, ko

    /// The language named by a locale string (`ko_KR.UTF-8`, `en_US`, `ko`), nil when neither.
    public init?(locale: String) {
        let l = locale.lowercased()
        if l.hasPrefix("ko") { self = .ko } else if l.hasPrefix("en") { self = .en } else { return nil }
    }

    /// The learner's language from `LC_ALL`, `LC_MESSAGES`, `LANG` (first set wins), else English.
    public static func fromEnvironment(_ environment: [String: String]) -> Language {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let v = environment[key], !v.isEmpty { return Language(locale: v) ?? .en }
        }
        return .en
    }
}

/// A text the learner reads, in every course language: `{en: …, ko: …}` in a lesson file.
public struct LocalizedText: Hashable, Sendable, Decodable {
    /// The text per language; a missing language is absent (the linter reports it).
    public var texts: [Language: String]

    public init(en: String, ko: String) { texts = [.en: en, .ko: ko] }
    public init(texts: [Language: String]) { self.texts = texts }

    /// The text in `language`, falling back to the other language when missing or empty.
    public func text(_ language: Language) -> String {
        if let t = texts[language], !t.isEmpty { return t }
        return Language.allCases.lazy.compactMap { self.texts[$0] }.first { !$0.isEmpty } ?? ""
    }

    public subscript(_ language: Language) -> String { text(language) }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let map = try? container.decode([String: String].self) else {
            throw DecodingError.typeMismatch(
                LocalizedText.self,
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "a learner-visible text must be a map with both languages: {en: …, ko: …}"))
        }
        var texts: [Language: String] = [:]
        for (key, value) in map {
            guard let lang = Language(rawValue: key) else {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: decoder.codingPath,
                        debugDescription: "unknown language '\(key)'; texts take the keys en and ko"))
            }
            texts[lang] = value
        }
        self.texts = texts
    }
}

/// An error the learner meets in the course, said in the course language: `problem(.ko)` is the Korean sentence,
/// `remedy(.ko)` the Korean advice. The shell's error presenter asks for them in the learner's language.
public protocol CourseError: LearnerError {
    func problem(_ language: Language) -> String
    func remedy(_ language: Language) -> String?
}

extension CourseError {
    public func remedy(_ language: Language) -> String? { remedy }

    /// `problem; remedy` in `language` (as `LearnerError.sentence`).
    public func sentence(_ language: Language) -> String {
        let problem = problem(language)
        guard let remedy = remedy(language) else { return problem }
        return problem + (problem.contains("\n") ? "\n" : "; ") + remedy
    }
}
