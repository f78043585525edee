import Foundation
import SwapLabTestSupport
import Testing

@testable import SwapLabKernel
@testable import SwapLabModel

/// /proc/vmstat, /proc/meminfo, /proc/pressure/memory, /proc/swaps, the vm sysctls, /proc/PID/status and the
/// kernel release, against the 6.18 captures (numbers read from the files) and synthetic older formats.
@Suite struct ProcReadersTests {
    @Test func vmstatReadsCountersByExactName() throws {
        let v = try Vmstat.parse(try Fixtures.text("runs/D2a-direct-reclaim/snap-after/vmstat.txt"))
        #expect(v["pgscan_direct"] == 67367)
        #expect(v["pgscan_kswapd"] == 6_969_694)
        #expect(v["pswpout"] == 1_854_403)
        #expect(v["pswpin"] == 1_366_967)
        #expect(v["nr_free_pages"] == 5_663_074)
        #expect(v["pageoutrun"] == 71)
        #expect(v["nr_unstable"] == 0)
        #expect(v["pgscan"] == nil)
        // allocstall_normal 13 + allocstall_movable 565; the only family summed.
        #expect(v.allocstall == 578)
        #expect(v["allocstall"] == nil)
    }

    @Test func vmstatNrFreePagesEqualsTheZonesAfterGrowth() throws {
        let v = try Vmstat.parse(try Fixtures.text("snapshots/after-full-growth/vmstat.txt"))
        #expect(v["nr_free_pages"] == Int64(3840 + 771_379 + 5_011_392))
        #expect(v.allocstall == 0)
        #expect(v["oom_kill"] == 0)
    }

    @Test func vmstatToleratesLinux44PerZoneNames() throws {
        let text =
            "nr_free_pages 100\nallocstall 7\npgscan_kswapd_dma 1\npgscan_kswapd_dma32 20\npgscan_kswapd_normal 300\npgscan_kswapd_movable 0\npgsteal_direct_normal 9\n"
        let v = try Vmstat.parse(text)
        #expect(v.allocstall == 7)
        #expect(v["pgscan_kswapd"] == nil)
        #expect(v.perZone("pgscan_kswapd") == [.dma: 1, .dma32: 20, .normal: 300, .movable: 0])
        #expect(v.perZone("pgsteal_direct") == [.normal: 9])
        let later = try Vmstat.parse("nr_free_pages 90\nallocstall 9\n")
        #expect(v.delta(to: later) == ["nr_free_pages": -10, "allocstall": 2])
    }

