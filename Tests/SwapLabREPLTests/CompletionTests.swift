import ArgumentParser
import Testing

@testable import SwapLabREPL

/// A command shaped like the shell's own: a file option, an enum option, a flag, subcommand words.
private struct ExplainLike: ShellCommand, CompletionProvider {
    enum Language: String, ExpressibleByArgument, CaseIterable { case en, ko }
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Explain a trace.")
    @Option(name: .long, help: "A trace file.", completion: .file()) var trace: String?
    @Option(name: .long, help: "A language.") var lang: Language = .en
    @Option(name: .long, help: "A number.") var last: Int = 10
    @Flag(name: .long, help: "JSON.") var json = false
    @Argument(help: "What to explain.") var topic: String?
    func run(in session: Session) throws {}
    static func completions(for words: [String]) -> [String] {
        words.filter { !$0.hasPrefix("-") }.count == 1 ? ["kswapd", "oom"] : []
    }
}

@Suite struct CompletionTests {
    static let files: [String: [(name: String, isDirectory: Bool)]] = [
        ".": [("trace.txt", false), ("traces", true), (".hidden", false), ("notes.md", false)],
        "traces/": [("a b.txt", false), ("c.txt", false)],
    ]
    let completer = Completer(
        entries: CommandRegistry.entries.filter { ["engine", "help", "quit", "sleep"].contains($0.name) }
            + [CommandRegistry.Entry(type: ExplainLike.self, group: .trace)],
        listDirectory: { CompletionTests.files[$0] ?? [] })

    @Test func commandNamesAndAliases() {
        #expect(completer.complete("").candidates == ["engine", "exit", "explain", "help", "quit", "sleep"])
        #expect(completer.complete("e").candidates == ["engine", "exit", "explain"])
        #expect(completer.complete("qu").candidates == ["quit"])
        #expect(completer.complete("engine sim; sl").candidates == ["sleep"])
        #expect(completer.complete("zz").candidates == [])
    }

    @Test func optionNamesFromTheArgumentParserDefinition() {
        #expect(completer.complete("explain --").candidates == ["--help", "--json", "--lang", "--last", "--trace"])
        #expect(completer.complete("explain -").candidates.contains("-h"))
        #expect(completer.complete("sleep 1s --q").candidates == ["--quiet"])
        #expect(completer.complete("unknown --").candidates == [])
    }

    @Test func optionValuesAndSubcommandWords() {
        #expect(completer.complete("explain --lang ").candidates == ["en", "ko"])
        #expect(completer.complete("explain --last ").candidates == [])
        #expect(completer.complete("explain ").candidates == ["kswapd", "oom"])
        #expect(completer.complete("explain --json k").candidates == ["kswapd"])
        #expect(completer.complete("engine ").candidates == ["live", "sim"])
        #expect(completer.complete("engine live ").candidates == [])
        #expect(completer.complete("help en").candidates == ["engine"])
    }

    @Test func filePathsWhereAnOptionTakesAFile() {
        let top = completer.complete("explain --trace ")
        #expect(top.arePaths)
        #expect(top.candidates == ["notes.md", "trace.txt", "traces/"])
        #expect(completer.complete("explain --trace tr").candidates == ["trace.txt", "traces/"])
        #expect(completer.complete("explain --trace .h").candidates == [".hidden"])
        #expect(completer.complete("explain --trace traces/").candidates == ["traces/a b.txt", "traces/c.txt"])
        #expect(completer.complete("explain --trace traces/a\\ ").candidates == ["traces/a b.txt"])
        #expect(completer.complete("explain --trace traces/a\\ ").word == "traces/a ")
    }

    @Test func helpersForInsertionAndListing() throws {
        #expect(Completer.commonPrefix(["engine", "exit", "explain"]) == "e")
        #expect(Completer.commonPrefix(["trace.txt", "traces/"]) == "trace")
        #expect(Completer.commonPrefix([]) == "")
        #expect(Completer.escape("a b;c") == "a\\ b\\;c")
        #expect(try Tokenizer.commands("x " + Completer.escape("a b'\"c")) == [["x", "a b'\"c"]])
        let names = ["engine", "exit", "help", "quit", "sleep"]
        #expect(Completer.columns(names, width: 24) == ["engine  help    sleep", "exit    quit"])
        #expect(Completer.columns(names, width: 20) == ["engine  quit", "exit    sleep", "help"])
        #expect(Completer.columns(["a", "b"], width: 1) == ["a", "b"])
    }

    @Test func syntaxIsReadFromArgumentParser() {
        let syntax = CommandSyntax.of(ExplainLike.self)
        #expect(syntax.option(named: "--trace")?.value.files == true)
        #expect(syntax.option(named: "--lang")?.value.choices == ["en", "ko"])
        #expect(syntax.option(named: "--json")?.takesValue == false)
        #expect(syntax.option(named: "--last")?.takesValue == true)
        #expect(syntax.positionals.count == 1)
    }
}
