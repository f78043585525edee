import Testing

@testable import SwapLabREPL

@Suite struct TokenizerTests {
    @Test func splitsCommandsAtSemicolonsOutsideQuotes() throws {
        #expect(try Tokenizer.commands("alloc 2G --name hog; run 1s") == [["alloc", "2G", "--name", "hog"], ["run", "1s"]])
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
