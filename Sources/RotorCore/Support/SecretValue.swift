import RotorCrypto

/// A secret value in memory. It never prints itself: `description`, `debugDescription` and string
/// interpolation all show `<redacted>`, so a stray log line or error message cannot leak it.
/// Code that really needs the value asks for `revealed`, which stands out in review.
public struct SecretValue: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let bytes: [UInt8]

    public init(_ string: String) { self.bytes = Array(string.utf8) }
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// The value itself. Only for handing it to a target, a source or a check.
    public var revealed: String { String(decoding: bytes, as: UTF8.self) }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "SecretValue(<redacted>, \(display))" }

    /// First 8 hex characters of SHA-256 of the value: identifies a version without revealing it.
    public var fingerprint: String { String(SHA256.hex(bytes).prefix(8)) }

    /// The last 4 characters (fewer for a very short value), as shown in `sk-…x7K2`.
    public var last4: String {
        let text = revealed
        return text.count >= 12 ? String(text.suffix(4)) : ""
    }

    /// How a version is shown to people: a well-known prefix (up to the last `-` or `_` within the
    /// first 8 characters), an ellipsis, and the last 4 characters; for example `sk-…x7K2`.
    public var display: String { SecretValue.display(prefix: knownPrefix, last4: last4) }

    var knownPrefix: String {
        let head = revealed.prefix(8)
        guard let cut = head.lastIndex(where: { $0 == "-" || $0 == "_" }) else { return "" }
        let prefix = String(head[...cut])
        return prefix.count < revealed.count - 12 ? prefix : ""
    }

    public static func display(prefix: String, last4: String) -> String {
        "\(prefix)…\(last4.isEmpty ? "****" : last4)"
    }
}
