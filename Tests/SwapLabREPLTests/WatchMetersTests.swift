import Foundation
import SwapLabCourse
import SwapLabModel
import SwapLabTestSupport
import Testing

@testable import SwapLabREPL

/// The notes' htop step: `watch` draws htop's Mem and Swp meters in each frame, and `status`, `watch` and `vmstat`
/// speak Korean under `lang ko` while recording the English report that lessons' `output` patterns read.
@Suite struct WatchMetersTests {
    @Test func aBarFillsItsShareOfCellsWithTheCacheDrawnApart() {
        // 3 GiB used of 4 GiB over 20 cells is 15 cells; 1 GiB of cache among them is 5.
        let gib = Pages(262_144)
        let bar = WatchMeters.bar(
            used: Pages(3 * gib.count), cache: gib, total: Pages(4 * gib.count), cells: 20, glyphs: "block")
        #expect(
            bar == String(repeating: "█", count: 10) + String(repeating: "▒", count: 5)
                + String(repeating: " ", count: 5))
        #expect(
            WatchMeters.bar(used: gib, cache: .zero, total: Pages(4 * gib.count), cells: 8, glyphs: "ascii")
                == "##      ")
        // No swap at all: an empty bar, not a division by zero.
        #expect(WatchMeters.bar(used: .zero, cache: .zero, total: .zero, cells: 4, glyphs: "block") == "    ")
    }

    @Test(arguments: [Language.en, .ko])
    func theMetersSayUsedOfTotalAndFitEightyColumns(language: Language) {
        let meters = WatchMeters(
            total: Pages(1_000_000), free: Pages(250_000), cache: Pages(500_000), swap: (Pages(131_072), Pages(524_288))
        )
        let lines = meters.render(width: 80, glyphs: "block", Words(language: language)).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { DisplayWidth.of(String($0)) <= 80 })
        // 750000 of 1000000 pages used (2.86 GiB of 3.81 GiB), 500000 of them cache; 512 MiB of 2 GiB swap.
        let (mem, swp) = (String(lines[0]), String(lines[1]))
        if language == .ko {
            #expect(mem.hasSuffix("] 3.81 GiB 중 2.86 GiB 사용, ▒ 캐시 1.91 GiB"))
            #expect(swp.hasSuffix("] 2 GiB 중 512 MiB 사용"))
        } else {
            #expect(mem.hasSuffix("] 2.86 GiB of 3.81 GiB, ▒ 1.91 GiB cache"))
            #expect(swp.hasSuffix("] 512 MiB of 2 GiB"))
        }
        // The bars have one length; used is 3/4 of memory (1/3 of it cache), swap 1/4 full.
        let cells = mem.split(separator: "[")[1].split(separator: "]")[0].count
        #expect(swp.split(separator: "[")[1].split(separator: "]")[0].count == cells)
        let memBar = mem.split(separator: "[")[1].split(separator: "]")[0]
        #expect(memBar.filter { $0 != " " }.count == Int((Double(cells) * 0.75).rounded()))
        #expect(memBar.filter { $0 == "▒" }.count == Int((Double(cells) * 0.5).rounded()))
        let swpBar = swp.split(separator: "[")[1].split(separator: "]")[0]
        #expect(swpBar.filter { $0 == "█" }.count == Int((Double(cells) * 0.25).rounded()))
    }

    @Test(arguments: [Language.en, .ko])
    func everyWatchFrameShowsMemoryAndSwapWhileTheHogRuns(language: Language) throws {
        let sh = SimCommandTests.shell()
        sh.session.language = language
        #expect(sh.execute("alloc 2200M --name hog --rate 300M/s"))
        _ = sh.session.output.takeCaptured()
        #expect(sh.execute("watch --count 2 --glyphs ascii"))
        let frames = sh.session.output.takeCaptured()
        let mem = frames.split(separator: "\n").filter { $0.hasPrefix(" Mem [") }
        let swp = frames.split(separator: "\n").filter { $0.hasPrefix(" Swp [") }
        #expect(mem.count == 2 && swp.count == 2)
        // The course machine's 2 GiB of swap, and some of it used: the hog went past RAM.
        let status = try sh.session.activeEngine().status()
        #expect(status.swapTotal == Pages(524_288) && status.swapUsed.count > 0)
        let swapped = Quantity.coarse(status.swapUsed)
        #expect(swp.last?.hasSuffix(language == .ko ? "] 2 GiB 중 \(swapped) 사용" : "] \(swapped) of 2 GiB") == true)
        #expect(swp.last?.contains("#") == true)
    }

    @Test func statusAndVmstatSpeakKoreanAndRecordEnglish() throws {
        let sh = SimCommandTests.shell()
        sh.session.language = .ko
        #expect(sh.execute("alloc 2200M --name hog"))
        _ = sh.session.output.takeCaptured()
        let (_, recorded) = sh.session.output.recording {
            _ = sh.execute("status"); _ = sh.execute("vmstat")
        }
        let shown = sh.session.output.takeCaptured()
        #expect(shown.contains("swap: 2 GiB 중 ") && shown.contains("익명 메모리 "))
        #expect(shown.contains("kswapd0: 잠듦") || shown.contains("kswapd0: 회수 중"))
        #expect(shown.contains("Δ: 마크 'start'(t=0.000초) 이후의 변화"))
        #expect(!shown.contains(" used of ") && !shown.contains("Δ since mark"))
        #expect(
            recorded.contains(" used of 2 GiB · page cache ") && recorded.contains("Δ since mark 'start' (t=0.000 s)"))
        #expect(!recorded.contains("중 ") && !recorded.contains("마크"))
    }
}
