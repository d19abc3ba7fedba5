import RotorCrypto

extension SealedSetting {
    /// A random value sealed by `rotor init`, so that a store with nothing else in it yet still tells which
    /// master key it belongs to: a second `rotor init` with another key, or a daemon started with the wrong
    /// key, is refused before it seals anything the first key's holders cannot open.
    public static let keyCheck = "master_key.check"

    /// Every setting stored sealed under the master key, for `rotor rekey` and the readiness check. The key
    /// table's pepper is named here literally because RotorKeyTable sits above RotorCore.
    public static let sealedKeys = [keyCheck, ReplyTokens.keySetting, "key_table.pepper", AuditChain.keySetting]

    /// The master key id a stored setting was sealed under, or nil if `bytes` is not a sealed setting.
    static func keyID(of bytes: [UInt8]) -> String? { decode(bytes)?.keyID }

    /// Re-seals `bytes` (a stored sealed setting) under the current key of `sealer`; nil if it already is.
    static func resealed(_ key: String, _ bytes: [UInt8], sealer: Sealer) throws -> [UInt8]? {
        guard let box = decode(bytes) else { throw SealedSettingError.corrupt(key) }
        guard sealer.needsReseal(box) else { return nil }
        let context = SealingContext.setting(key)
        return encode(try sealer.seal(try sealer.open(box, context: context), context: context))
    }
}
