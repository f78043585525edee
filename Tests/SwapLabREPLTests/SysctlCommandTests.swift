import Foundation
import SwapLabModel
import Testing

@testable import SwapLabREPL

/// `sysctl` through `Shell.execute`, as a learner types it.
@Suite struct SysctlCommandTests {
    @Test func sysctlReadsAndWritesOnTheRunningMachine() {
        let sh = SimCommandTests.shell()
        #expect(sh.execute("machine --zones DMA=3840,DMA32=772915,Normal=5394266 --min-free-kbytes 67584 --used 0"))
        _ = sh.session.output.takeCaptured()
        #expect(sh.execute("sysctl vm.watermark_scale_factor"))
        #expect(sh.session.output.takeCaptured() == "vm.watermark_scale_factor = 10\n")
        #expect(sh.execute("sysctl vm.watermark_scale_factor 1000"))
        let out = sh.session.output.takeCaptured()
        // The marks the real machine printed after the same write (snapshots/watermark_scale_factor/wsf_1000.txt);
        // Normal holds the default page cache (15 % of 6,171,021 managed pages).
        #expect(out.hasPrefix("vm.watermark_scale_factor = 1000 (was 10) at t = 0.000 s; watermarks recomputed"))
        #expect(out.contains("0 DMA32        772915       2116      79407     156698     772915"))
        #expect(out.contains("0 Normal      4468613      14769     554195    1093621    5394266"))
        #expect(sh.execute("sysctl swappiness=100; sysctl /proc/sys/vm/swappiness"))
        #expect(sh.session.output.takeCaptured().hasSuffix("vm.swappiness = 100\n"))
    }

    @Test func unknownNamesAndOutOfRangeValuesSayWhatIsTaken() {
        let sh = SimCommandTests.shell()
        #expect(!sh.execute("sysctl vm.swapiness 10"))
        #expect(
            sh.session.output.takeCaptured().contains("unknown sysctl 'vm.swapiness'. Did you mean 'vm.swappiness'?"))
        #expect(!sh.execute("sysctl vm.watermark_scale_factor 3001"))
        #expect(
            sh.session.output.takeCaptured().contains(
                "vm.watermark_scale_factor = 3001 is out of range; the kernel accepts 1…3000"))
        #expect(!sh.execute("sysctl vm.min_free_kbytes lots"))
        #expect(sh.session.output.takeCaptured().contains("takes a whole number in 0…2147483647, not 'lots'"))
    }

    @Test func onTheLiveEngineSysctlSaysToSwitch() {
        let sh = SimCommandTests.shell()
        #expect(sh.execute("engine live"))
        _ = sh.session.output.takeCaptured()
        #expect(!sh.execute("sysctl vm.swappiness"))
        #expect(sh.session.output.takeCaptured().contains("sysctl works on the sim engine; switch with: engine sim"))
    }

    @Test func tabCompletesTheSysctlNames() {
        let completer = Completer(
            entries: CommandRegistry.entries.filter { $0.name == "sysctl" }, listDirectory: { _ in [] })
        #expect(
            completer.complete("sysctl vm.w").candidates == ["vm.watermark_boost_factor", "vm.watermark_scale_factor"])
        #expect(completer.complete("sysctl vm.swappiness ").candidates == [])
    }
}
