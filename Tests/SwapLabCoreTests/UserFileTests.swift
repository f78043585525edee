import Foundation
import Glibc
import Testing

@testable import SwapLabCourse
@testable import SwapLabKernel
@testable import SwapLabREPL

/// Issue 14, safe file writes: swaplab replaces only a regular file or a missing path (checked with lstat, links
/// never followed), never creates an export's folder, and reads only regular files of bounded size.
@Suite struct UserFileTests {
    @Test func replacesARegularFileAtomicallyKeepingItsMode() throws {
        let dir = tempDir("userfile")
        let file = dir.appendingPathComponent("out.txt").path
        try UserFile.replace(file, with: Array("one\n".utf8))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "one\n")
        #expect(chmod(file, 0o640) == 0)
        try UserFile.replace(file, with: Array("two\n".utf8))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "two\n")
        #expect(try Syscall.linkStatus(file).st_mode & 0o777 == 0o640)
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.txt"])
    }

    @Test func refusesEverythingButARegularFileOrANewPath() throws {
        let dir = tempDir("userfile")
        let target = dir.appendingPathComponent("target").path
        try "keep".write(toFile: target, atomically: true, encoding: .utf8)
        let link = dir.appendingPathComponent("link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let fifo = dir.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let cases: [(String, UserFileError)] = [
            ("/dev/null", .notAFile(path: "/dev/null", kind: "a character device", writing: true)),
            (link, .notAFile(path: link, kind: "a symbolic link", writing: true)),
            (fifo, .notAFile(path: fifo, kind: "a FIFO (named pipe)", writing: true)),
            (dir.path, .notAFile(path: dir.path, kind: "a directory", writing: true)),
            (
                dir.path + "/missing/x.json",
                .folderMissing(path: dir.path + "/missing/x.json", folder: dir.path + "/missing")
            ),
        ]
        for (path, error) in cases {
            #expect(throws: error) { try UserFile.replace(path, with: Array("x".utf8)) }
        }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep")
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/missing"))
        #expect(
            UserFileError.notAFile(path: "/dev/null", kind: "a character device", writing: true).description
                == "/dev/null is a character device, not a regular file; swaplab writes only regular files: name a new "
                + "file or a regular one")
    }

    @Test func readsOnlyRegularFilesOfBoundedSize() throws {
        let dir = tempDir("userfile")
        let fifo = dir.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: UserFileError.notAFile(path: fifo, kind: "a FIFO (named pipe)", writing: false)) {
            try UserFile.readBytes(fifo, limit: 100)
        }
        #expect(throws: UserFileError.notAFile(path: "/dev/zero", kind: "a character device", writing: false)) {
            try UserFile.readBytes("/dev/zero", limit: 100)
        }
        let big = dir.appendingPathComponent("big").path
        try String(repeating: "x", count: 101).write(toFile: big, atomically: true, encoding: .utf8)
        #expect(throws: UserFileError.tooLarge(path: big, limit: 100)) { try UserFile.readBytes(big, limit: 100) }
        let utf16 = dir.appendingPathComponent("utf16").path
        try Data([0xFF, 0xFE, 0x41, 0x00]).write(to: URL(fileURLWithPath: utf16))
        #expect(throws: UserFileError.notUTF8(path: utf16)) { try UserFile.readText(utf16, limit: 100) }
        #expect(throws: UserFileError.missing(path: dir.path + "/nope")) {
            try UserFile.readText(dir.path + "/nope", limit: 1)
        }
    }

    @Test func theStateFolderIsCreatedButAFileInItsPlaceIsReported() throws {
        let dir = tempDir("userfile")
        try UserFile.ensureFolder(dir.path + "/a/b")
        #expect(try Syscall.status(dir.path + "/a/b").st_mode & S_IFMT == S_IFDIR)
        try "x".write(toFile: dir.path + "/file", atomically: true, encoding: .utf8)
        #expect(throws: UserFileError.notAFolder(path: dir.path + "/file")) {
            try UserFile.ensureFolder(dir.path + "/file/s")
        }
        #expect(
            UserFileError.notAFolder(path: "/x/swaplab").description
                == "/x/swaplab is a file, not a folder; move it away so swaplab can keep its state there")
    }

    @Test func progressThatCannotBeReadIsLeftAloneAndNeverSavedOver() throws {
        let dir = tempDir("progress")
        let store = ProgressStore(directory: dir)
        try FileManager.default.createDirectory(at: store.file, withIntermediateDirectories: false)
        let (progress, notice) = store.load()
        #expect(progress == CourseProgress())
        #expect(
            notice == "your progress file could not be read (\(store.file.path) is a directory, not a regular "
                + "file; name a regular file); it is left as it is and progress is not saved this session")
        #expect(throws: ProgressError.self) { try store.save(CourseProgress()) }
        #expect(try Syscall.status(store.file.path).st_mode & S_IFMT == S_IFDIR)
        // A state path that is a file: said in those words.
        let file = tempDir("state").appendingPathComponent("swaplab")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        let (_, fileNotice) = ProgressStore(directory: file).load()
        #expect(
            fileNotice == "\(file.path) is a file, not a folder; move it away so swaplab can keep its state there; "
                + "progress is not saved this session")
    }

    @Test func progressSavesDoNotReadTheFileAgain() throws {
        let dir = tempDir("progress")
        let store = ProgressStore(directory: dir)
        var p = CourseProgress()
        p.lessons["a"] = LessonProgress(version: 1, language: .en, engine: .sim)
        try store.save(p)
        // Whatever is on disk now (another writer, a hand edit) is replaced, not parsed first.
        try "{ not json".write(to: store.file, atomically: true, encoding: .utf8)
        try store.save(p)
        #expect(try ProgressStore.read(store.file) == p)
    }
}
