import Foundation
import SwapLabCourse
import SwapLabModel

/// Where the tutor's words (`Tutor`) meet the terminal: each line set apart with `│ `, wrapped by display width,
/// `**bold**` styled when colour is on, and long texts paced with `…` in interactive mode.
struct TutorVoice {
    let output: Output
    /// Pages long texts (interactive mode).
    var interactive: Bool
    /// Waits for Enter between pages.
    var pause: () -> Void

    /// Lines per page of a long text.
    static let page = 14

    /// Says `said` in its tone.
    func say(_ said: Said) { say(said.text, style: TutorVoice.style(said.tone)) }

    /// Prints tutor text with the margin mark, wrapped by display width; long texts pause in interactive mode.
    func say(_ text: String, style: Output.Style? = nil) {
        let width = max(20, output.width - 2)
        var lines: [String] = []
        for block in Tutor.reflow(Tutor.render(text, bold: { output.styled($0, .bold) })) {
            lines += DisplayWidth.wrap(block, width: width, indent: Tutor.isListItem(block) ? "  " : "")
        }
        for (i, l) in lines.enumerated() {
            if interactive && i > 0 && i % TutorVoice.page == 0 && lines.count - i > 3 { pause() }
            let mark = output.styled("│", .cyan)
            output.line(l.isEmpty ? mark : mark + " " + (style.map { output.styled(l, $0) } ?? l))
        }
    }

    /// One dim line in the margin, clipped to the width (what a step's setup runs).
    func note(_ text: String) {
        let room = max(20, output.width - 2)
        let line = DisplayWidth.of(text) > room ? DisplayWidth.clip(text, to: room) : text
        output.line(output.styled("│", .cyan) + " " + output.styled(line, .dim))
    }

    /// A line the course runs for the learner, echoed with `›`.
    func echo(_ line: String) { output.line(output.styled("› " + line, .dim)) }

    static func style(_ tone: Tone) -> Output.Style? {
        switch tone {
        case .plain: return nil
        case .bold: return .bold
        case .dim: return .dim
        case .green: return .green
        case .yellow: return .yellow
        }
    }
}
