import Foundation
import SwapLabModel
import Testing

@testable import SwapLabKernel
@testable import SwapLabREPL

enum LabConditions {
    static var canRunLab: Bool {
        LiveConditions.isRoot && LiveConditions.hasTracefs && LiveConditions.canHog
            && ((try? Meminfo.read())?.memAvailable?.bytes ?? 0) > 4 << 30
    }
}

/// The whole lab on this machine (about 30 s each). Serialized: they share sysctls, swap, huge pages and tracefs.
extension LiveSystem {
    @Suite(.serialized, .changesMachine) struct LabLiveTests {
        @Test(
            "lab run: kswapd wakes and sleeps, pages go to swap and come back, free stays above the floor, all restored",
            .enabled(if: LabConditions.canRunLab, "needs root, tracefs, the swaplab binary and 4 GiB available"))
        func labRunEndToEnd() throws {
            let before = LiveMachineState.read()
            let state = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-lab-\(UUID())")
            defer { try? FileManager.default.removeItem(at: state) }
            let session = Session(output: Output(capturingWidth: 100), stateDirectory: state)
            let shell = Shell(session: session)
            #expect(shell.execute("engine live"))
            let ok = shell.execute("lab run --json")
            let out = session.output.takeCaptured()
            #expect(ok, "lab run failed: \(out)")
            let line = try #require(out.split(separator: "\n").last { $0.hasPrefix("{") }, "no JSON in: \(out)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            func int(_ k: String) -> Int { (json[k] as? NSNumber)?.intValue ?? -1 }
            // The whole story (docs/lab.md): woken by the hog, asleep again, ≥ 64 MiB out and ≥ 64 MiB back in.
            #expect(json["verdict"] as? String == "ok", "\(line)")
            #expect(json["failed_phase"] as? String == "none")
            #expect(json["reason"] as? String == "")
            for phase in ["wake", "sleep", "swap_out", "swap_in"] {
                #expect(json["phase_\(phase)_ok"] as? Bool == true, "phase \(phase): \(line)")
            }
            #expect(int("hog_wakeup_kswapd") > 0)
            #expect(int("wakeup_kswapd") >= int("hog_wakeup_kswapd"))
            #expect(int("kswapd_wake") > 0)
            #expect(int("kswapd_sleep") > 0)
            #expect(int("pswpout") >= 16384)
            #expect(int("pswpin") >= 16384)
            #expect(int("pswpout_mib") == int("pswpout") / 256)
            #expect(int("pswpin_mib") == int("pswpin") / 256)
            #expect((1...4).contains(int("rounds")))
            #expect(int("bad_pages") == 0)
            #expect(
                int("lowest_free_mib") >= int("floor_mib"),
                "free fell to \(int("lowest_free_mib")) MiB, floor \(int("floor_mib"))")
            #expect(int("lowest_free_mib") > 0)
            #expect(json["restored"] as? Bool == true)
            #expect(json["watchdog_tripped"] as? Bool == false)
            #expect(!json.values.contains { $0 is NSNull }, "a key is null: \(line)")
            // The session holds the lab's timeline: samples, the trace's events, a marker per phase.
            let t = try #require(session.labTimeline)
            #expect(t.samples.count > 50)
            #expect(t.events.contains { $0.name == "mm_vmscan_kswapd_sleep" })
            for m in ["lab: hog ready", "lab: balloon released", "lab: touched", "lab: restored"] {
                #expect(t.markerTime(m) != nil, "no marker \(m)")
            }
            // Everything as before, nothing pending in the journal (quitting the shell then removes it), and no swapfile.
            #expect(LiveMachineState.read() == before)
            let journal = try #require(session.live?.journal)
            #expect(journal.pending.isEmpty)
            session.cleanup()
            #expect(RestoreJournal.journals(in: state).isEmpty)
            let left = (try? FileManager.default.contentsOfDirectory(atPath: Swapfile.directory)) ?? []
            #expect(!left.contains { $0.hasPrefix("swapfile-") })
        }

        @Test(
            "lab run --compare: the live lab, then the same lab in the simulator from this machine as it was, side by side",
            .enabled(if: LabConditions.canRunLab, "needs root, tracefs, the swaplab binary and 4 GiB available"))
        func labRunCompare() throws {
            let before = LiveMachineState.read()
            let state = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-lab-\(UUID())")
            defer { try? FileManager.default.removeItem(at: state) }
            let session = Session(output: Output(capturingWidth: 80), stateDirectory: state)
            let shell = Shell(session: session)
            defer { session.cleanup() }
            #expect(shell.execute("engine live"))
            let ok = shell.execute("lab run --compare")
            let out = session.output.takeCaptured()
            #expect(ok, "lab run --compare failed: \(out)")
            let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let header = try #require(lines.firstIndex { $0.hasPrefix("measure ") }, "no table in: \(out)")
            // One row per measure, in the order FidelityMeasures.rows gives them, then the behaviours.
            let names = lines[(header + 1)...].prefix { !$0.isEmpty }.map {
                String($0.prefix(24)).trimmingCharacters(in: .whitespaces)
            }
            #expect(names.first == "hog start → first wake")
            #expect(names.count == 17)
            // This machine's column: kswapd woke and slept on the live run (the lab's own checks say so too).
            #expect(lines.contains { $0.hasPrefix("woke") && $0.contains(" yes ") })
            #expect(out.contains("measures within 2×"))
            #expect(lines.filter { DisplayWidth.of($0) > 80 } == [], "lines over 80 columns")
            // The table's real pswpout is the lab's own swap-out over the same hog rounds, within the swap-in phase's.
            let t = try #require(session.labTimeline)
            #expect(t.markers.contains { $0.label.hasPrefix("lab: hog ") })
            // chart draws both free lines from each run's hog start, the simulator's kswapd in its own lane.
            #expect(shell.execute("chart"))
            let chart = session.output.takeCaptured()
            print(chart)
            let chartLines = chart.split(separator: "\n").map(String.init)
            #expect(chartLines.contains { $0.contains("▆ real") && $0.contains("• simulator") })
            #expect(chartLines.contains { $0.hasPrefix("sim ") })
            #expect(chartLines.filter { $0.contains("┤") || $0.contains("│") }.contains { $0.contains("•") })
            #expect(chartLines.filter { DisplayWidth.of($0) > 80 } == [])
            #expect(shell.execute("explain"))
            let explained = session.output.takeCaptured()
            print(explained)
            #expect(explained.contains("Beside the simulator"))
            #expect(LiveMachineState.read() == before)
        }

