import ArgumentParser
import Foundation
import SwapLabModel

/// A command that completes more than its ArgumentParser definition says: subcommand words (`engine` → sim, live;
/// `trace` → on, off, show, stats) or options whose values are files. Options declared with
/// `@Option(completion: .file())` and enum-valued arguments complete without this protocol.
public protocol CompletionProvider {
    /// Candidates for the last word of `words` (the words after the command name, options included; the last one is
    /// the word being typed, possibly empty). Asked only where a positional word goes (option values come from the
    /// option's declaration). Return whole words; the completer keeps those that start with the typed text.
    static func completions(for words: [String]) -> [String]
    /// Option names (e.g. `--trace`) whose value is a file path.
    static var fileOptions: [String] { get }
    /// True when the command's positional arguments are file paths.
    static var completesFilePaths: Bool { get }
}

extension CompletionProvider {
    public static func completions(for words: [String]) -> [String] { [] }
    public static var fileOptions: [String] { [] }
    public static var completesFilePaths: Bool { false }
}

/// The options and arguments of one command, read from ArgumentParser's own description of it (the JSON that
/// `--experimental-dump-help` prints), so completion never drifts from the parser.
public struct CommandSyntax: Sendable, Equatable {
    /// What may follow an option, or fill a positional argument.
    public struct Value: Sendable, Equatable {
        public var choices: [String] = []
        public var files = false
    }

    /// One named option or flag.
    public struct Option: Sendable, Equatable {
        public var names: [String]
        /// False for flags.
        public var takesValue: Bool
        public var value: Value
    }

    public var options: [Option] = []
    public var positionals: [Value] = []

    /// Every option name, long ones first.
    public var optionNames: [String] {
        let names = options.flatMap(\.names)
        return names.filter { $0.hasPrefix("--") } + names.filter { !$0.hasPrefix("--") }
    }

    /// The option called `name`.
    public func option(named name: String) -> Option? { options.first { $0.names.contains(name) } }

    /// The syntax of `type`, or an empty one if ArgumentParser's description cannot be read.
    public static func of(_ type: any ParsableCommand.Type) -> CommandSyntax {
        let text: String
        do {
            _ = try type.parseAsRoot(["--experimental-dump-help"])
            return CommandSyntax()
        } catch {
            text = type.fullMessage(for: error)
        }
        return parse(dumpHelpJSON: text) ?? CommandSyntax()
    }

    /// Reads the `command.arguments` of ArgumentParser's dump-help JSON (ToolInfoV0), leniently.
    static func parse(dumpHelpJSON text: String) -> CommandSyntax? {
        guard let root = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let command = root["command"] as? [String: Any]
        else { return nil }
        var syntax = CommandSyntax()
        for argument in command["arguments"] as? [[String: Any]] ?? [] {
            var value = Value()
            value.choices = argument["allValues"] as? [String] ?? []
            if let kind = argument["completionKind"] as? [String: Any] {
                if let list = kind["list"] as? [String: Any], let values = list["values"] as? [String] {
                    value.choices += values
                }
                if kind["file"] != nil || kind["directory"] != nil { value.files = true }
            }
            var seen = Set<String>()
            value.choices = value.choices.filter { seen.insert($0).inserted }
            let names = (argument["names"] as? [[String: Any]] ?? []).compactMap { name -> String? in
                guard let n = name["name"] as? String, let k = name["kind"] as? String else { return nil }
                return k == "long" ? "--" + n : "-" + n
            }
            switch argument["kind"] as? String {
            case "positional": syntax.positionals.append(value)
            case "option": syntax.options.append(Option(names: names, takesValue: true, value: value))
            case "flag": syntax.options.append(Option(names: names, takesValue: false, value: value))
            default: continue
            }
        }
        if syntax.option(named: "--help") == nil {
            syntax.options.append(Option(names: ["--help", "-h"], takesValue: false, value: Value()))
        }
        return syntax
    }
}

/// Works out what Tab completes at the cursor: command names first, then the command's option names, option values,
/// subcommand words and file paths. Pure apart from listing directories, so it is tested without a terminal.
public final class Completer {
    /// The result of one completion request.
    public struct Result: Equatable, Sendable {
        /// The word under the cursor as typed (escapes removed).
        public var word: String
        /// Whole replacement words, sorted; directories end with `/`.
        public var candidates: [String]
        /// True when the candidates are file paths (shown by their last component; no space after a directory).
        public var arePaths: Bool
    }

    private let entries: [CommandRegistry.Entry]
    private var syntaxCache: [String: CommandSyntax] = [:]
    private let listDirectory: (String) -> [(name: String, isDirectory: Bool)]

    public init(
        entries: [CommandRegistry.Entry] = CommandRegistry.entries,
        listDirectory: @escaping (String) -> [(name: String, isDirectory: Bool)] = Completer.listDirectory
    ) {
        self.entries = entries
        self.listDirectory = listDirectory
    }

