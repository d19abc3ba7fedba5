import Foundation

/// Makes the new version `current` and the old one `previous`, and starts the grace period.
struct PromoteStep: StepEffect {
    func perform(_ run: StepRun) async throws -> String {
        let new = try run.newVersion()
        let graceEnds = run.now.addingTimeInterval(TimeInterval(run.graceSeconds))
        let oldID = run.record.oldVersionID
        let lease = run.lease
        let clock = run.clock
        try await run.succeed({ tx in
            let at = clock.now
            if let oldID, var old = try tx.version(id: oldID), old.label == .current {
                old.label = .previous
                try tx.updateVersion(old)
            }
            if var version = try tx.version(id: new.summary.id), version.label != .current {
                version.label = .current
                version.activatedAt = at
                try tx.updateVersion(version)
            }
            try tx.updateRotation(lease, RotationChange(graceEndsAt: graceEnds))
        }, audit: run.audit("step.promote", new: new.summary, old: run.values.old?.summary))
        return run.record.revokeImmediately
            ? "\(new.summary.display) is current; the old credential is revoked now"
            : "\(new.summary.display) is current; old and new both valid until \(ISO8601.string(graceEnds))"
    }
}
