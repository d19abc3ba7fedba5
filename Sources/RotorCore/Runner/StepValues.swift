import RotorCrypto

/// The old and new versions of a rotation, opened for the steps that need their values.
struct StepValues: Sendable {
    struct Loaded: Sendable {
        var summary: SecretVersionSummary
        var value: SecretValue
        var credential: StoredCredential { StoredCredential(versionID: summary.id, value: value, handle: summary.sourceHandle) }
    }

    var new: Loaded?
    var old: Loaded?

    static func load(store: any Store, sealer: Sealer, rotation: RotationRecord) async throws -> StepValues {
        let (old, new) = try await store.transaction { tx in
            (try rotation.oldVersionID.flatMap { try tx.version(id: $0) },
             try tx.rotation(id: rotation.id)?.newVersionID.flatMap { try tx.version(id: $0) })
        }
        return StepValues(new: try new.map { try open($0, sealer) }, old: try old.map { try open($0, sealer) })
    }

    static func open(_ record: SecretVersionRecord, _ sealer: Sealer) throws -> Loaded {
        let bytes = try sealer.open(SealedValue(keyID: record.masterKeyID, box: record.sealedValue),
                                    context: SealingContext.version(secret: record.secretName, versionID: record.id))
        return Loaded(summary: SecretVersionSummary(record), value: SecretValue(bytes: bytes))
    }

    /// Removes both values from a message before it is journaled, audited or shown, whatever a
    /// provider put in its error.
    func scrub(_ text: String) -> String {
        Redactor(values: [new?.value, old?.value].compactMap { $0 }).scrub(text)
    }
}
