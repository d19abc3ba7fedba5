/// A 32-byte AES-256 key that seals Rotor's stored values.
///
/// The bytes are internal to RotorCrypto: nothing outside can print, log or serialise them.
/// `description`, `debugDescription` and the reflection mirror (used by `dump`) show only the id.
public struct MasterKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable {
    /// Size of a master key in bytes.
    public static let byteCount = 32

    /// "mk_" + the first 12 hex characters of SHA-256("rotor-master-key-id:" || key): stored
    /// beside each sealed value so the right key can be picked after the master key is rotated.
    /// 48 bits of a hash reveal nothing useful about a 256-bit key.
    public let id: String

    let bytes: [UInt8]

    /// Wraps existing key material.
    ///
    /// - Throws: `CryptoError.invalidKeyLength` unless `bytes` is exactly 32 bytes.
    public init(bytes: [UInt8]) throws {
        guard bytes.count == Self.byteCount else {
            throw CryptoError.invalidKeyLength(expected: Self.byteCount, actual: bytes.count)
        }
        self.bytes = bytes
        self.id = "mk_" + SHA256.hex(Array("rotor-master-key-id:".utf8) + bytes).prefix(12)
    }

    /// A new key of 32 bytes from `SecureRandom`.
    public static func random() -> MasterKey {
        // The length is right by construction, so this cannot throw.
        try! MasterKey(bytes: SecureRandom.bytes(byteCount))
    }

    /// Compares key material in constant time.
    public static func == (lhs: MasterKey, rhs: MasterKey) -> Bool {
        ConstantTime.equals(lhs.bytes, rhs.bytes)
    }

    public var description: String { "MasterKey(\(id))" }

    public var debugDescription: String { description }

    public var customMirror: Mirror { Mirror(self, children: ["id": id]) }
}
