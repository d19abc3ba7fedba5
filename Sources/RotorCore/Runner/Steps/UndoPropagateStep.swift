/// Writes the previous value back to one target (or removes the value when there was none before Rotor).
struct UndoPropagateStep: StepEffect {
    /// The index of the target in the playbook.
    let target: Int

    func perform(_ run: StepRun) async throws -> String {
        let old = run.values.old
        let target = run.providers.targets[target]
        try await target.restore(old?.value, run.context)
        try await run.succeed(audit: run.audit("step.undo.propagate", old: old?.summary, detail: target.label))
        return "\(target.label) restored to \(old?.summary.display ?? "its previous state")"
    }
}
