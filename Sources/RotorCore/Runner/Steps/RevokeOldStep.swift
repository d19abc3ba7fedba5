/// Revokes the old credential at its source: the point of no return.
struct RevokeOldStep: StepEffect {
    func perform(_ run: StepRun) async throws -> String {
        guard let old = run.values.old else {
            try await run.succeed()
            return "no previous credential to revoke"
        }
        if let person = run.providers.source as? any SuppliedValueSource {
            return try await PersonRevoke(source: person).perform(run, old: old)
        }
        guard run.providers.source.canRevoke else {
            // Nothing was revoked: say so, in the output and in the audit log.
            var audit = run.audit("step.revoke", new: run.values.new?.summary, old: old.summary,
                                  detail: "the source has no revoke step")
            audit.outcome = "skipped"
            try await run.succeed(audit: audit)
            return "old key \(old.summary.display) NOT revoked: the source has no revoke step, so it stays valid at the "
                + "vendor; revoke it there by hand"
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
