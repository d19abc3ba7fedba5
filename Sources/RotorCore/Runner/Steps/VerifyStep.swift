/// Runs one check against the new value.
struct VerifyStep: StepEffect {
    /// The index of the check in the playbook.
    let check: Int

    func perform(_ run: StepRun) async throws -> String {
        let new = try run.newVersion()
        let check = run.providers.checks[check]
        try await check.verify(new.value, run.context)
        try await run.succeed(audit: run.audit("step.verify", new: new.summary, detail: check.label))
        return "\(check.label) passed"
    }
}
