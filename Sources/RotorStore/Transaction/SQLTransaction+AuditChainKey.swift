import Logging
import RotorCore
import RotorCrypto

extension SQLTransaction {
    /// The audit chain key, opened from its sealed setting, or made now (32 random bytes, sealed under the current
    /// master key) for a store that has none yet; the rows chained before it then get their MACs, in this same
    /// transaction. Nil, with a warning, when the stored key does not open with `sealer`'s keyring: that process
    /// chains its rows without MACs, and `rotor audit verify` (with the right key) names them.
    func loadAuditChainKey(sealer: Sealer, logger: Logger) throws -> HMACSHA256Key? {
        let context = SealingContext.setting(AuditChain.keySetting)
        if let stored = try setting(AuditChain.keySetting) {
            guard let sealed = SealedSetting.decode(stored), let key = try? sealer.open(sealed, context: context) else {
                logger.warning("the audit chain key does not open with this master key; audit rows get no MAC", metadata: [
                    "sealed_under": "\(SealedSetting.decode(stored)?.keyID ?? "unreadable")",
                ])
                return nil
            }
            return HMACSHA256Key(key)
        }
        let bytes = SecureRandom.bytes(32)
        try setSetting(AuditChain.keySetting, SealedSetting.encode(try sealer.seal(bytes, context: context)))
        let key = HMACSHA256Key(bytes)
        // Expected once, after the upgrade to the chain. Seen again, someone deleted the key: rows changed since then
        // would now get MACs, so it is said loudly (compare the head `rotor audit verify` printed before).
        let blessed = try macUnkeyedAuditRows(key: key)
        if blessed > 0 {
            logger.warning("made a new audit chain key; rows without a MAC got one", metadata: ["rows": "\(blessed)"])
        }
        return key
    }
}
