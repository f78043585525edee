import SwapLabCourse

/// The shell's words in one language: each sentence is written as a pair, English and Korean, and `Words` picks
/// one. Renderers (`EngineText`, the course commands) take a `Words` instead of asking which language is on, so
/// the pairs stay side by side and no renderer branches on the language itself.
struct Words: Sendable {
    var language: Language

    static let en = Words(language: .en)

    /// `en` or `ko`, by the language.
    func callAsFunction(_ en: String, _ ko: String) -> String { language == .ko ? ko : en }

    /// Seconds, `2.35 s` or `2.35초`.
    func seconds(_ s: Double, decimals: Int = 2) -> String {
        let n = String(format: "%.\(decimals)f", s)
        return self("\(n) s", "\(n)초")
    }

    /// `n` and a noun: `1 pass`, `3 passes`; in Korean `패스 3번` (Korean needs no plural).
    func count(_ n: Int64, _ one: String, _ many: String, ko noun: String, unit: String = "번") -> String {
        self("\(n) \(n == 1 ? one : many)", "\(noun) \(n)\(unit)")
    }
}

extension Session {
    /// The words in the session's language (the course's `lang`).
    var words: Words { Words(language: language) }
}

extension Session {
    /// Writes a command's report in the learner's language, wrapped to the width. The command is graded on the
    /// English report, the words lessons' `output` patterns are written against, so a check reads the same in
    /// every language (`Output.paragraph(_:recorded:)`).
    func report(_ render: (Words) throws -> String) rethrows {
        let said = try render(words)
        output.paragraph(said, recorded: language == .en ? said : try render(.en))
    }
}

extension Session {
    /// Writes a report of several lines in the learner's language and records the English one, as
    /// `report(_:)` does for a paragraph: `render` lays the lines out on an output of the same width and colour,
    /// once in each language, so a lesson's `output` pattern reads the English record in every language.
    func report(lines render: (Output, Words) -> Void) {
        func laidOut(_ w: Words) -> (shown: String, recorded: String) {
            let out = Output(capturingWidth: output.width, color: output.color)
            let ((), recorded) = out.recording { render(out, w) }
            return (out.captured, recorded)
        }
        let said = laidOut(words)
        output.written(said.shown, recorded: language == .en ? said.recorded : laidOut(.en).recorded)
    }
}
