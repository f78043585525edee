import Foundation
import PackagePlugin

/// Builds the course into the executable: runs `EmbedLessonsTool` on the package's `Lessons/` folder to generate
/// `BuiltInLessons.swift` for the target. Every lesson file is a declared input, so editing, adding or removing one
/// regenerates it.
@main
struct EmbedLessons: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let lessons = context.package.directoryURL.appendingPathComponent("Lessons")
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("BuiltInLessons.swift")
        var inputs = [lessons]
        if let walker = FileManager.default.enumerator(
            at: lessons, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        {
            for case let url as URL in walker {
                if (try? url.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory == true { inputs.append(url) }
                if (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true { inputs.append(url) }
            }
        }
        return [
            .buildCommand(
                displayName: "Embedding the lessons (\(inputs.count - 1) files and folders) into \(target.name)",
                executable: try context.tool(named: "EmbedLessonsTool").url,
                arguments: [lessons.path, output.path],
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}
