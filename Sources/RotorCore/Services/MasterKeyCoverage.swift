import RotorCrypto

/// Which master keys the store's sealed values need, and whether a keyring holds them all: what `rotor
/// doctor`, `rotor init`, `/readyz` and `rotor rekey` check before they trust a key with the store.
public struct MasterKeyCoverage: Sendable, Equatable {
    /// Ids of the master keys any stored value (version, pickup, sealed setting) is sealed under.
    public let keyIDsInUse: Set<String>
    /// Ids in use that the keyring does not hold, sorted: values nobody here can open.
    public let missing: [String]
    /// Id of the keyring's current key.
    public let current: String

    /// Reads the key ids in use, in one transaction, and compares them with `keyring`.
    public static func check(store: any Store, keyring: MasterKeyring) async throws -> MasterKeyCoverage {
        let inUse = try await keyIDsInUse(store: store)
        return MasterKeyCoverage(keyIDsInUse: inUse, missing: inUse.filter { keyring.key(id: $0) == nil }.sorted(),
                                 current: keyring.current.id)
    }

    /// Ids of the master keys any stored value is sealed under; empty for a store nothing was sealed in yet.
    public static func keyIDsInUse(store: any Store) async throws -> Set<String> {
        try await store.transaction { tx -> Set<String> in
            var ids = try tx.versionMasterKeyIDs().union(try tx.pickupMasterKeyIDs())
            for key in SealedSetting.sealedKeys {
                if let bytes = try tx.setting(key), let id = SealedSetting.keyID(of: bytes) { ids.insert(id) }
            }
            return ids
        }
    }

    /// True when every stored value opens with the keyring.
    public var opensEverything: Bool { missing.isEmpty }

    /// Ids in use other than the current key's: what `rotor rekey` still has to re-seal.
    public var stale: [String] { keyIDsInUse.subtracting([current]).sorted() }

    /// What is wrong and what to do, or nil when every value opens. Names key ids only, never keys.
    public var problem: String? {
        guard !missing.isEmpty else { return nil }
        return "the store holds values sealed under master key \(missing.joined(separator: ", ")), but this Rotor's key is "
            + "\(current): it cannot open them. Use the key of the Rotor that set this store up: copy its master.key "
            + "into this ROTOR_HOME (or set ROTOR_MASTER_KEY to it); a key retired by `rotor rekey` goes in "
            + "master.key.retired/"
    }
}
