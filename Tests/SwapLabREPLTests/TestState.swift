import Foundation

/// A fresh state folder for a test's session, so no test reads or writes the learner's own progress (a saved
/// `lang ko` there would change every command's words).
func testStateDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("swaplab-test-state-\(UUID().uuidString)")
}
