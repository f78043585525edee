import Foundation
import SwapLabKernel
import SwapLabModel
import SwapLabTestSupport
import Testing

@testable import SwapLabREPL

/// The sim commands through `Shell.execute`, as a learner types them.
@Suite struct SimCommandTests {
    /// A shell with a capturing output, in a throwaway state directory.
    static func shell() -> Shell {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-test-\(UUID().uuidString)")
        return Shell(session: Session(output: Output(capturingWidth: 100), stateDirectory: state))
    }

    /// In Korean, the course machine's notice and `allocs`' states are Korean (the states as `status` says them);
    /// `allocs` records the English table, which lessons' `output` patterns read.
    @Test func theCourseMachineAndTheTasksAreSaidInKorean() {
        let sh = Self.shell()
        #expect(sh.execute("lang ko"))
        _ = sh.session.output.takeCaptured()
        #expect(sh.execute("alloc 1G"))
        let made = sh.session.output.takeCaptured()
        #expect(made.hasPrefix("머신이 아직 없어 강의용 머신(4 GiB RAM, 2 GiB swap, 1 node)을 만들었습니다. "))
        let (ok, recorded) = sh.session.output.recording { sh.execute("allocs") }
        #expect(ok)
        let shown = sh.session.output.takeCaptured().split(separator: "\n").map(String.init)
        #expect(shown.last == "hog       1000     1 GiB       0 B         0 B         대기 중")
        #expect(recorded.hasSuffix("hog       1000     1 GiB       0 B         0 B         idle\n"))
        #expect(sh.execute("status"))
        #expect(sh.session.output.takeCaptured().contains("hog                1000       1 GiB         0 B  대기 중"))
    }

