import Foundation
import SwapLabCourse
import Testing

@testable import SwapLabREPL

/// Issue 12, proof: lesson 3's first chart, the notes' figure, as an SVG snapshot that shows ▲ where free memory has
/// come down to Low and ▼ where it is back above High, on the same zone. The machine and the allocation are the
/// lesson's own (step `saw-tooth`'s setup and solution), so the snapshot is what a learner's `chart --svg` draws.
@Suite struct LessonThreeChartTests {
    static let snapshot = Snapshot.directory.appendingPathComponent("lesson3-saw-tooth.svg")

    /// The numbers of an SVG attribute list such as `points="130.0,241.9 132.2,241.9"`.
    static func points(_ polyline: Substring) -> [(x: Double, y: Double)] {
        guard let r = polyline.range(of: "points=\"") else { return [] }
        return polyline[r.upperBound...].prefix { $0 != "\"" }.split(separator: " ").compactMap { pair in
            let xy = pair.split(separator: ",").compactMap { Double($0) }
            return xy.count == 2 ? (xy[0], xy[1]) : nil
        }
    }

    /// `attr="value"` of an element.
    static func attribute(_ name: String, _ element: Substring) -> Double? {
        guard let r = element.range(of: " \(name)=\"") else { return nil }
        return Double(element[r.upperBound...].prefix { $0 != "\"" })
    }

    /// The free line's y at `x`, linear between its points.
    static func y(at x: Double, on line: [(x: Double, y: Double)]) -> Double? {
        for (a, b) in zip(line, line.dropFirst()) where a.x <= x && x <= b.x {
            return b.x == a.x ? a.y : a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x)
        }
        return nil
    }

    @Test func theNotesFigureWakesAtLowAndSleepsAboveHighOnOneZone() throws {
        let (shell, _, state) = try courseShell(width: 80)
        defer { try? FileManager.default.removeItem(at: state) }
        let course = try #require(shell.session.course).course()
        let lesson = try #require(course.lessons.first { $0.id == "kswapd" })
        let step = try #require(lesson.steps.first { $0.id == "saw-tooth" })
        #expect(step.setup.sim.contains { $0.hasPrefix("machine --zones Normal=") }, "the figure is drawn on one zone")
        let svg = FileManager.default.temporaryDirectory.appendingPathComponent("lesson3-\(UUID()).svg")
        defer { try? FileManager.default.removeItem(at: svg) }
        for line in step.setup.sim + step.solution.sim + ["chart --zone Normal --svg \(svg.path)"] {
            #expect(shell.execute(line), "\(line) failed")
        }
        let text = try String(contentsOf: svg, encoding: .utf8)
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try text.write(to: Self.snapshot, atomically: true, encoding: .utf8)
        } else {
            #expect(
                text == (try String(contentsOf: Self.snapshot, encoding: .utf8)), "differs from lesson3-saw-tooth.svg")
        }
        let lines = text.split(separator: "\n")
        // One zone, so the lines the kernel tests are the raw marks: labelled `high …` and `low …`, each drawn by the
        // polyline just before its label.
        func markY(_ label: String) throws -> Double {
            let i = try #require(lines.firstIndex { $0.contains(">\(label) ") && $0.hasPrefix("<text") })
            return try #require(Self.points(lines[i - 1]).first?.y)
        }
        let high = try markY("high")
        let low = try markY("low")
        #expect(high < low)  // SVG y grows downwards
        let free = try #require(lines.last { $0.contains("stroke=\"#1565c0\"") }.map(Self.points))
        #expect(free.count > 20)
        // ▲ and ▼ are text glyphs in the kswapd lane, at the wake's and the sleep's x.
        let glyphs = lines.flatMap { $0.split(separator: "<text").filter { $0.contains(">▲<") || $0.contains(">▼<") } }
        let wakes = glyphs.filter { $0.contains(">▲<") }.compactMap { Self.attribute("x", $0) }
        let sleeps = glyphs.filter { $0.contains(">▼<") }.compactMap { Self.attribute("x", $0) }
        #expect(wakes.count >= 2 && sleeps.count >= 2, "a saw-tooth has several cycles")
        // A sample is 100 ms apart: the line between samples may run 1.5 px off a mark at the glyph's x.
        for x in wakes {
            let y = try #require(Self.y(at: x, on: free))
            #expect(y >= low - 1.5, "▲ at x \(x): free (y \(y)) is not down at Low (y \(low))")
        }
        for x in sleeps {
            let y = try #require(Self.y(at: x, on: free))
            #expect(y <= high + 1.5, "▼ at x \(x): free (y \(y)) is not back above High (y \(high))")
        }
    }
}
