import RotorCrypto

/// Mints a new credential at the source and seals it into the store as `pending`, before any target sees it.
struct GenerateStep: StepEffect {
    func perform(_ run: StepRun) async throws -> String {
        // A crash after the version was stored but before this step's outcome was journaled leaves
        // the version in place: use it rather than mint again.
        if let existing = run.values.new {
            try await run.succeed(audit: run.audit("step.generate", new: existing.summary))
            return "new key generated (\(existing.summary.display))"
        }
        let minted = try await run.providers.source.mint(run.context)
        let versionID = "ver_" + Base62.randomString(length: 16)
        let sealed = try run.sealer.seal(minted.value.bytes, context: SealingContext.version(secret: run.secret, versionID: versionID))
        let summary = SecretVersionSummary(value: minted.value, id: versionID)
        let version = SecretVersionRecord(id: versionID, secretName: run.secret, label: .pending,
                                          sealedValue: sealed.box, masterKeyID: sealed.keyID,
                                          fingerprint: summary.fingerprint, last4: summary.last4,
                                          displayPrefix: summary.prefix,
                                          sourceHandle: minted.handle, rotationID: run.rotationID, createdAt: run.now)
        let lease = run.lease
        try await run.succeed({ tx in
            try tx.insertVersion(version)
            try tx.updateRotation(lease, RotationChange(newVersionID: versionID))
        }, audit: run.audit("step.generate", new: summary))
        return "new key generated (\(summary.display))"
    }
}