    @Test func vmstatRejectsABadLine() {
        #expect(throws: KernelError.malformed(path: "v", line: 2, text: "pswpin x", reason: "expected 'name value'")) {
            try Vmstat.parse("pswpout 1\npswpin x\n", path: "v")
        }
    }

    @Test func meminfoKeepsKibibytesAndCounts() throws {
        let m = try Meminfo.parse(try Fixtures.text("snapshots/after-full-growth/meminfo.txt"))
        #expect(m.kibibytes["MemFree"] == 23_146_392)
        #expect(m.memFree == Pages(5_786_598))
        #expect(m.kibibytes["Active(file)"] == 777_412)
        #expect(m.kibibytes["VmallocTotal"] == 34_359_738_367)
        #expect(m.swapTotal == .zero)
        #expect(m.hugePagesTotal == 0)
        #expect(m.hugePageSizeKiB == 2048)
        let during = try Meminfo.parse(try Fixtures.text("runs/D1b-kswapd-swapout-clean/snap-during/meminfo.txt"))
        #expect(during.hugePagesTotal == 9824)
        #expect(during.kibibytes["SwapFree"] == 3_650_564)
        #expect(during.kibibytes["HugePages_Total"] == nil)
    }

    @Test func pressureReadsSomeAndFull() throws {
        let p = try Pressure.parse(try Fixtures.text("runs/D1b-kswapd-swapout-clean/snap-during/pressure_memory.txt"))
        #expect(p.some == PressureLine(avg10: 6.14, avg60: 5.02, avg300: 2.58, totalMicroseconds: 10_538_376))
        #expect(p.full == PressureLine(avg10: 5.57, avg60: 4.68, avg300: 2.41, totalMicroseconds: 9_852_658))
        let idle = try Pressure.parse(try Fixtures.text("snapshots/baseline-lazy-zone/pressure_memory.txt"))
        #expect(idle.some.totalMicroseconds == 0 && idle.full?.avg300 == 0)
    }

    @Test func pressureMissingIsNilWithAReason() throws {
        let root = try FakeRoot.make(["proc/zoneinfo": ""])
        defer { FakeRoot.remove(root) }
        let r = try Pressure.read(root: SystemRoot(root.path))
        #expect(r.pressure == nil)
        #expect(r.reason?.contains("older than 4.20") == true)
    }

    @Test func swapsReadsAreasAndEmptyTables() throws {
        let areas = try Swaps.parse(try Fixtures.text("runs/D1b-kswapd-swapout-clean/snap-during/swaps.txt"))
        #expect(
            areas == [
                SwapArea(
                    path: "/swapfile.swaplab", type: "file", size: Pages(1_048_575), used: Pages(135_934), priority: -2)
            ])
        #expect(try Swaps.parse(try Fixtures.text("runs/D4-noswap-file-thrash-hopeless/snap-during/swaps.txt")).isEmpty)
        let odd = try Swaps.parse(
            "Filename\tType\tSize\tUsed\tPriority\n/my\\040swap file\t\t1024\t0\t-3\n/dev/zram0 partition 4096 8 100\n")
        #expect(odd.map(\.path) == ["/my swap", "/dev/zram0"])
        #expect(odd.map(\.isZram) == [false, true])
        #expect(odd[1].used == Pages(2))
    }

    @Test func vmSysctlsReadEachFileAndLeaveMissingOnesNil() throws {
        let root = try FakeRoot.make([
            "proc/sys/vm/min_free_kbytes": "67584\n", "proc/sys/vm/watermark_scale_factor": "10\n",
            "proc/sys/vm/swappiness": "60\n", "proc/sys/vm/nr_hugepages": "0\n",
            "proc/sys/vm/lowmem_reserve_ratio": "256\t256\t32\t0\t0\n",
        ])
        defer { FakeRoot.remove(root) }
        let s = try VMSysctls.read(root: SystemRoot(root.path))
        #expect(s.minFreeKbytes == 67584 && s.watermarkScaleFactor == 10 && s.swappiness == 60 && s.nrHugepages == 0)
        #expect(s.lowmemReserveRatio == [256, 256, 32, 0, 0])
        #expect(s.watermarkBoostFactor == nil && s.overcommitMemory == nil)
    }

    @Test func vmSysctlsOfThisMachine() throws {
        let s = try VMSysctls.read()
        func raw(_ name: String) -> Int64? {
            (try? String(contentsOfFile: "/proc/sys/vm/\(name)", encoding: .utf8))
                .flatMap { Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        #expect(s.minFreeKbytes == raw("min_free_kbytes"))
        #expect(s.watermarkScaleFactor == raw("watermark_scale_factor"))
        #expect(s.swappiness == raw("swappiness"))
    }

    @Test func processStatusOfThisProcess() throws {
        let me = Int(getpid())
        let s = try ProcessStatus.read(pid: me)
        let text = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let nameLine = try #require(text.split(separator: "\n").first { $0.hasPrefix("Name:") })
        #expect(s.name == nameLine.dropFirst(5).trimmingCharacters(in: .whitespaces))
        #expect(s.pid == me)
        #expect((s.rss?.count ?? 0) > 0)
        #expect(s.swap != nil)
        let kthread = try ProcessStatus.parse("Name:\tkswapd0\nState:\tS (sleeping)\nPid:\t80\n", pid: 80)
        #expect(kthread.name == "kswapd0" && kthread.rss == nil && kthread.state == "S (sleeping)")
        let hog = try ProcessStatus.parse("Name:\thog\nVmRSS:\t  262144 kB\nVmSwap:\t    4096 kB\n", pid: 5)
        #expect(hog.rss == Pages(65536) && hog.swap == Pages(1024))
    }

    @Test func kernelReleaseIsWhatUnameSays() throws {
        let r = try KernelRelease.read()
        let release = try String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(r.release == release)
        #expect(r.ostype == "Linux")
        let fixture = KernelRelease(ostype: "Linux", release: "6.18.44-fc-v669")
        #expect(fixture.version! == (6, 18))
        #expect(fixture.isAtLeast(5, 15) && fixture.isAtLeast(6, 18) && !fixture.isAtLeast(6, 19))
        #expect(KernelRelease(ostype: "Linux", release: "4.4.155").isAtLeast(4, 4))
    }
}
