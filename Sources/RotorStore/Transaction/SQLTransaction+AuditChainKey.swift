import Foundation
import Logging
import RotorCore
import RotorCrypto

extension SQLTransaction {
    /// The audit chain key, opened from its sealed setting, or made now (32 random bytes, sealed under the current
    /// master key) for a store that has none yet. Nil, with a warning, when the stored key does not open with
    /// `sealer`'s keyring: that process chains its rows without MACs, and `rotor audit verify` (with the right key)
    /// names them.
    ///
    /// Rows without a MAC get one here only when `chainedNow`: this same transaction ran the migration that chained
    /// them. Anything else that looks like "no key yet" may be someone with write access to the database who deleted
    /// the key and every MAC after rebuilding the hashes; blessing those rows would make their edit verify. They stay
    /// as they are, `rotor audit verify` names the first, and `rotor audit adopt` (a person, with the master key and a
    /// reason, audited) is the way to give them MACs.
    func loadAuditChainKey(sealer: Sealer, logger: Logger, chainedNow: Bool) throws -> HMACSHA256Key? {
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
        if chainedNow {
            try macUnkeyedAuditRows(key: key)
        } else if let count = try row("SELECT COUNT(*) AS n FROM audit_events WHERE mac IS NULL")?.int64("n"), count > 0 {
            logger.error("made a new audit chain key, but audit rows without a MAC are there: they keep none. Run `rotor audit verify`; if you know why they have none, `rotor audit adopt --reason …`", metadata: [
                "rows": "\(count)",
            ])
        }
        return key
    }
}

extension SQLTransaction {
    /// `rotor audit adopt`: gives every row whose MAC is missing, or does not match this store's chain key, a MAC under
    /// it, after checking that the hashes still link from the first row to the head — so it covers rows written
    /// without the key, never an edit the hashes show. Records who did it and why as an audit row (itself MACed).
    func adoptAuditRows(actor: String, reason: String, at now: Date) throws -> AuditAdoption {
        guard let key = auditChainKey else {
            throw StoreError.queryFailed("this Rotor holds no audit chain key (the stored one does not open with this master key): "
                                         + "nothing can be adopted; use the master key the store was set up with")
        }
        _ = try lockedAuditHead()  // no append slips in between the check and the MACs
        var hashes = AuditChainVerifier(key: nil)
        var remac: [(id: Int64, values: [SQLValue])] = []
        try walkAuditChain(&hashes) { row in
            guard let id = row.event.id, let hash = row.hash?.lowercased() else { return }
            let mac = AuditChain.mac(hash: hash, key: key)
            if row.mac?.lowercased() != mac { remac.append((id, [.text(mac)])) }
        }
        if let bad = hashes.result.firstBad {
            throw StoreError.queryFailed("refused: the hash chain itself is broken at row \(bad.id.map(String.init) ?? "?"): \(bad.problem). "
                                         + "Adopting would hide that; `rotor audit verify` shows it")
        }
        try updateAuditRows(setting: ["mac"], remac)
        let head = hashes.result
        try appendAudit(AuditEvent(at: now, subject: "audit", subjectKind: "audit", action: "audit.adopted", actor: actor,
                                   reason: reason, outcome: "ok",
                                   detail: "\(remac.count) row(s) got a MAC under the chain key; hashes intact through row "
                                       + "\(head.headID ?? 0) (\(head.headHash ?? AuditChain.genesis))"))
        return AuditAdoption(rowsAdopted: remac.count, firstAdopted: remac.first?.id, lastAdopted: remac.last?.id,
                             headID: head.headID, headHash: head.headHash)
    }
}
