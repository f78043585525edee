import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabAnalysis
@testable import SwapLabExplain
@testable import SwapLabKernel
@testable import SwapLabModel

/// `explain --trace` streams: the trace file is read in chunks (`TraceFile`), each event goes through a
/// `ReclaimAnalyzer`, and nothing else is kept. Against every fixture trace, the streamed events and report equal
/// the ones made from the whole text in memory, whatever the chunk size.
@Suite struct StreamingExplainTests {
    /// Every trace file of every run, as a path.
    static let traceFiles: [String] = Fixtures.runs.flatMap { run in
        FixtureRun.traceFiles(run: run).map { FixtureRun.directory(run).appendingPathComponent($0).path }
    }

    @Test(arguments: traceFiles)
    func streamedEventsEqualTheWholeText(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let whole = TraceLineParser.parse(text: text)
        for chunk in [1, 7, 100, 4096, 1 << 20] {
            var events: [TraceEvent] = []
            let counts = try TraceFile.stream(path: path, chunkSize: chunk) { events.append($0) }
            #expect(events == whole.events, "chunk \(chunk)")
            #expect(counts == TraceFile.Counts(parsed: whole.events.count, skipped: whole.skipped, lost: whole.lost))
        }
    }

    @Test(arguments: traceFiles)
    func streamedReportEqualsTheInMemoryOne(path: String) throws {
        let events = TraceLineParser.parse(text: try String(contentsOfFile: path, encoding: .utf8)).events
        var analyzer = ReclaimAnalyzer()
        _ = try TraceFile.stream(path: path, chunkSize: 4096) { analyzer.consume($0) }
        let streamed = analyzer.report()
        let inMemory = ReclaimExplainer.analyze(
            Timeline(machine: MachineDescription(engine: "trace", summary: ""), events: events))
        #expect(streamed == inMemory)
        #expect(streamed.eventCount == events.count)
        #expect(streamed.span == events.first.map { f in f.time...events.last!.time })
    }

    @Test func aLastLineWithoutNewlineAndALineLongerThanTheChunk() throws {
        let long =
            "              hog-77      [001] .....   10.000001: mm_vmscan_wakeup_kswapd: nid=0 order=0 gfp_flags="
            + String(repeating: "X", count: 5000)
        let text =
            "# tracer: nop\n" + long + "\nCPU:1 [LOST 12 EVENTS]\n"
            + "         kswapd0-45      [000] .....   10.000002: mm_vmscan_kswapd_wake: nid=0 order=0"
        let dir = try FakeRoot.make(["trace.txt": text])
        defer { FakeRoot.remove(dir) }
        var events: [TraceEvent] = []
        let counts = try TraceFile.stream(path: dir.appendingPathComponent("trace.txt").path, chunkSize: 64) {
            events.append($0)
        }
        #expect(events.map(\.name) == ["mm_vmscan_wakeup_kswapd", "mm_vmscan_kswapd_wake"])
        #expect(events[0].field("gfp_flags")?.count == 5000)
        #expect(counts == TraceFile.Counts(parsed: 2, skipped: 2, lost: 12))
        #expect(throws: SystemError.self) {
            try TraceFile.stream(path: dir.appendingPathComponent("none").path) { _ in }
        }
    }

    /// The old `field(_:)`, over Characters, as the oracle of the byte version.
    static func oldField(_ payload: String, _ key: String) -> Substring? {
        var rest = payload[...]
        while !rest.isEmpty {
            let tokenEnd = rest.firstIndex(of: " ") ?? rest.endIndex
            let token = rest[rest.startIndex..<tokenEnd]
            if let sep = token.firstIndex(where: { $0 == "=" || $0 == ":" }), token[token.startIndex..<sep] == key {
                return token[token.index(after: sep)...]
            }
            rest = tokenEnd == rest.endIndex ? "" : rest[rest.index(after: tokenEnd)...]
        }
        return nil
    }

    static func oldIntField(_ payload: String, _ key: String) -> Int64? {
        guard let v = oldField(payload, key) else { return nil }
        if v.hasPrefix("0x") { return Int64(v.dropFirst(2), radix: 16) }
        return Int64(v)
    }

    @Test func payloadFieldsReadAsBytesEqualTheCharacterReading() throws {
        var payloads = Set<String>()
        for path in Self.traceFiles {
            for e in TraceLineParser.parse(text: try String(contentsOfFile: path, encoding: .utf8)).events {
                payloads.insert(e.payload)
            }
        }
        payloads.formUnion([
            "", " ", "a=", "=1", "a=1  b=2", "x:5 x=6", "k=0x1F k2=0xZZ", "n=-7 m=+3 o=99999999999999999999",
            "file-rss:12kB anon-rss:1048576kB", "a=1 b", "b a=1",
        ])
        var checked = 0
        for p in payloads {
            let e = TraceEvent(time: 0, comm: "c", pid: 1, name: "n", payload: p)
            var keys = Set(
                p.split(separator: " ").compactMap { t in
                    t.firstIndex { $0 == "=" || $0 == ":" }.map { String(t[..<$0]) }
                })
            keys.formUnion(["nid", "absent", "", "nr_reclaimed", "k", "a"])
            for k in keys {
                #expect(e.field(k) == Self.oldField(p, k), "\(k) in \(p)")
                #expect(e.intField(k) == Self.oldIntField(p, k), "\(k) in \(p)")
                checked += 1
            }
            #expect(e.payloadContains("RECLAIM_WB_ANON") == p.utf8.containsBytes(of: "RECLAIM_WB_ANON"))
            #expect(e.payloadContains("RECLAIM_WB_FILE") == p.utf8.containsBytes(of: "RECLAIM_WB_FILE"))
        }
        #expect(checked > 1000)
    }

    @Test func stallMedianSumAndMaxEqualAListOfEveryStall() {
        // A fixed sequence with repeats, odd and even counts, negative and zero stalls.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(Int(state >> 40) % 2000 - 100) * 0.013
        }
        var list: [Double] = []
        var d = StallDistribution()
        for n in 0..<501 {
            let v = n % 7 == 0 ? 0.5 : next()
            list.append(v)
            d.add(v)
            let s = list.sorted()
            let median = s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
            #expect(d.median == median && d.sum == list.reduce(0, +) && d.max == list.max() && d.count == list.count)
        }
        #expect(StallDistribution().median == 0 && StallDistribution().max == nil)
    }
}

extension String.UTF8View {
    /// Whether `needle`'s bytes occur in this view (a plain search, the oracle of `payloadContains`).
    func containsBytes(of needle: String) -> Bool {
        let hay = Array(self)
        let n = Array(needle.utf8)
        guard hay.count >= n.count else { return false }
        for i in 0...(hay.count - n.count) where Array(hay[i..<(i + n.count)]) == n { return true }
        return false
    }
}
