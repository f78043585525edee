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
            // Shown in the learner's language; recorded in English, which lessons' `output` patterns read.
            session.report(lines: { out, w in report.render(to: out, w) })
        }
    }
}

extension DoctorReport {
    func render(to out: Output, _ w: Words) {
        out.line("swaplab \(SwapLabVersion.current)")
        out.line()
        let nameWidth = checks.map { DisplayWidth.of($0.name) }.max() ?? 8
        for c in checks {
            let style: Output.Style =
                c.status == .ok ? .green : c.status == .warn ? .yellow : c.status == .missing ? .red : .dim
            let head = out.styled(c.status.mark, style) + " " + DisplayWidth.pad(c.name, to: nameWidth) + "  "
            let indent = String(repeating: " ", count: 5 + nameWidth + 2)
            out.paragraph(head + w(c.found, c.foundKo), indent: indent)
            let lines = DisplayWidth.wrap("→ " + w(c.action, c.actionKo), width: out.width - indent.count, indent: "  ")
            for l in lines { out.line(indent + l) }
        }
        let missing = labMissing.joined(separator: ", ")
        let reason = w("needs \(missing)", "\(missing) 필요")
        out.line()
        out.line(w("Engines:", "엔진:"))
        out.line("  [ok] sim         " + w("the built-in simulator always runs", "내장 시뮬레이터는 언제나 동작합니다"))
        out.line(
            "  \(liveRead ? "[ok]" : "[no]") live read   " + w("watermarks, vmstat, sampling", "워터마크, vmstat, 샘플링")
                + (liveRead ? "" : w(" — /proc/zoneinfo cannot be read", " — /proc/zoneinfo를 읽을 수 없음")))
        out.line(
            "  \(liveTrace ? "[ok]" : "[no]") live trace  "
                + w("kswapd and direct-reclaim events", "kswapd와 direct reclaim 이벤트")
                + (liveTrace ? "" : w(" — needs root and tracefs", " — root와 tracefs 필요")))
        out.line(
            "  \(liveLab ? "[ok]" : "[no]") live lab    " + w("swap-out, swap-in and the lab", "swap-out, swap-in, 실습")
                + (liveLab ? "" : " — \(reason)"))
        out.line()
        out.paragraph(
            liveLab
                ? w(
                    "Lessons: every step runs on the simulator; live steps run on this machine too.",
                    "강의: 모든 단계가 시뮬레이터에서 돌고, live 단계는 이 컴퓨터에서도 돕니다.")
                : w(
                    "Lessons: every step runs on the simulator; live steps are skipped here (\(reason)).",
                    "강의: 모든 단계가 시뮬레이터에서 돌고, live 단계는 여기서 건너뜁니다 (\(reason))."))
    }
}
