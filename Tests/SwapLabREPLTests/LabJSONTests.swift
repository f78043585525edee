import Foundation
import SwapLabModel
import SwapLabTestSupport
import Testing

@testable import SwapLabKernel
@testable import SwapLabREPL

/// `lab run --json` and docs/lab.md agree: every key the command prints is documented in the table, in the same
/// order, and every value is filled (no null).
@Suite struct LabJSONTests {
    /// The first column of docs/lab.md's "The keys" table.
    func documentedKeys() throws -> [String] {
        let doc = try String(
            contentsOf: Fixtures.repositoryRoot.appendingPathComponent("docs/lab.md"), encoding: .utf8)
        let section = try #require(doc.components(separatedBy: "## The keys").dropFirst().first)
        return section.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| `") else { return nil }
            let cell = line.dropFirst(3)
            return cell.firstIndex(of: "`").map { String(cell[..<$0]) }
        }
    }

    @Test func everyJSONKeyIsDocumentedInOrder() throws {
        guard case .object(let pairs) = LabResult().json.value else {
            Issue.record("not an object")
            return
        }
        #expect(pairs.map(\.0) == (try documentedKeys()))
        #expect(pairs.first?.1 == .string("swaplab.lab/2"))
        // Every field of LabResult is printed once, after `schema`: a new field cannot be left out.
        #expect(pairs.count == 1 + Mirror(reflecting: LabResult()).children.count)
        #expect(pairs.count == 41)
        #expect(!pairs.contains { $0.1 == .null })
    }

    /// A failed run's JSON: the verdict, the phase and the reason, with the numbers as measured.
    @Test func aFailedPhaseIsNamedWithItsReason() throws {
        var r = LabResult()
        r.failedPhase = "swap_in"
        r.reason = "the lab's swap_in phase fell short: only 573 pages (2 MiB) were swapped in; the lab needs 64 MiB"
        r.pswpin = 573
        r.pswpinMib = 2
        r.seconds = 17.26
        r.balloonPages = 3
        let line = r.json.text
        #expect(line.hasPrefix(#"{"schema": "swaplab.lab/2", "verdict": "failed", "failed_phase": "swap_in", "#))
        #expect(line.contains(#""reason": "the lab's swap_in phase fell short"#))
        #expect(line.contains(#""pswpin": 573, "pswpout_mib": 0, "pswpin_mib": 2,"#))
        #expect(line.contains(#""rounds": 0, "duration_s": 17.3, "setup_s": 0.0,"#))
        #expect(line.contains(#""balloon_huge_pages": 3,"#))
        #expect(line.contains(#""zone_growth_s": 0.0,"#))
    }
}
