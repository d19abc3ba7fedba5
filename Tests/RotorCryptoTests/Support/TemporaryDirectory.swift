import Foundation

/// A fresh directory under the system temporary directory, removed with everything in it when
/// the test's closure returns.
func withTemporaryDirectory<R>(_ body: (String) throws -> R) throws -> R {
    var template = Array((NSTemporaryDirectory() + "/rotor-crypto-tests.XXXXXX").utf8CString)
    let path = try template.withUnsafeMutableBufferPointer { buffer -> String in
        guard let base = buffer.baseAddress, let created = mkdtemp(base) else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        return String(cString: created)
    }
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// Writes `contents` to `path` and sets `mode` exactly (tests build bad files on purpose).
func writeFile(_ path: String, _ contents: [UInt8], mode: mode_t) throws {
    guard FileManager.default.createFile(atPath: path, contents: Data(contents)) else {
        throw POSIXError(.EIO)
    }
    guard chmod(path, mode) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
}

/// The permission bits of `path`, from stat(2).
func permissions(of path: String) throws -> mode_t {
    var status = stat()
    guard stat(path, &status) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    return status.st_mode & 0o7777
}
