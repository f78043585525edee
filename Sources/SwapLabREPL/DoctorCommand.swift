import ArgumentParser
import Foundation
import SwapLabKernel
import SwapLabModel

/// `doctor [--json]`: what this machine allows (kernel, root, tracefs, swap, zswap/zram, MGLRU, THP, lazy zones,
/// node_unreclaimable, memory cgroup, PSI) and what swaplab does about each; then which engines and lessons run here.
///
/// `--root DIR` (hidden) reads /proc and /sys below DIR instead of `session.systemRoot`.
struct DoctorCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check what this machine allows (root, tracefs, swap, MGLRU, lazy zones…) and what swaplab will do.",
        discussion: """
            Each line: a mark ([ok] fine, [--] information, [!!] needs attention, [no] missing), what was found, and \
            what swaplab does about it. Nothing is changed; no root is needed to run it.

            --json keys (schema swaplab.doctor/1; docs/json.md): swaplab_version, kernel {ostype, release}, root, \
            euid, container, checks [{name, status, found, action}] with status ok|info|warn|missing, engines {sim, \
            live_read, live_trace, live_lab}, lessons {simulator, live_steps, reason}.
            """)

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Read /proc and /sys below DIR (tests).", visibility: .hidden))
    var root: String?

    func run(in session: Session) throws {
        let survey = MachineSurvey.read(root: SystemRoot(root ?? session.systemRoot))
        let report = DoctorReport(survey)
        if json {
            session.output.line(report.json.text)
        } else {
            report.render(to: session.output)
        }
    }
}

extension DoctorReport {
    func render(to out: Output) {
        out.line("swaplab \(SwapLabVersion.current)")
        out.line()
        let nameWidth = checks.map { DisplayWidth.of($0.name) }.max() ?? 8
        for c in checks {
            let style: Output.Style =
                c.status == .ok ? .green : c.status == .warn ? .yellow : c.status == .missing ? .red : .dim
            let head = out.styled(c.status.mark, style) + " " + DisplayWidth.pad(c.name, to: nameWidth) + "  "
            let indent = String(repeating: " ", count: 5 + nameWidth + 2)
            out.paragraph(head + c.found, indent: indent)
            let lines = DisplayWidth.wrap("→ " + c.action, width: out.width - indent.count, indent: "  ")
            for l in lines { out.line(indent + l) }
        }
        out.line()
        out.line("Engines:")
        out.line("  [ok] sim         the built-in simulator always runs")
        out.line(
            "  \(liveRead ? "[ok]" : "[no]") live read   watermarks, vmstat, sampling"
                + (liveRead ? "" : " — /proc/zoneinfo cannot be read"))
        out.line(
            "  \(liveTrace ? "[ok]" : "[no]") live trace  kswapd and direct-reclaim events"
                + (liveTrace ? "" : " — needs root and tracefs"))
        out.line(
            "  \(liveLab ? "[ok]" : "[no]") live lab    swap-out, swap-in and the lab"
                + (liveLab ? "" : " — \(labReason ?? "")"))
        out.line()
        out.paragraph(
            "Lessons: every step runs on the simulator"
                + (liveLab
                    ? "; live steps run on this machine too." : "; live steps are skipped here (\(labReason ?? "")).")
        )
    }
}
