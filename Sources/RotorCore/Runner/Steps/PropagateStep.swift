/// Writes the new value to one target (which redeploys where it needs to).
struct PropagateStep: StepEffect {
    /// The index of the target in the playbook.
    let target: Int

    func perform(_ run: StepRun) async throws -> String {
        let new = try run.newVersion()
        let target = run.providers.targets[target]
        try await target.apply(new.value, run.context)
        try await run.succeed(audit: run.audit("step.propagate", new: new.summary, detail: target.label))
        return "\(target.label) updated"
    }
}
