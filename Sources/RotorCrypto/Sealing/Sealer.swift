/// Seals and opens secret values under the master keyring.
///
/// The associated data is "rotor:v1:" + `context`, so a box only opens for the context it was
/// sealed for: a box copied onto another secret or version fails to open instead of yielding the
/// wrong value. Pick a context that names the value uniquely, such as "openai-api-key/v7".
public struct Sealer: Sendable {
    /// The keys used: `keyring.current` seals, any key in the ring opens.
    public let keyring: MasterKeyring

    /// A sealer over `keyring`.
    public init(keyring: MasterKeyring) {
        self.keyring = keyring
    }

    /// Seals `plaintext` under the current master key, bound to `context`.
    public func seal(_ plaintext: [UInt8], context: String) throws -> SealedValue {
        let box = try AESGCM.seal(plaintext, key: keyring.current.bytes,
                                  associatedData: Self.associatedData(context))
        return SealedValue(keyID: keyring.current.id, box: box)
    }

    /// Opens a value sealed for `context`, under whichever key in the ring `sealed.keyID` names.
    ///
    /// - Throws: `CryptoError.unknownKeyID` (naming the id) if that key is not loaded;
    ///   `CryptoError.authenticationFailed` if the box was altered or sealed for another context.
    public func open(_ sealed: SealedValue, context: String) throws -> [UInt8] {
        guard let key = keyring.key(id: sealed.keyID) else {
            throw CryptoError.unknownKeyID(sealed.keyID, keyring: keyring.ids)
        }
        return try AESGCM.open(sealed.box, key: key.bytes, associatedData: Self.associatedData(context))
    }

    /// Whether `sealed` was sealed under a key other than the current one (`rotor rekey`'s work).
    public func needsReseal(_ sealed: SealedValue) -> Bool {
        sealed.keyID != keyring.current.id
    }

    private static func associatedData(_ context: String) -> [UInt8] {
        Array("rotor:v1:".utf8) + Array(context.utf8)
    }
}
