import Foundation
import SwapLabKernel
import SwapLabModel
import SwapLabSimulator
import SwapLabTestSupport
import Testing

@testable import SwapLabREPL

/// The Engine protocol: the values both engines return, and the shell holding each command to its engines.
@Suite struct EngineTests {
    /// The D6b run's /proc while the hog ran (swap on, Normal between min and low), with the 6.18 VM's sysctls.
    static func d6bRoot() throws -> URL {
        try FakeRoot.fromSnapshot(
            "runs/D6b-sawtooth-normal-swap/snap-during",
            extra: [
                "proc/sys/vm/min_free_kbytes": "67584\n", "proc/sys/vm/watermark_scale_factor": "300\n",
                "proc/sys/vm/watermark_boost_factor": "0\n", "proc/sys/vm/swappiness": "60\n",
                "proc/sys/kernel/ostype": "Linux\n", "proc/sys/kernel/osrelease": "6.18.0\n",
            ])
    }

    /// A shell reading D6b's /proc (`d6bRoot`), in a throwaway state directory; remove the root after.
    static func d6bShell() throws -> (Shell, URL) {
        let root = try d6bRoot()
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-test-\(UUID().uuidString)")
        let sh = Shell(
            session: Session(output: Output(capturingWidth: 100), systemRoot: root.path, stateDirectory: state))
        return (sh, root)
    }