    /// The simulator's refusals and the wrong-engine error are said in Korean when the learner reads Korean, and
    /// in English otherwise.
    @Test func refusalsAreSaidInTheLearnersLanguage() {
        let sh = Self.shell()
        #expect(sh.execute("lang ko"))
        #expect(sh.execute("alloc 1G --name web"))
        _ = sh.session.output.takeCaptured()
        for (line, said) in [
            ("alloc 1G --name web", "error: 'web'(이)라는 할당이 이미 있습니다; 먼저 release하거나 다른 --name을 고르세요\n"),
            ("release db", "error: 'db'(이)라는 할당이 없습니다. 있는 것: system, web\n"),
            ("sysctl vm.swappiness 500", "error: vm.swappiness = 500은(는) 범위를 벗어났습니다; 커널이 받아들이는 값은 0…200입니다\n"),
            ("trace on", "error: trace on은(는) live 엔진에서 돕니다; `engine live` 명령으로 바꾸세요\n"),
        ] {
            #expect(!sh.execute(line))
            #expect(sh.session.output.takeCaptured() == said)
        }
        #expect(sh.execute("engine live"))
        _ = sh.session.output.takeCaptured()
        #expect(!sh.execute("chart"))
        #expect(
            sh.session.output.takeCaptured()
                == "error: live 엔진에는 아직 타임라인이 없습니다; 먼저 무언가를 실행하세요 (예: alloc 1G; run 2s)\n")
        #expect(sh.execute("lang en"))
        _ = sh.session.output.takeCaptured()
        #expect(sh.execute("engine sim"))
        _ = sh.session.output.takeCaptured()
        #expect(!sh.execute("release db"))
        #expect(sh.session.output.takeCaptured() == "error: no allocation named 'db'; known: system, web\n")
    }

    /// What a learner without root meets on the live engine (`trace on`, `swap on`, `lab run`) is said in Korean
    /// when the learner reads Korean; an error without a Korean sentence is said in English.
    @Test func rootRefusalsAreSaidInTheLearnersLanguage() {
        #expect(
            ErrorPresenter.runError(TraceError.needsRoot, language: .en)
                == "tracing needs root (it creates a tracefs instance and enables events); run swaplab as root, e.g. "
                + "sudo swaplab")
        #expect(
            ErrorPresenter.runError(TraceError.needsRoot, language: .ko)
                == "추적에는 root가 필요합니다 (tracefs 인스턴스를 만들고 이벤트를 켭니다); swaplab을 root로 실행하세요 "
                + "(예: sudo swaplab)")
        #expect(
            ErrorPresenter.runError(LabError.needsRoot, language: .ko)
                == "실습은 sysctl, swap, huge page를 바꾸므로 root가 필요합니다; swaplab을 root로 실행하세요 (sudo swaplab)")
        // The live engine passes swap's refusal on as an EngineError carrying both sentences.
        let swapRefusal = SwapfileError.needsRoot
        let passedOn = EngineError.said(en: swapRefusal.description, ko: swapRefusal.sentenceKo ?? "")
        #expect(
            ErrorPresenter.runError(passedOn, language: .ko)
                == "swap on/off에는 root가 필요합니다 (swapon(2)에 CAP_SYS_ADMIN이 필요합니다); swaplab을 root로 실행하세요")
        #expect(
            ErrorPresenter.runError(passedOn, language: .en)
                == "swap on/off needs root (swapon(2) requires CAP_SYS_ADMIN); run swaplab as root")
        #expect(ErrorPresenter.runError(TraceError.noTracefs("no tracefs here"), language: .ko) == "no tracefs here")
    }

    /// `cache --file`: the first read comes from disk, the second finds every page in the cache and activates it
    /// (128 MiB), in English and in Korean; the mistakes a learner can make with it are refused and explained.
    @Test func readingAFileTwiceShowsTheSecondAccess() {
        let sh = Self.shell()
        #expect(sh.execute("machine"))
        _ = sh.session.output.takeCaptured()
        #expect(sh.execute("cache 128M --file data"))
        var lines = sh.session.output.takeCaptured().split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("page cache: read data (128 MiB) in ") == true)
        #expect(
            Array(lines.dropFirst()) == [
                "  from disk: 128 MiB", "no reclaim: free memory stayed above the low watermarks",
            ])
        #expect(sh.execute("cache --file data"))
        lines = sh.session.output.takeCaptured().split(separator: "\n").map(String.init)
        #expect(
            Array(lines.dropFirst()) == [
                "  from the cache: 128 MiB", "    accessed a second time: 128 MiB moved to the active list",
                "no reclaim: free memory stayed above the low watermarks",
            ])
        #expect(sh.execute("lang ko"))
        _ = sh.session.output.takeCaptured()
        #expect(sh.execute("cache 128M --file data"))
        lines = sh.session.output.takeCaptured().split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("페이지 캐시: data(128 MiB)를 시뮬레이션 시간 ") == true)
        #expect(
            Array(lines.dropFirst()) == [
                "  캐시에서: 128 MiB", "    다시 접근: 옮겨진 것 없음 (이미 active이거나, 이번에 referenced 표시만 됨)",
                "회수 없음: 여유 메모리가 Low 워터마크 위에 머물렀습니다",
            ])
        for (line, said) in [
            ("cache 64M --file data", "error: data의 크기는 128 MiB입니다; 다시 읽으려면: cache --file data\n"),
            ("cache --file logs", "error: logs은(는) 아직 읽은 적이 없습니다; 처음에는 크기를 주세요 (예: cache 512M --file logs)\n"),
            ("cache 1G --file data --dirty", "error: --file은 파일을 읽고 --dirty는 새 데이터를 씁니다. 하나만 쓰세요\n"),
            ("cache", "error: cache에는 크기(cache 512M)나 파일(cache 512M --file data)이 필요합니다\n"),
        ] {
            #expect(!sh.execute(line))
            #expect(sh.session.output.takeCaptured() == said)
        }
        #expect(sh.execute("lang en"))
        _ = sh.session.output.takeCaptured()
        #expect(!sh.execute("cache 64M --file data"))
        #expect(
            sh.session.output.takeCaptured() == "error: data is 128 MiB long; read it again with: cache --file data\n")
    }

    @Test func firstSimCommandCreatesTheCourseMachineAndSaysSo() {
        let sh = Self.shell()
        #expect(sh.execute("alloc 2G"))
        let out = sh.session.output.takeCaptured()
        #expect(out.hasPrefix("no machine yet: created the course machine (4 GiB RAM, 2 GiB swap, 1 node)"))
        #expect(out.contains("hog (pid 1000): wrote 2 GiB in "))
        #expect(out.replacingOccurrences(of: "\n", with: " ").contains("swapped out"))
        #expect(sh.session.simulator != nil)
        // The timeline is registered for explain/chart/checks.
        let timeline = try? sh.session.currentTimeline()
        #expect(timeline?.machine.engine == "sim")
        #expect(timeline?.events.contains { $0.name == "mm_vmscan_wakeup_kswapd" } == true)
    }

    @Test func statusJsonHasStableKeys() throws {
        let sh = Self.shell()
        #expect(sh.execute("machine --ram 8G --swap 1G --wsf 100; status --json"))
        let out = sh.session.output.takeCaptured()
        let json = String(out[out.firstIndex(of: "{")!...])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["engine"] as? String == "sim")
        #expect(object["schema"] as? String == "swaplab.status/2")
        #expect(object["watermark_scale_factor"] as? Int == 100)
        let zones = try #require(object["zones"] as? [[String: Any]])
        #expect(zones.map { $0["zone"] as? String } == ["DMA", "DMA32", "Normal"])
        #expect(
            zones.allSatisfy {
                $0["min_pages"] is Int && $0["low_pages"] is Int && $0["high_pages"] is Int
                    && $0["managed_pages"] is Int
            })
    }

    @Test func vmstatShowsDeltasSinceTheLastMark() throws {
        let sh = Self.shell()
        #expect(sh.execute("machine; mark before; alloc 2G; vmstat"))
        let out = sh.session.output.takeCaptured()
        #expect(out.contains("mark 'before' at t = 0.000 s"))
        #expect(out.contains("Δ since mark 'before' (t=0.000 s)"))
        let line = try #require(out.split(separator: "\n").first { $0.hasPrefix("pswpout ") })
        let words = line.split(separator: " ")
        #expect(words.count == 3 && words[1] != "0" && words[2] == "+\(words[1])")
        #expect(sh.execute("mark after; vmstat --json"))
        let json = sh.session.output.takeCaptured()
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(json[json.firstIndex(of: "{")!...].utf8)) as? [String: Any])
        #expect(object["mark"] as? String == "after")
        #expect((object["deltas"] as? [String: Int])?["pswpout"] == 0)
    }

    @Test func eventsPrintTracePipeLines() {
        let sh = Self.shell()
        #expect(sh.execute("alloc 2G; run 1s"))
        _ = sh.session.output.takeCaptured()
        #expect(sh.execute("events --milestones --last 3"))
        let lines = sh.session.output.takeCaptured().split(separator: "\n")
        #expect(lines.first?.hasPrefix("# last 3 of ") == true)
        let traceLines = lines.filter { !$0.hasPrefix("#") }
        #expect(traceLines.count == 3)
        #expect(traceLines.last?.hasSuffix(": mm_vmscan_kswapd_sleep: nid=0") == true)
        #expect(traceLines.last?.contains("kswapd0-45 [000] .....") == true)
    }

    @Test func touchSwapsBackIn() {
        let sh = Self.shell()
        #expect(sh.execute("alloc 2G --name big; run 1s; touch big"))
        let out = sh.session.output.takeCaptured().replacingOccurrences(of: "\n", with: " ")
        #expect(out.contains("big read every page; "))
        #expect(out.contains("swapped in "))
        #expect(sh.execute("release big; status"))
        let status = sh.session.output.takeCaptured()
        #expect(status.contains("released big: "))
        #expect(!status.contains("big  "))
    }

    @Test func badInputSaysWhatIsWrong() {
        let sh = Self.shell()
        #expect(!sh.execute("alloc 2X"))
        #expect(sh.session.output.takeCaptured().contains("unknown unit 'X'"))
        #expect(!sh.execute("machine --wsf 5000"))
        #expect(
            sh.session.output.takeCaptured().contains(
                "vm.watermark_scale_factor = 5000 is out of range; the kernel accepts 1…3000"))
        #expect(!sh.execute("machine --swappiness 300"))
        #expect(sh.session.output.takeCaptured().contains("0…200"))
        #expect(!sh.execute("release nope"))
        #expect(sh.session.output.takeCaptured().contains("no allocation named 'nope'"))
        #expect(!sh.execute("run forever"))
        #expect(sh.session.output.takeCaptured().contains("not a duration"))
        #expect(!sh.execute("machine --zones DMA=1,Bogus=2"))
        #expect(sh.session.output.takeCaptured().contains("'Bogus' is not a zone"))
        #expect(!sh.execute("alloc 1G --rate fast"))
        #expect(sh.session.output.takeCaptured().contains("--rate"))
    }

    /// The same commands act on this machine on the live engine (read-only ones here; the hog has its own tests).
    @Test func liveEngineCommandsReadThisMachine() throws {
        let sh = Self.shell()
        #expect(sh.execute("engine live"))
        _ = sh.session.output.takeCaptured()
        for line in ["release hog", "touch hog"] {
            #expect(!sh.execute(line))
            #expect(sh.session.output.takeCaptured().contains("there is no hog called hog"))
        }
        #expect(sh.execute("status --json"))
        let status = sh.session.output.takeCaptured()
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(status.utf8)) as? [String: Any])
        #expect(obj["engine"] as? String == "live")
        // managed pages per zone, read from /proc/zoneinfo here without swaplab (lazy zones only grow: ≤).
        var managed: [Int] = []
        for line in try String(contentsOfFile: "/proc/zoneinfo", encoding: .utf8).split(separator: "\n") {
            let w = line.split(separator: " ")
            if w.count == 2, w[0] == "managed", let v = Int(w[1]) { managed.append(v) }
        }
        let zones = try #require(obj["zones"] as? [[String: Any]])
        #expect(zones.count == managed.count)
        for (z, m) in zip(zones, managed) { #expect((z["managed_pages"] as? Int ?? -1) <= m) }
        #expect(sh.execute("mark x"))
        #expect(sh.session.output.takeCaptured().hasPrefix("mark 'x' at t = "))
        #expect(sh.execute("vmstat --json"))
        let vm = try #require(
            try JSONSerialization.jsonObject(with: Data(sh.session.output.takeCaptured().utf8)) as? [String: Any])
        #expect(vm["engine"] as? String == "live")
        #expect(vm["mark"] as? String == "x")
        #expect((vm["counters"] as? [String: Any])?["pswpout"] != nil)
        #expect(sh.execute("events"))
        #expect(sh.session.output.takeCaptured().contains("tracing is off"))
    }

    @Test func machineFromACapturedZoneinfo() {
        let sh = Self.shell()
        let file = Fixtures.url("snapshots/after-full-growth/zoneinfo.txt").path
        #expect(sh.execute("machine --zoneinfo \(file) --thp --swap 0"))
        let out = sh.session.output.takeCaptured()
        #expect(out.contains("min_free_kbytes 67584"))
        // The kernel's own numbers for this machine (wsf 10): Normal min 14769 low 20163 high 25557.
        let normal = out.split(separator: "\n").first { $0.hasPrefix("0 Normal") }
        #expect(
            normal?.split(separator: " ").dropFirst(3).prefix(4).joined(separator: " ")
                == "14769 20163 25557 5394266")
        #expect(
            sh.session.simulator?.zoneSnapshots().first { $0.zone == .dma32 }?.protection == [
                0, 0, 21071, 21071, 21071,
            ])
    }

    @Test func resetAndAboutAndCache() {
        let sh = Self.shell()
        #expect(sh.execute("machine --ram 2G --cache 100M --used 200M; cache 300M --dirty; alloc 1500M; reset; status"))
        let out = sh.session.output.takeCaptured()
        #expect(out.contains("page cache: wrote 300 MiB"))
        #expect(out.contains("reset: 2 GiB RAM, 2 GiB swap, 1 node, t = 0"))
        #expect(out.contains("sim t = 0.000 s"))
        #expect(sh.execute("sim about"))
        let about = sh.session.output.takeCaptured()
        #expect(about.contains("mm_vmscan_write_folio: one event per batch of up to 32"))
        #expect(about.contains("compaction"))
    }
}

