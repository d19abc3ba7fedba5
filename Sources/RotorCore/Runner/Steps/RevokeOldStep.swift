/// Revokes the old credential at its source: the point of no return.
struct RevokeOldStep: StepEffect {
    func perform(_ run: StepRun) async throws -> String {
        guard let old = run.values.old else {
            try await run.succeed()
            return "no previous credential to revoke"
        }
        let outcome = try await run.providers.source.revokeWithOutcome(old.credential, run.context)
        let clock = run.clock
        try await run.succeed({ tx in
            if var version = try tx.version(id: old.summary.id) {
                version.label = .revoked
                version.revokedAt = clock.now
                try tx.updateVersion(version)
            }
        }, audit: run.audit("step.revoke", new: run.values.new?.summary, old: old.summary, detail: outcome.auditDetail))
        return "old key revoked (\(old.summary.display))"
    }
}