    @Test func aCommandOnTheWrongEngineIsRefusedInOnePlaceBeforeItRuns() {
        let sh = SimCommandTests.shell()
        #expect(sh.execute("engine live"))
        _ = sh.session.output.takeCaptured()
        for name in ["machine --ram 8G", "cache 1G", "run 2s", "reset"] {
            #expect(!sh.execute(name))
            let word = String(name.prefix { $0 != " " })
            #expect(
                sh.session.output.takeCaptured() == "error: \(word) works on the sim engine; switch with: engine sim\n")
        }
        #expect(sh.session.simulator == nil)
        #expect(sh.execute("engine sim"))
        _ = sh.session.output.takeCaptured()
        for (line, name) in [("trace on", "trace on"), ("swap on 1G", "swap on")] {
            #expect(!sh.execute(line))
            #expect(
                sh.session.output.takeCaptured()
                    == "error: \(name) works on the live engine; switch with: engine live\n")
        }
        // Refused before anything ran: this machine's engine was never even made.
        #expect(sh.session.live == nil)
        #expect(sh.failures == 6)
    }

    @Test func helpTagsEachCommandWithTheEngineItNeeds() {
        #expect(CommandRegistry.find("run")?.engineTag == "sim")
        #expect(CommandRegistry.find("machine")?.engineTag == "sim")
        #expect(CommandRegistry.find("alloc")?.engineTag == "")
        #expect(CommandRegistry.find("trace")?.engineTag == "live*")
        #expect(CommandRegistry.find("swap")?.restrictedSubcommands.map(\.name) == ["swap on"])
        let lines = HelpCommand.overview(width: 100)
        #expect(lines.contains { $0.hasPrefix("  run         sim       Let simulated time pass") })
        #expect(lines.contains { $0.hasPrefix("  trace       live*     Trace this kernel's") })
        #expect(lines.contains { $0.hasPrefix("  lab         sim+live  Make kswapd wake") })
    }

    /// `help` in Korean: every command `help` lists has its Korean line (a new command without one fails here),
    /// the groups and the footnote are Korean, and all of it fits 80 columns; the tags stay the same.
    @Test func helpListsEveryCommandInKoreanWithinEightyColumns() {
        let missing = CommandRegistry.entries.map(\.name).filter { KoreanHelp.abstracts[$0] == nil }
        #expect(missing.isEmpty, "no Korean help line for \(missing)")
        #expect(Set(KoreanHelp.abstracts.keys) == Set(CommandRegistry.entries.map(\.name)))
        let lines = HelpCommand.overview(width: 80, Words(language: .ko))
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 80 })
        #expect(lines.first == "셸")
        #expect(lines.contains("  run         sim       시뮬레이션 시간을 흘려보냅니다 (예: run 2s, run 500ms)."))
        #expect(lines.contains { $0.hasPrefix("  lab         sim+live  kswapd가 깨어나 swap-out하고") })
        #expect(lines.contains("이 컴퓨터") && lines.contains("강의"))
        #expect(lines.last == "명령 하나의 옵션은 `help COMMAND` 또는 `COMMAND --help`로 봅니다 (영어).")
    }

    @Test func theSimulatorAnswersInTypedValuesCountedInPages() throws {
        let engine = SimulatorEngine()
        var notices: [EngineNotice] = []
        engine.notify = { notices.append($0) }
        let before = try engine.status()
        #expect(notices == [.madeCourseMachine(summary: "4 GiB RAM, 2 GiB swap, 1 node")])
        #expect(
            EngineText.notice(notices[0], output: Output(capturingWidth: 80))
                == "no machine yet: created the course machine (4 GiB RAM, 2 GiB swap, 1 node); change it with `machine`"
        )
        #expect(
            EngineText.notice(notices[0], output: Output(capturingWidth: 80), Words(language: .ko))
                == "머신이 아직 없어 강의용 머신(4 GiB RAM, 2 GiB swap, 1 node)을 만들었습니다. `machine`으로 바꿀 수 있습니다")
        #expect(before.engine == .sim && before.clock == .simulated && before.time == 0)
        #expect(before.swapTotal == Pages(524_288) && before.swapUsed == .zero)
        #expect(before.kswapd == [KswapdStatus(node: 0, state: .sleeping, failures: 0, nodeUnreclaimable: false)])
        #expect(before.tasks.map(\.state) == [.idle])  // `system`: the programs already running
        let alloc = try engine.allocate(AllocationRequest(size: Pages(bytes: 2 << 30)))
        #expect(alloc.name == "hog" && alloc.pid == 1000 && alloc.ending == .finished)
        #expect(alloc.written == Pages(524_288) && alloc.requested == Pages(524_288))
        let after = try engine.status()
        #expect(after.tasks.first { $0.name == "hog" }?.state == .idle)
        // Nothing was read back or freed yet: every page swapped out still holds its slot.
        #expect(after.swapUsed == Pages(after.counters["pswpout"] ?? -1))
        let counters = try engine.counters()
        #expect(counters.rows.prefix(VMGauge.allCases.count).allSatisfy { $0.delta == nil })
        #expect(counters.deltas["pswpout"] == after.counters["pswpout"])
        let released = try engine.release(name: "hog")
        let hog = try #require(after.tasks.first { $0.name == "hog" })
        #expect(released.tasks == [ReleasedTask(name: "hog", pid: 1000, resident: hog.resident, swapped: hog.swapped)])
        #expect(hog.resident + hog.swapped == Pages(524_288))
        #expect(try engine.status().tasks.first { $0.name == "hog" }?.state == .released)
        #expect(notices.count == 1)
    }

    @Test func theLiveEngineReadsTheCapturedProcIntoTheSameValues() throws {
        let root = try Self.d6bRoot()
        defer { FakeRoot.remove(root) }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-test-\(UUID().uuidString)")
        let engine = LiveEngine(stateDirectory: state, root: root.path)
        let s = try engine.status()
        #expect(s.engine == .live && s.clock == .monotonic && s.machine == "Linux 6.18.0")
        #expect(
            s.settings
                == VMSettings(minFreeKbytes: 67584, watermarkScaleFactor: 300, watermarkBoostFactor: 0, swappiness: 60))
        // /proc/swaps: 4194300 KiB, 32392 KiB used.
        #expect(s.swapTotal == Pages(1_048_575) && s.swapUsed == Pages(8098))
        // nr_unevictable 682410: the run's pinned child (grep nr_unevictable snap-during/vmstat.txt); no nr_hugepages
        // file in this root, so the pool is unknown.
        #expect(
            s.memory
                == MemoryUse(
                    file: Pages(140_556), dirty: Pages(819), anon: Pages(1_000_286), unevictable: Pages(682_410)))
        #expect(s.kswapd == [KswapdStatus(node: 0, state: nil, failures: nil, nodeUnreclaimable: false)])
        let normal = try #require(s.zones.first { $0.zone == .normal })
        #expect(
            [normal.free, normal.min, normal.low, normal.high] == [464_786, 229_147, 390_974, 552_801].map(Pages.init))
        #expect(s.tasks.isEmpty && s.tracing == false)
    }

    /// `swap` reads this machine on either engine; on the simulator it first says what the simulated machine has,
    /// so this machine's swap (D6b's capture: one 4 GiB swapfile) is not taken for the simulated one.
    @Test func swapOnTheSimulatorSaysWhichMachineIsWhich() throws {
        let (sh, root) = try Self.d6bShell()
        defer { FakeRoot.remove(root) }
        #expect(sh.execute("machine --ram 4G --swap 2G"))
        #expect(sh.execute("alloc 3000M"))
        // No OOM kill, nothing read back or released: the swap in use is every page written to it (pswpout).
        let counters = try sh.session.activeEngine().counters().values
        #expect(counters["oom_kill"] == 0 && counters["pswpin"] == 0)
        let used = try #require(counters["pswpout"])
        #expect(used > 0)
        _ = sh.session.output.takeCaptured()
        #expect(sh.execute("swap"))
        let lines = sh.session.output.takeCaptured().split(separator: "\n").map(String.init)
        #expect(
            lines.first
                == "simulated machine: 2 GiB of swap, \(Quantity.format(bytes: used * 4096)) used (`status`)")
        #expect(lines.dropFirst().first == "this machine:")
        // swaps.txt: /swapfile.swaplab, 4194300 KiB, 32392 KiB used, priority -2.
        #expect(
            lines.last?.hasPrefix("/swapfile.swaplab ") == true
                && lines.last?.hasSuffix(" 4.00 GiB    31.63 MiB   -2") == true)
        #expect(sh.execute("engine live"))
        _ = sh.session.output.takeCaptured()
        #expect(sh.execute("swap"))
        #expect(!sh.session.output.takeCaptured().contains("simulated machine"))
    }

    @Test func statusRendersTheSameFactsTheSameWayOnTheLiveEngine() throws {
        let (sh, root) = try Self.d6bShell()
        defer { FakeRoot.remove(root) }
        #expect(sh.execute("engine live"))
        _ = sh.session.output.takeCaptured()
        #expect(sh.execute("status"))
        let lines = sh.session.output.takeCaptured().split(separator: "\n").map(String.init)
        #expect(
            lines.first?.hasPrefix("live t = ") == true
                && lines.first?.hasSuffix(" s (CLOCK_MONOTONIC) · Linux 6.18.0") == true)
        #expect(
            Array(lines.dropFirst()) == [
                "min_free_kbytes 67584 · watermark_scale_factor 300 · watermark_boost_factor 0 · swappiness 60",
                "zone             free        min        low       high    managed   free",
                "0 DMA            3840        163        278        393       3840   15 MiB",
                "0 DMA32        116470      32833      56020      79207     772915   454.96 MiB",
                "0 Normal       464786     229147     390974     552801    5394266   1.77 GiB",
                "(pages of 4 KiB; min/low/high as /proc/zoneinfo prints them)",
                // Items that do not fit the width (100 here) continue on the next line.
                "swap: 31.63 MiB used of 4.00 GiB · page cache 549.05 MiB (dirty 3.20 MiB) · anon 3.82 GiB",
                "  · tracing off",
                "not reclaimable: unevictable (mlocked) 2.60 GiB",
            ])
        // status --json: the one vocabulary (docs/json.md); swap in pages, from /proc/swaps' KiB (4194300 / 4,
        // 32392 / 4).
        #expect(sh.execute("status --json"))
        let obj = try #require(
            try JSONSerialization.jsonObject(with: Data(sh.session.output.takeCaptured().utf8)) as? [String: Any])
        #expect(obj.keys.sorted() == (Self.sharedStatusKeys + ["tracing"]).sorted())
        #expect(obj["swap_total_pages"] as? Int == 1_048_575 && obj["swap_used_pages"] as? Int == 8098)
        #expect(obj["schema"] as? String == "swaplab.status/2")
    }

    /// The `status --json` keys both engines print (docs/json.md), sorted.
    static let sharedStatusKeys = [
        "anon_pages", "dirty_pages", "engine", "file_pages", "kswapd", "machine", "min_free_kbytes", "schema",
        "swap_total_pages", "swap_used_pages", "swappiness", "tasks", "time_s", "watermark_boost_factor",
        "watermark_scale_factor", "zones", "unevictable_pages", "hugetlb_pages",
    ].sorted()

    @Test func simulatorStatusJSONHasTheSharedKeys() throws {
        let sh = SimCommandTests.shell()
        #expect(sh.execute("machine; status --json"))
        let out = sh.session.output.takeCaptured()
        let obj = try #require(
            try JSONSerialization.jsonObject(with: Data(out[out.firstIndex(of: "{")!...].utf8)) as? [String: Any])
        #expect(obj.keys.sorted() == Self.sharedStatusKeys)
        #expect((obj["kswapd"] as? [[String: Any]])?.first?["state"] as? String == "sleeping")
        #expect((obj["tasks"] as? [[String: Any]])?.first?["state"] as? String == "idle")
    }
}
