import Foundation
import RotorCore
import RotorCrypto

extension KeyTable {
    /// A key an import minted: the raw key exists only here until ``KeyTable/importKeys(_:source:actor:deliver:progress:)``
    /// hands it to its `deliver`.
    public struct MintedKey: Sendable {
        public var line: Int
        public var record: APIKeyRecord
        public var key: SecretValue
    }

    /// What an import wrote.
    public struct ImportSummary: Sendable, Equatable {
        public var minted: Int
        public var adopted: Int
        public var imported: Int { minted + adopted }

        public init(minted: Int, adopted: Int) {
            self.minted = minted
            self.adopted = adopted
        }
    }

    /// Keys written per multi-row statement pair (keys, then their audit rows); progress is reported after each.
    static let importBatch = 1_000

    /// Creates every entry's key, adopting the given keys (stored as their HMAC, like every key) and minting the
    /// others, all in one transaction: an import is written whole or not at all. Minted keys go to `deliver` first
    /// (a 0600 file): if that fails nothing is written, and if the transaction then fails the caller discards
    /// what `deliver` wrote. An adopted key already in the table refuses the whole import, naming its line.
    /// `progress(done, total)` is called after each batch.
    public func importKeys(_ entries: [KeyImportEntry], source: String, actor: String,
                           deliver: ([MintedKey]) throws -> Void,
                           progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> ImportSummary {
        let pepper = try await pepper()
        let now = clock.now
        var records: [APIKeyRecord] = []
        var events: [AuditEvent] = []
        var minted: [MintedKey] = []
        var adopted: [(line: Int, hash: [UInt8])] = []
        records.reserveCapacity(entries.count)
        events.reserveCapacity(entries.count)
        for entry in entries {
            let raw = entry.adoptedKey?.revealed ?? APIKeyFormat.generate()
            let record = APIKeyRecord(id: "key_" + Base62.randomString(length: 16), keyHash: hash(raw, pepper: pepper),
                                      prefix: APIKeyFormat.displayPrefix(raw), last4: APIKeyFormat.last4(raw), org: entry.org,
                                      name: entry.name, scopes: entry.scopes, status: .active, createdAt: now)
            if entry.adoptedKey == nil {
                minted.append(MintedKey(line: entry.line, record: record, key: SecretValue(raw)))
            } else {
                adopted.append((entry.line, record.keyHash))
            }
            var event = Self.audit(record, action: "key.imported", at: now, actor: actor, trigger: "import")
            event.detail = "org \(record.org), prefix \(record.prefix); \(entry.adoptedKey == nil ? "minted" : "adopted") "
                + "from \(source):\(entry.line)"
            records.append(record)
            events.append(event)
        }
        if !minted.isEmpty { try deliver(minted) }
        let (toWrite, audits, adoptedHashes) = (records, events, adopted)
        try await store.transaction { tx in
            let existing = try tx.existingAPIKeyHashes(adoptedHashes.map(\.hash))
            if !existing.isEmpty {
                let lines = adoptedHashes.filter { existing.contains($0.hash) }.map(\.line)
                throw KeyImportError(file: source, problems: lines.prefix(KeyImportError.shownLimit).map {
                    .init(line: $0, message: "this key is already in the key table")
                }, total: lines.count)
            }
            var start = 0
            while start < toWrite.count {
                let end = min(start + Self.importBatch, toWrite.count)
                try tx.insertAPIKeys(Array(toWrite[start..<end]))
                try tx.appendAuditEvents(Array(audits[start..<end]))
                progress(end, toWrite.count)
                start = end
            }
        }
        return ImportSummary(minted: minted.count, adopted: adopted.count)
    }
}
