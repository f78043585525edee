import SwapLabModel

/// Tab completion for the shell's own commands.
extension EngineCommand: CompletionProvider {
    static func completions(for words: [String]) -> [String] {
        words.count == 1 ? EngineKind.allCases.map(\.rawValue) : []
    }
}

extension HelpCommand: CompletionProvider {
    static func completions(for words: [String]) -> [String] {
        words.count == 1 ? CommandRegistry.allNames : []
    }
}
