#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The controlling terminal, written to directly so that what is shown there never reaches a redirected
/// standard output, a pipe or a log.
enum Terminal {
    /// Writes `text` to /dev/tty; false if the process has no terminal.
    static func show(_ text: String) -> Bool {
        let descriptor = open("/dev/tty", O_WRONLY | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) } == bytes.count
    }
}
