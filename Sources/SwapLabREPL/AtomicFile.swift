import Foundation
import SwapLabModel
import SwapLabSimulator
import SwapLabKernel
import SwapLabAnalysis
import SwapLabExplain
import SwapLabCourse

/// Writes files so that a reader never sees half of one, through `UserFile.replace`: only a regular file or a new
/// path, a temporary file beside it, then rename(2); the folder must exist.
enum AtomicFile {
    static func write(_ text: String, to path: String) throws {
        try write(to: path) { put in try put(text) }
    }

    /// Streams the file: `body` hands its text piece by piece to the function it is given, each piece written at
    /// once, so a large file never sits in memory whole. The target appears (by rename) only when `body` is done;
    /// on any error the temporary file is removed and the target is left as it was.
    static func write(to path: String, _ body: (_ put: (String) throws -> Void) throws -> Void) throws {
        // `UserFile.replace` throws only its own errors: an error of `body` is kept here, the write abandoned with a
        // stand-in, and the kept error rethrown.
        var bodyError: (any Error)?
        do {
            try UserFile.replace(path) { (fd, temporary) throws(UserFileError) in
                do {
                    try body { piece in
                        do throws(SystemError) { try Syscall.writeAll(fd, piece, path: temporary) } catch {
                            throw UserFileError.unwritable(path: path, errno: error.errno)
                        }
                    }
                } catch let e as UserFileError {
                    throw e
                } catch {
                    bodyError = error
                    throw UserFileError.unwritable(path: path, errno: Errno(ECANCELED))
                }
            }
        } catch {
            if let bodyError { throw bodyError }
            throw ShellError.failed(error.description)
        }
    }
}
