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
        let summary = SecretVersionSummary(value: minted.value, id: versionID)
        do {
            try await Self.store(minted, versionID: versionID, summary: summary, run)
        } catch where !(error is SimulatedCrash || error is RunnerError || error is CancellationError) {
            // Not stored, so no undo will ever find it: revoke it now. (Not after a lost lease: the new holder's
            // mint, with the same idempotency key, may have returned this very credential.)
            await Self.compensate(run, StoredCredential(versionID: versionID, value: minted.value, handle: minted.handle),
                                  summary: summary)
            throw error
        }
        return "new key generated (\(summary.display))"
    }

    /// Seals the minted credential into the store as `pending` and journals the step's success.
    private static func store(_ minted: MintedCredential, versionID: String, summary: SecretVersionSummary,
                              _ run: StepRun) async throws {
        let sealed = try run.sealer.seal(minted.value.bytes, context: SealingContext.version(secret: run.secret, versionID: versionID))
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
    }

    /// Revokes a minted credential that could not be stored, and journals and audits that it did (best effort: the
    /// store just failed).
    private static func compensate(_ run: StepRun, _ credential: StoredCredential, summary: SecretVersionSummary) async {
        let outcome: String
        do {
            _ = try await run.providers.source.revokeWithOutcome(credential, run.context)
            outcome = "succeeded"
        } catch {
            outcome = "failed"
        }
        var event = run.audit("step.generate.compensate", new: summary,
                              detail: outcome == "succeeded" ? "storing the new credential failed; revoked it"
                                  : "storing the new credential failed and revoking it failed; revoke it by hand")
        event.outcome = outcome
        let audit = event
        let (lease, key, now) = (run.lease, run.step.key + ".compensate", run.now)
        try? await run.store.transaction { tx in
            try tx.appendJournal(lease, step: key, phase: outcome == "succeeded" ? .succeeded : .failed,
                                 detail: "new credential \(summary.display) not stored; revoke \(outcome)", at: now)
            try tx.appendAudit(audit)
        }
    }
}
