/// Splits a shell line into commands and words: single and double quotes, backslash escapes, `;` between
/// commands, `#` comments at the start of a word.
public enum Tokenizer {
    /// What is wrong with a line that cannot be split.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unterminatedQuote(Character)
        case danglingEscape

        public var description: String {
            switch self {
            case .unterminatedQuote(let q): return "missing closing \(q); close the quote and try again"
            case .danglingEscape: return "the line ends with a lone backslash; remove it or escape it as \\\\"
            }
        }
    }

    /// The commands of `line` (split at unquoted `;`), each a list of words; empty commands are dropped.
    public static func commands(_ line: String) throws(Failure) -> [[String]] {
        var commands: [[String]] = []
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character? = nil
        var escaping = false
        var iterator = line.makeIterator()
        func endWord() {
            if inWord { words.append(word) }
            word = ""
            inWord = false
        }
        while let c = iterator.next() {
            if escaping {
                word.append(c)
                escaping = false
                continue
            }
            if let q = quote {
                if c == q {
                    quote = nil
                } else if c == "\\" && q == "\"" {
                    escaping = true
                } else {
                    word.append(c)
                }
                continue
            }
            switch c {
            case "\\":
                escaping = true
                inWord = true
            case "'", "\"":
                quote = c
                inWord = true
            case ";", "\n", "\r\n":
                // A line break (in `-c 'a\nb'`) ends a command as `;` does.
                endWord()
                if !words.isEmpty { commands.append(words) }
                words = []
            case "#" where !inWord:
                endWord()
                if !words.isEmpty { commands.append(words) }
                return commands
            case " ", "\t", "\r":
                endWord()
            default:
                word.append(c)
                inWord = true
            }
        }
        if let q = quote { throw .unterminatedQuote(q) }
        if escaping { throw .danglingEscape }
        endWord()
        if !words.isEmpty { commands.append(words) }
        return commands
    }
}
