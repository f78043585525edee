import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabModel
@testable import SwapLabREPL

/// `watermarks` and `doctor` through the shell: on captured /proc trees (`--root`) and on this machine.
extension LiveSystem {
    @Suite struct WatermarksAndDoctorTests {
        /// Runs `line` in a fresh shell with a capturing output; returns (succeeded, output).
        func run(_ line: String, engine: EngineKind = .live, setup: (Session) -> Void = { _ in }) -> (Bool, String) {
            let session = Session(output: Output(capturingWidth: 100), stateDirectory: testStateDirectory())
            session.engine = engine
            setup(session)
            let ok = Shell(session: session).execute(line)
            return (ok, session.output.captured)
        }

        func object(_ text: String) throws -> [String: Any] {
            let json = try JSONSerialization.jsonObject(with: Data(text.utf8))
            return try #require(json as? [String: Any])
        }

        /// Compares `text` with the snapshot file `name` beside this test (RECORD_SNAPSHOTS=1 re-records;
        /// a missing snapshot fails).
        func assertSnapshot(_ text: String, _ name: String) throws {
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
                "Snapshots/\(name)")
            if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
                try text.write(to: url, atomically: true, encoding: .utf8)
                return
            }
            let stored = try String(contentsOf: url, encoding: .utf8)
            #expect(text == stored, "snapshot \(name) differs; re-record with RECORD_SNAPSHOTS=1 if intended")
        }

        @Test func watermarksJSONOnTheGrownFixture() throws {
            let root = try FakeRoot.fromSnapshot("snapshots/after-full-growth")
            defer { FakeRoot.remove(root) }
            let (ok, text) = run("watermarks --json --root \(root.path)")
            #expect(ok)
            #expect(
                text.hasPrefix(
                    "{\"schema\": \"swaplab.watermarks/2\", \"engine\": \"live\", \"note\": null, \"highest_zone\": \"Normal\", \"zones\": [{\"node\": 0, \"zone\": \"DMA\", \"free_pages\": 3840, \"min_pages\": 10, \"low_pages\": 13, \"high_pages\": 16, \"boost_pages\": 0, \"managed_pages\": 3840, \"present_pages\": 3998, \"spanned_pages\": 4095, \"protection_pages\": [0, 3019, 24090, 24090, 24090]}"
                ))
            let doc = try object(text)
            #expect(doc["wake_point_pages"] as? Int == 47962)
            #expect(doc["distance_pages"] as? Int == 5_738_649)
            #expect(doc["memfree_pages"] as? Int == 5_786_598)
            #expect(doc["memfree_disagrees"] as? Bool == false)
            let zones = try #require(doc["zones"] as? [[String: Any]])
            #expect(zones.map { $0["zone"] as? String } == ["DMA", "DMA32", "Normal", "Movable", "Device"])
            #expect(zones[2]["free_pages"] as? Int == 5_011_392)
            #expect(zones[2]["managed_pages"] as? Int == 5_394_266)
        }

        @Test func watermarksTableOnTheLazyFixture() throws {
            let root = try FakeRoot.fromSnapshot("snapshots/baseline-lazy-zone")
            defer { FakeRoot.remove(root) }
            let (ok, text) = run("watermarks --root \(root.path)")
            #expect(ok)
            #expect(text.contains("lazily initialised (present 5505024, managed 753664 pages)"))
            try assertSnapshot(text, "watermarks-baseline-lazy-zone.txt")
            let (_, json) = run("watermarks --json --root \(root.path)")
            let doc = try object(json)
            #expect(doc["memfree_disagrees"] as? Bool == true)
            #expect((doc["lazy_zones"] as? [[String: Any]])?.first?["zone"] as? String == "Normal")
        }

        @Test func watermarksTableOnTheGrownFixture() throws {
            let root = try FakeRoot.fromSnapshot("snapshots/after-full-growth")
            defer { FakeRoot.remove(root) }
            let (ok, text) = run("watermarks --root \(root.path)")
            #expect(ok)
            #expect(text.contains("187 MiB of free memory (47962 pages"))
            try assertSnapshot(text, "watermarks-after-full-growth.txt")
        }

        @Test func simEngineWithoutAMachineShowsThisMachineWithANote() throws {
            let root = try FakeRoot.fromSnapshot("snapshots/after-full-growth")
            defer { FakeRoot.remove(root) }
            let (ok, text) = run("watermarks --root \(root.path)", engine: .sim)
            #expect(ok)
            #expect(text.hasPrefix("(live: this machine; the simulator has no machine yet — `machine` creates one)\n"))
            // A sim timeline without a simulated machine (e.g. a replay) does not change that: the zones shown are
            // this machine's, and the note says so (since "watermarks on the sim engine shows the simulated zones").
            let (ok2, text2) = run("watermarks --root \(root.path)", engine: .sim) { session in
                session.timelineProviders[.sim] = {
                    Timeline(machine: MachineDescription(engine: "sim", summary: "test"))
                }
            }
            #expect(ok2)
            #expect(text2.hasPrefix("(live: this machine; the simulator has no machine yet — `machine` creates one)\n"))
        }

        @Test func simEngineWithAMachineShowsTheSimulatedZones() throws {
            let (ok, text) = run(
                "machine --zones DMA=3840,DMA32=772915,Normal=5394266 --min-free-kbytes 67584 --wsf 1000; watermarks --json",
                engine: .sim)
            #expect(ok)
            let json = try #require(text.split(separator: "\n").last { $0.hasPrefix("{") })
            let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect(obj["engine"] as? String == "sim")
            let zones = try #require(obj["zones"] as? [[String: Any]])
            // The 6.18 machine at wsf 1000 (snapshots/watermark_scale_factor/wsf_1000.txt): same managed pages and sysctls.
            #expect(zones.map { $0["min_pages"] as? Int } == [10, 2116, 14769])
            #expect(zones.map { $0["low_pages"] as? Int } == [394, 79407, 554195])
            #expect(zones.map { $0["high_pages"] as? Int } == [778, 156698, 1093621])
        }

        @Test func aMissingZoneinfoIsAnErrorNotACrash() {
            let (ok, text) = run("watermarks --root /nonexistent-swaplab")
            #expect(!ok)
            #expect(text.contains("cannot read /nonexistent-swaplab/proc/zoneinfo: No such file or directory"))
        }

        /// /proc/zoneinfo's zones as `[zone: [key: value]]`, read with nothing from swaplab.
        static func rawZoneinfo() throws -> [String: [String: Int]] {
            var out: [String: [String: Int]] = [:]
            var zone = ""
            for line in try String(contentsOfFile: "/proc/zoneinfo", encoding: .utf8).split(separator: "\n") {
                let w = line.split(separator: " ")
                if w.first == "Node" {
                    zone = "\(w[1].dropLast())/\(w[3])"
                    continue
                }
                if w.count == 3, w[0] == "pages", w[1] == "free" { out[zone, default: [:]]["free"] = Int(w[2]) }
                if w.count == 2, ["min", "low", "high", "managed", "present"].contains(String(w[0])) {
                    out[zone, default: [:]][String(w[0])] = Int(w[1])
                }
            }
            return out
        }

        @Test(.enabled(if: FileManager.default.isReadableFile(atPath: "/proc/zoneinfo"), "needs /proc/zoneinfo"))
        func liveWatermarksJSONEqualsProcZoneinfo() throws {
            let before = try Self.rawZoneinfo()
            let (ok, text) = run("watermarks --json")
            let after = try Self.rawZoneinfo()
            #expect(ok)
            let zones = try #require(try object(text)["zones"] as? [[String: Any]])
            #expect(zones.count == before.count)
            for z in zones {
                let key = "\(z["node"] as? Int ?? -1)/\(z["zone"] as? String ?? "")"
                let a = try #require(before[key])
                let b = try #require(after[key])
                for field in ["min", "low", "high", "managed", "present"] {
                    let v = z[field + "_pages"] as? Int
                    #expect(v == a[field] || v == b[field], "\(key) \(field)")
                }
                // Free moves while we read: within 64 MiB of either reading.
                let free = try #require(z["free_pages"] as? Int)
                let lo = min(a["free"]!, b["free"]!) - 16384
                let hi = max(a["free"]!, b["free"]!) + 16384
                #expect((lo...hi).contains(free), "\(key) free \(free) outside \(lo)…\(hi)")
            }
        }

        @Test func doctorOnThisMachine() throws {
            let (ok, text) = run("doctor --json")
            #expect(ok)
            let doc = try object(text)
            let release = try String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            #expect((doc["kernel"] as? [String: Any])?["release"] as? String == release)
            #expect(doc["root"] as? Bool == (geteuid() == 0))
            #expect(doc["euid"] as? Int == Int(geteuid()))
            let checks = try #require(doc["checks"] as? [[String: Any]])
            let byName = Dictionary(uniqueKeysWithValues: checks.map { ($0["name"] as! String, $0) })
            let mounts = try String(contentsOfFile: "/proc/mounts", encoding: .utf8)
            let tracefs = mounts.split(separator: "\n").map { $0.split(separator: " ") }.first {
                $0.count > 2 && $0[2] == "tracefs"
            }
            let found = byName["tracefs"]?["found"] as? String
            if let tracefs {
                #expect(found == "mounted at \(tracefs[1])")
            } else {
                #expect(found?.hasPrefix("mounted") == false)
            }
            let swaps = try String(contentsOfFile: "/proc/swaps", encoding: .utf8).split(separator: "\n").count - 1
            #expect((byName["swap"]?["found"] as? String == "no swap in use") == (swaps == 0))
            let lruGen = FileManager.default.fileExists(atPath: "/sys/kernel/mm/lru_gen/enabled")
            #expect((byName["MGLRU"]?["found"] as? String == "not built in") == !lruGen)
            let engines = try #require(doc["engines"] as? [String: Bool])
            #expect(engines["sim"] == true && engines["live_read"] == true)
            if geteuid() != 0 { #expect(engines["live_trace"] == false && engines["live_lab"] == false) }
            let (textOK, human) = run("doctor")
            #expect(textOK)
            #expect(human.contains("[ok] kernel") && human.contains("Linux \(release)"))
        }

        @Test func doctorOnCapturedTrees() throws {
            let hopeless = try FakeRoot.fromSnapshot("runs/D4-noswap-file-thrash-hopeless/snap-after")
            defer { FakeRoot.remove(hopeless) }
            let (_, text) = run("doctor --json --root \(hopeless.path)")
            let checks = try #require(try object(text)["checks"] as? [[String: Any]])
            let stuck = try #require(checks.first { $0["name"] as? String == "node_unreclaimable" })
            #expect(stuck["status"] as? String == "warn" && stuck["found"] as? String == "set on node 0")
            let kernel = try #require(checks.first { $0["name"] as? String == "kernel" })
            #expect(kernel["status"] as? String == "missing")
            let lazyRoot = try FakeRoot.fromSnapshot("snapshots/baseline-lazy-zone")
            defer { FakeRoot.remove(lazyRoot) }
            let (_, lazyText) = run("doctor --json --root \(lazyRoot.path)")
            let lazyChecks = try #require(try object(lazyText)["checks"] as? [[String: Any]])
            let lazy = try #require(lazyChecks.first { $0["name"] as? String == "lazy zones" })
            #expect(lazy["status"] as? String == "warn")
            #expect((lazy["found"] as? String)?.contains("Normal (present 5505024, managed 753664)") == true)
        }

        /// In Korean, `doctor` speaks Korean, and records the English report that lessons' `output` patterns read
        /// (lesson 9's tracefs step); `--json` keeps the English words of its schema. D4's snap-after has
        /// `node_unreclaimable 1` on node 0.
        @Test func doctorSpeaksTheLearnersLanguageAndRecordsEnglish() throws {
            let hopeless = try FakeRoot.fromSnapshot("runs/D4-noswap-file-thrash-hopeless/snap-after")
            defer { FakeRoot.remove(hopeless) }
            let session = Session(output: Output(capturingWidth: 100), stateDirectory: testStateDirectory())
            session.engine = .live
            let shell = Shell(session: session)
            #expect(shell.execute("lang ko"))
            let before = session.output.captured.count
            let (ok, recorded) = session.output.recording { shell.execute("doctor --root \(hopeless.path)") }
            #expect(ok)
            let shown = String(session.output.captured.dropFirst(before))
            #expect(shown.contains("[!!] node_unreclaimable  노드 0에 켜짐\n"))
            #expect(shown.contains("\n엔진:\n  [ok] sim         내장 시뮬레이터는 언제나 동작합니다\n"))
            #expect(!shown.contains("set on node 0"))
            #expect(recorded.contains("[!!] node_unreclaimable  set on node 0\n"))
            #expect(recorded.contains("\nEngines:\n") && !recorded.contains("노드"))
            let (_, json) = run("doctor --json --root \(hopeless.path)") { $0.language = .ko }
            #expect(json.contains("\"found\": \"set on node 0\"") && !json.contains("노드"))
        }
    }
}  // extension LiveSystem
