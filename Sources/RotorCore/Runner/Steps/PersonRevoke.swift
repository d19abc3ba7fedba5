/// The revoke of the old value when a person handles the source (`manual`): Rotor revokes nothing at the vendor; the
/// source's `revoke_check` proves that the person (or the vendor's own expiry) did. While the old value still works,
/// or without a check until a person confirms (`rotor resolve --revoked-manually`), the step fails with
/// ``RevokePending`` and the rotation stays in `revoking`.
struct PersonRevoke: Sendable {
    let source: any SuppliedValueSource

    func perform(_ run: StepRun, old: StepValues.Loaded) async throws -> String {
        let clock = run.clock
        let proof = try await source.proveRevoked(old.value, clock: clock)
        var audit = run.audit("step.revoke", new: run.values.new?.summary, old: old.summary, detail: proof)
        audit.actor = "revoke_check"
        try await run.succeed({ tx in
            if var version = try tx.version(id: old.summary.id) {
                version.label = .revoked
                version.revokedAt = clock.now
                try tx.updateVersion(version)
            }
        }, audit: audit)
        return "old key \(old.summary.display) is revoked at the vendor (\(proof))"
    }
}