        @Test(
            "lab run killed with SIGKILL in the hog phase: swaplab restore puts everything back",
            .enabled(if: LabConditions.canRunLab, "needs root, tracefs, the swaplab binary and 4 GiB available"))
        func sigkillThenRestore() throws {
            let before = LiveMachineState.read()
            let home = try Binary.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: home) }
            let env = Binary.environment(home: home)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Binary.path)
            p.arguments = ["-c", "engine live; lab run"]
            p.environment = env
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            let pid = p.processIdentifier
            // Wait for the hog: a swaplab-hog child of the lab (the balloon is already in place by then).
            var hogs: [Int32] = []
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline && p.isRunning {
                hogs = children(of: pid, named: "swaplab-hog")
                if !hogs.isEmpty { break }
                Thread.sleep(forTimeInterval: 0.1)
            }
            try #require(!hogs.isEmpty, "the lab never started its hog")
            Thread.sleep(forTimeInterval: 1.5)
            #expect((Int((try? Sysctl.read("nr_hugepages")) ?? "0") ?? 0) > 0, "the balloon should be in place")
            kill(pid, SIGKILL)
            p.waitUntilExit()
            #expect(p.terminationReason == .uncaughtSignal)
            // The hog dies with its parent (PR_SET_PDEATHSIG).
            let gone = Date().addingTimeInterval(5)
            while Date() < gone && hogs.contains(where: { kill($0, 0) == 0 && !isZombie($0) }) {
                Thread.sleep(forTimeInterval: 0.05)
            }
            #expect(!hogs.contains { kill($0, 0) == 0 && !isZombie($0) }, "hog still alive")

            let restore = Process()
            restore.executableURL = URL(fileURLWithPath: Binary.path)
            restore.arguments = ["restore"]
            restore.environment = env
            let pipe = Pipe()
            restore.standardOutput = pipe
            restore.standardError = pipe
            try restore.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            restore.waitUntilExit()
            #expect(restore.terminationStatus == 0, "restore said: \(text)")
            #expect(text.contains("vm.nr_hugepages"), "restore said: \(text)")
            #expect(text.contains("swapfile"), "restore said: \(text)")
            let after = LiveMachineState.read()
            #expect(after == before, "after: \(after)\nbefore: \(before)\nrestore said: \(text)")
            #expect(after.hugePagesTotal == 0)
            #expect(after.swaplabInstances.isEmpty)
            let left = (try? FileManager.default.contentsOfDirectory(atPath: Swapfile.directory)) ?? []
            #expect(!left.contains { $0.hasPrefix("swapfile-\(pid)-") })
        }

        @Test(
            "lab prepare sets up swap, tracing, watermarks and the balloon; lab restore puts everything back",
            .enabled(if: LabConditions.canRunLab, "needs root, tracefs, the swaplab binary and 4 GiB available"))
        func prepareThenRestore() throws {
            let before = LiveMachineState.read()
            let state = FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-lab-\(UUID())")
            defer { try? FileManager.default.removeItem(at: state) }
            let session = Session(output: Output(capturingWidth: 100), stateDirectory: state)
            let shell = Shell(session: session)
            defer { _ = session.thisMachine().restoreLab(); session.cleanup() }
            #expect(shell.execute("engine live"))
            #expect(shell.execute("lab prepare"), "\(session.output.takeCaptured())")
            let during = LiveMachineState.read()
            #expect(during.swaps.count == before.swaps.count + 1)
            #expect(during.swaplabInstances == ["swaplab-\(getpid())"])
            #expect(during.sysctls["watermark_scale_factor"] != before.sysctls["watermark_scale_factor"])
            #expect((during.hugePagesTotal ?? 0) > 0)
            #expect(session.thisMachine().labPrepared)
            #expect(shell.execute("lab restore"), "\(session.output.takeCaptured())")
            #expect(!session.thisMachine().labPrepared)
            #expect(LiveMachineState.read() == before)
            #expect(session.labTimeline?.markerTime("lab: balloon \(during.hugePagesTotal ?? 0) huge pages") != nil)
        }

        /// Processes whose parent is `pid` and whose comm is `name`.
        func children(of pid: Int32, named name: String) -> [Int32] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap(Int32.init).filter { p in
                guard let status = try? String(contentsOfFile: "/proc/\(p)/status", encoding: .utf8) else {
                    return false
                }
                return status.contains("Name:\t\(name)\n") && status.contains("PPid:\t\(pid)\n")
            }
        }

        func isZombie(_ pid: Int32) -> Bool {
            ((try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? "State:\tZ").contains("State:\tZ")
        }
    }
}  // extension LiveSystem