    /// Candidates for the end of `text` (the line up to the cursor).
    public func complete(_ text: String) -> Result {
        let (words, word) = Completer.split(text)
        if words.isEmpty {
            let names = entries.flatMap { [$0.name] + $0.aliases }
            return Result(word: word, candidates: Completer.matching(names, word), arePaths: false)
        }
        guard let entry = entries.first(where: { $0.name == words[0] || $0.aliases.contains(words[0]) }) else {
            return Result(word: word, candidates: [], arePaths: false)
        }
        let syntax = syntax(of: entry)
        let provider = entry.type as? any CompletionProvider.Type
        let after = Array(words.dropFirst())
        let previous = after.last
        // The value of an option: its declared choices, or files.
        if let previous, previous.hasPrefix("-"), let option = syntax.option(named: previous), option.takesValue {
            if option.value.files || provider?.fileOptions.contains(previous) == true {
                return paths(word)
            }
            return Result(word: word, candidates: Completer.matching(option.value.choices, word), arePaths: false)
        }
        if let previous, provider?.fileOptions.contains(previous) == true { return paths(word) }
        if word.hasPrefix("-") {
            return Result(word: word, candidates: Completer.matching(syntax.optionNames, word), arePaths: false)
        }
        // A positional argument: count the positionals already typed.
        var index = 0
        var skipValue = false
        for w in after {
            if skipValue {
                skipValue = false
            } else if w.hasPrefix("-") {
                skipValue = syntax.option(named: w)?.takesValue ?? false
            } else {
                index += 1
            }
        }
        let positional = index < syntax.positionals.count ? syntax.positionals[index] : syntax.positionals.last
        if positional?.files == true || provider?.completesFilePaths == true { return paths(word) }
        let choices = (positional?.choices ?? []) + (provider?.completions(for: after + [word]) ?? [])
        return Result(word: word, candidates: Completer.matching(choices, word), arePaths: false)
    }

    /// The syntax of a command, read once.
    private func syntax(of entry: CommandRegistry.Entry) -> CommandSyntax {
        if let cached = syntaxCache[entry.name] { return cached }
        let syntax = CommandSyntax.of(entry.type)
        syntaxCache[entry.name] = syntax
        return syntax
    }

    /// File-path candidates for `word` (`~/` is expanded for listing but kept in the result).
    private func paths(_ word: String) -> Result {
        let slash = word.lastIndex(of: "/")
        let directoryPart = slash.map { String(word[...$0]) } ?? ""
        let prefix = slash.map { String(word[word.index(after: $0)...]) } ?? word
        var directory = directoryPart.isEmpty ? "." : directoryPart
        if directory.hasPrefix("~/") || directory == "~/" {
            directory = NSHomeDirectory() + directory.dropFirst()
        }
        let found = listDirectory(directory)
            .filter { $0.name.hasPrefix(prefix) && (prefix.hasPrefix(".") || !$0.name.hasPrefix(".")) }
            .map { directoryPart + $0.name + ($0.isDirectory ? "/" : "") }
        return Result(word: word, candidates: found.sorted(), arePaths: true)
    }

    /// The entries of a directory, or none when it cannot be read.
    public static func listDirectory(_ path: String) -> [(name: String, isDirectory: Bool)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.map { name in
            var isDirectory: ObjCBool = false
            let full = (path as NSString).appendingPathComponent(name)
            _ = FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory)
            return (name, isDirectory.boolValue)
        }
    }

    /// The sorted, de-duplicated members of `candidates` that start with `word`.
    static func matching(_ candidates: [String], _ word: String) -> [String] {
        Array(Set(candidates.filter { $0.hasPrefix(word) })).sorted()
    }

    /// Splits the text before the cursor into the finished words of the current command (after the last unquoted
    /// `;`) and the word being typed. Lenient where `Tokenizer` is strict: an open quote is part of the last word.
    static func split(_ text: String) -> (words: [String], word: String) {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character? = nil
        var escaping = false
        for c in text {
            if escaping {
                word.append(c)
                escaping = false
            } else if let q = quote {
                if c == q { quote = nil } else { word.append(c) }
            } else if c == "\\" {
                escaping = true
                inWord = true
            } else if c == "'" || c == "\"" {
                quote = c
                inWord = true
            } else if c == ";" {
                words = []
                word = ""
                inWord = false
            } else if c == " " || c == "\t" {
                if inWord { words.append(word) }
                word = ""
                inWord = false
            } else {
                word.append(c)
                inWord = true
            }
        }
        return (words, word)
    }

    /// The longest common prefix of `words`, by whole characters.
    public static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first else { return "" }
        for w in words.dropFirst() {
            while !w.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }

    /// `text` with spaces, quotes, backslashes and `;` escaped by a backslash, as the tokenizer reads them back.
    public static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == " " || c == "\\" || c == "'" || c == "\"" || c == ";" || c == "#" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// Lays `items` out in columns across `width` cells, sorted down the columns like `ls`.
    public static func columns(_ items: [String], width: Int) -> [String] {
        guard !items.isEmpty else { return [] }
        let cell = (items.map { DisplayWidth.of($0) }.max() ?? 0) + 2
        let perRow = max(1, width / cell)
        let rows = (items.count + perRow - 1) / perRow
        var lines: [String] = []
        for r in 0..<rows {
            var line = ""
            var c = 0
            while r + c * rows < items.count {
                let item = items[r + c * rows]
                let last = r + (c + 1) * rows >= items.count
                line += last ? item : DisplayWidth.pad(item, to: cell)
                c += 1
            }
            lines.append(line)
        }
        return lines
    }
}
