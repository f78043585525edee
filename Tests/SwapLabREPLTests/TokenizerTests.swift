import Testing

@testable import SwapLabREPL

@Suite struct TokenizerTests {
    @Test func splitsCommandsAtSemicolonsOutsideQuotes() throws {
        #expect(
            try Tokenizer.commands("alloc 2G --name hog; run 1s") == [
                ["alloc", "2G", "--name", "hog"], ["run", "1s"],
            ])
        #expect(try Tokenizer.commands("echo 'a;b' \"c d\"") == [["echo", "a;b", "c d"]])
        #expect(try Tokenizer.commands("a\\ b c") == [["a b", "c"]])
        #expect(try Tokenizer.commands("x \"q\\\"t\"") == [["x", "q\"t"]])
        #expect(try Tokenizer.commands("  # only a comment") == [])
        #expect(try Tokenizer.commands("run 1s # then stop") == [["run", "1s"]])
        #expect(try Tokenizer.commands("a '' b") == [["a", "", "b"]])
        #expect(try Tokenizer.commands(";;") == [])
    }

    @Test func reportsUnterminatedQuotes() {
        #expect(throws: Tokenizer.Failure.unterminatedQuote("'")) { try Tokenizer.commands("say 'hi") }
        #expect(throws: Tokenizer.Failure.danglingEscape) { try Tokenizer.commands("say \\") }
    }
}

@Suite struct TokenizerMoreTests {
    @Test func quotesJoinWithNeighbouringText() throws {
        #expect(try Tokenizer.commands("a'b c'd") == [["ab cd"]])
        #expect(try Tokenizer.commands("say \"it's\" 'say \"hi\"'") == [["say", "it's", "say \"hi\""]])
    }

    @Test func backslashInSingleQuotesIsLiteral() throws {
        #expect(try Tokenizer.commands("x 'a\\b'") == [["x", "a\\b"]])
        #expect(try Tokenizer.commands("x \"a\\\\b\"") == [["x", "a\\b"]])
    }

    @Test func hashInsideAWordOrQuotesIsNotAComment() throws {
        #expect(try Tokenizer.commands("a#b '#c' \\#d") == [["a#b", "#c", "#d"]])
        #expect(try Tokenizer.commands("a; # rest ; b") == [["a"]])
    }

    @Test func tabsAndUnicodeWords() throws {
        #expect(try Tokenizer.commands("설명\t워터마크  ;  도움") == [["설명", "워터마크"], ["도움"]])
        #expect(try Tokenizer.commands("") == [])
    }

    @Test func semicolonInsideQuotesOrEscapedStaysInTheWord() throws {
        #expect(try Tokenizer.commands("a\\;b; c") == [["a;b"], ["c"]])
        #expect(throws: Tokenizer.Failure.unterminatedQuote("\"")) { try Tokenizer.commands("a \"b; c") }
    }
}
