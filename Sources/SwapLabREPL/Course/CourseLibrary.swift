import Foundation
import SwapLabCourse

/// Lesson loading for a shell: the course read on first use from `SWAPLAB_LESSONS` (`--lessons DIR`) or the lessons
/// built into swaplab (`LessonLocator`, `LessonLoader`), kept with the reason when it could not be read.
final class CourseLibrary {
    /// The loaded course, or why it could not be loaded; nil before the first use.
    private var loaded: Result<Course, LessonError>?

    /// The course, loaded on first use; a problem is the loader's `LessonError`, reported like every error.
    func course() throws -> Course { try load() }

    /// The course if it is loaded and usable (nothing is read).
    var current: Course? {
        guard case .success(let c)? = loaded else { return nil }
        return c
    }

    /// Uses `course` instead of looking for lessons (tests, `lessons test` on a given folder).
    func use(_ course: Course) { loaded = .success(course) }

    private func load() throws(LessonError) -> Course {
        if let loaded { return try loaded.get() }
        let r: Result<Course, LessonError>
        do {
            r = .success(try LessonLoader.loadCourse(from: LessonLocator.locate()))
        } catch {
            r = .failure(error)
        }
        loaded = r
        return try r.get()
    }
}
