/// Writes the new value to one target (which redeploys where it needs to).
struct PropagateStep: StepEffect {
    /// The index of the target in the playbook.
    let target: Int

    func perform(_ run: StepRun) async throws -> String {
        let new = try run.newVersion()
        let target = run.providers.targets[target]
        try await target.apply(new.value, run.context)
        let (index, record, old, alerting, now) = (self.target, run.record, run.values.old?.summary, run.alerting, run.now)
        // "updating targets 2/4", in the transaction that records the write, so it is told once and never lost.
        try await run.succeed({ tx in
            try alerting?.targetLive(tx, rotation: record, index: index, old: old, new: new.summary, at: now)
        }, audit: run.audit("step.propagate", new: new.summary, detail: target.label))
        return "\(target.label) updated"
    }
}