/// docs/simulator.md says what `sim about` says.
@Suite struct SimulatorDocsTests {
    @Test func docsRepeatEveryPointOfSimAbout() throws {
        let docs = try String(
            contentsOf: Fixtures.repositoryRoot.appendingPathComponent("docs/simulator.md"), encoding: .utf8)
        let sh = Shell(session: Session(output: Output(capturingWidth: 2000), stateDirectory: testStateDirectory()))
        #expect(sh.execute("sim about"))
        let lines = sh.session.output.takeCaptured().split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines.count > 10)
        for line in lines { #expect(docs.contains(line), "docs/simulator.md lacks: \(line)") }
    }
}

/// The live sampler: a stop followed at once by a start leaves one thread sampling, at 10 Hz.
@Suite struct LiveSamplerTests {
    @Test func stopThenStartKeepsOneSamplerAtTenHertz() throws {
        let t = LiveTimeline()
        t.startSampling()
        t.stopSampling()
        t.startSampling()
        Thread.sleep(forTimeInterval: 1.0)
        t.stopSampling()
        let n = t.snapshot(machine: MachineDescription(engine: "live", summary: "")).samples.count
        // One thread: about 10 samples in a second (two threads would give about 20).
        #expect(n >= 6 && n <= 13, "\(n) samples in 1 s")
    }
}
