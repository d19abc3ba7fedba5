/// Revokes the new credential at its source, the last undo: no target holds it any more.
struct RevokeNewStep: StepEffect {
    func perform(_ run: StepRun) async throws -> String {
        guard let new = run.values.new else {
            try await run.succeed()
            return "no new credential was stored"
        }
        let outcome = try await run.providers.source.revokeNew(new.credential, previous: run.values.old?.credential, run.context)
        let clock = run.clock
        try await run.succeed({ tx in
            if var version = try tx.version(id: new.summary.id) {
                version.label = .failed
                version.revokedAt = clock.now
                try tx.updateVersion(version)
            }
        }, audit: run.audit("step.undo.generate", new: new.summary, detail: outcome.auditDetail))
        return "new key revoked at the source (\(new.summary.display))"
    }
}
