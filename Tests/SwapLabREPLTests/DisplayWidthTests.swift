import SwapLabModel
import Testing

@testable import SwapLabREPL

@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("abc", 3), ("한글", 4), ("워터마크 min", 12), ("e\u{301}", 1), ("\u{1B}[1;31merror\u{1B}[0m", 5),
        ("ｶ", 1), ("ＡＢ", 4), ("漢字", 4), ("", 0), ("tab\u{7}", 3),
    ])
    func cellsPerText(text: String, cells: Int) {
        #expect(DisplayWidth.of(text) == cells)
    }

    @Test func padCountsHangulAsTwoCells() {
        #expect(DisplayWidth.pad("한", to: 4) == "한  ")
        #expect(DisplayWidth.pad("ab", to: 4, right: true) == "  ab")
        #expect(DisplayWidth.pad("toolong", to: 3) == "toolong")
    }

    @Test func wrapsHangulByCellsAtSpaces() {
        #expect(DisplayWidth.wrap("가나다 라마바 사아자", width: 10) == ["가나다", "라마바", "사아자"])
        #expect(DisplayWidth.wrap("가나다 라마 바", width: 13) == ["가나다 라마", "바"])
    }

    @Test func cutsAWordLongerThanTheLineByCellsNeverInsideAWideCharacter() {
        #expect(DisplayWidth.wrap("가나다라마바사", width: 10) == ["가나다라마", "바사"])
        #expect(DisplayWidth.wrap("a가나다라마바사", width: 10) == ["a가나다라", "마바사"])
        #expect(DisplayWidth.wrap("abcdefghijklmnop", width: 10) == ["abcdefghij", "klmnop"])
    }

    @Test func keepsLeadingSpacesAlignmentAndLineBreaks() {
        #expect(
            DisplayWidth.wrap("  help    List the commands, or one.", width: 20, indent: "          ") == [
                "  help    List the", "          commands,", "          or one.",
            ])
        #expect(DisplayWidth.wrap("a\n\nb", width: 10) == ["a", "", "b"])
        #expect(DisplayWidth.wrap("one two", width: 10, indent: "  ") == ["one two"])
        #expect(DisplayWidth.wrap("one\ntwo", width: 10, indent: "  ") == ["one", "  two"])
    }

    @Test func everyWrappedLineFitsTheWidth() {
        let text = "kswapd는 zone의 free 페이지가 low 워터마크 아래로 내려가면 깨어나서 high 워터마크까지 회수합니다."
        for width in 10...40 {
            for line in DisplayWidth.wrap(text, width: width) {
                #expect(DisplayWidth.of(line) <= width, "width \(width): \(line)")
            }
        }
    }
}

@Suite struct SuggestTests {
    @Test func nearestNameByEditDistance() {
        let names = ["help", "engine", "quit", "exit", "sleep", "watermarks"]
        #expect(Suggest.nearest(to: "engin", in: names) == "engine")
        #expect(Suggest.nearest(to: "qiut", in: names) == "quit")
        #expect(Suggest.nearest(to: "HELP", in: names) == "help")
        #expect(Suggest.nearest(to: "water", in: names) == "watermarks")
        #expect(Suggest.nearest(to: "frobnicate", in: names) == nil)
        #expect(Suggest.nearest(to: "x", in: []) == nil)
    }

    @Test func levenshteinDistance() {
        #expect(Suggest.distance("kitten", "sitting") == 3)
        #expect(Suggest.distance("", "abc") == 3)
        #expect(Suggest.distance("한글", "한국") == 1)
    }
}

@Suite struct OutputTests {
    @Test(
        arguments: [
            // mode, NO_COLOR, TERM, terminal → colour
            (Output.ColorMode.auto, nil, "xterm", true, true),
            (.auto, nil, "xterm", false, false),
            (.auto, "1", "xterm", true, false),
            (.auto, "", "xterm", true, true),
            (.auto, nil, "dumb", true, false),
            (.auto, nil, nil, true, true),
            (.on, "1", "dumb", false, true),
            (.off, nil, "xterm", true, false),
        ] as [(Output.ColorMode, String?, String?, Bool, Bool)])
    func colourDecision(mode: Output.ColorMode, noColor: String?, term: String?, terminal: Bool, expected: Bool) {
        var env: [String: String] = [:]
        env["NO_COLOR"] = noColor
        env["TERM"] = term
        #expect(Output.colorEnabled(mode: mode, environment: env, isTerminal: terminal) == expected)
    }

    @Test func widthComesFromColumnsWhenValid() {
        #expect(Output.fixedColumns(environment: ["COLUMNS": "100"]) == 100)
        #expect(Output.fixedColumns(environment: ["COLUMNS": "0"]) == nil)
        #expect(Output.fixedColumns(environment: ["COLUMNS": "wide"]) == nil)
        #expect(Output.fixedColumns(environment: [:]) == nil)
        #expect(Output(mode: .off, environment: ["COLUMNS": "123"]).width == 123)
    }

    @Test func stripsEscapesAndPromptMarkers() {
        #expect(
            DisplayWidth.stripEscapes("\u{1}\u{1B}[1;36m\u{1}swaplab[sim]>\u{1}\u{1B}[0m\u{1} ") == "swaplab[sim]> ")
    }

    @Test func styledOnlyWhenColourIsOn() {
        #expect(Output(capturingWidth: 80, color: true).styled("x", .red) == "\u{1B}[31mx\u{1B}[0m")
        #expect(Output(capturingWidth: 80, color: false).styled("x", .red) == "x")
    }
}
