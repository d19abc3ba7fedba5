/// Puts the labels back: the old version `current` again, the new one `failed`.
struct UndoPromoteStep: StepEffect {
    func perform(_ run: StepRun) async throws -> String {
        let oldID = run.record.oldVersionID
        let newID = run.record.newVersionID
        try await run.succeed({ tx in
            if let newID, var version = try tx.version(id: newID), version.label == .current {
                version.label = .failed
                try tx.updateVersion(version)
            }
            if let oldID, var old = try tx.version(id: oldID), old.label == .previous {
                old.label = .current
                try tx.updateVersion(old)
            }
        }, audit: run.audit("step.undo.promote", new: run.values.new?.summary, old: run.values.old?.summary))
        return "\(run.values.old?.summary.display ?? "previous version") is current again"
    }
}
