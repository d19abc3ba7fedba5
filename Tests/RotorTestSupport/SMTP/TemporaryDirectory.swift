import Foundation

/// A fresh directory under the system temporary directory, removed with everything in it by `remove()`
/// or when the value goes away.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init() throws {
        var template = Array((NSTemporaryDirectory() + "/rotor-notify-tests.XXXXXX").utf8CString)
        path = try template.withUnsafeMutableBufferPointer { buffer -> String in
            guard let base = buffer.baseAddress, let created = mkdtemp(base) else {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            return String(cString: created)
        }
    }

    deinit { remove() }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// `path/name`.
    public func file(_ name: String) -> String { path + "/" + name }
}
