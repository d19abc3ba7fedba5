import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `importing 5000/20000 keys` on standard error, rewritten in place, only when standard error is a terminal:
/// a log or a pipe gets nothing.
struct ImportProgress: Sendable {
    let total: Int
    let enabled = isatty(STDERR_FILENO) == 1

    @Sendable func show(_ done: Int, _ total: Int) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\rimporting \(done)/\(total) keys".utf8))
    }

    func finish() {
        guard enabled, total > 0 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
