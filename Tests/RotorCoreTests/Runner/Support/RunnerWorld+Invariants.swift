import RotorCore
import Testing

extension RunnerWorld {
    /// The invariants of DESIGN.md, checked against the store, the providers and the logs. `settled`: a pass
    /// ran since the last crash, so nothing may be left half done. Returns the rotation's state.
    @discardableResult
    func checkInvariants(settled: Bool, _ label: String,
                         sourceLocation: SourceLocation = #_sourceLocation) async throws -> RotationState? {
        let snapshot = try await snapshot()
        let vendor = vendor.snapshot
        let rotation = snapshot.rotation

        #expect(vendor.violations.isEmpty, "\(label): \(vendor.violations)", sourceLocation: sourceLocation)
        // Exactly one current version.
        let current = snapshot.versions.filter { $0.record.label == .current }
        #expect(current.count == 1, "\(label): current versions \(current.map(\.record.id))", sourceLocation: sourceLocation)
        // Every target holds a credential the source accepts, and one Rotor has stored: a crash never loses a value.
        for (index, held) in vendor.targets.enumerated() {
            #expect(held.map(vendor.valid.contains) == true, "\(label): target \(index) holds a dead credential",
                    sourceLocation: sourceLocation)
            #expect(snapshot.versions.contains { $0.value == held }, "\(label): target \(index) holds an unstored value",
                    sourceLocation: sourceLocation)
        }
        // The old credential is revoked only after every propagate and verify succeeded, and only in `revoking`.
        if !vendor.valid.contains(Self.oldValue) {
            let begun = snapshot.journal.first { $0.step == RotationStep.revokeOld.key && $0.phase == .started }
            let forward = playbook.targets.indices.map(RotationStep.propagate) + playbook.checks.indices.map(RotationStep.verify)
            for step in forward {
                #expect(snapshot.journal.contains { $0.step == step.key && $0.phase == .succeeded && $0.seq < (begun?.seq ?? 0) },
                        "\(label): old credential revoked before \(step.key) succeeded", sourceLocation: sourceLocation)
            }
            #expect(rotation.map { [.revoking, .completed].contains($0.state) } == true,
                    "\(label): old credential revoked in \(String(describing: rotation?.state))", sourceLocation: sourceLocation)
        }
        // Secrets never reach the logs.
        let secrets = snapshot.versions.map(\.value)
        #expect(!logs.all.contains { line in secrets.contains { line.contains($0) } }, "\(label): a secret was logged",
                sourceLocation: sourceLocation)

        if settled { checkSettled(snapshot, vendor: vendor, label, sourceLocation: sourceLocation) }
        return rotation?.state
    }

    private func checkSettled(_ snapshot: Snapshot, vendor: MemoryVendor.State, _ label: String,
                              sourceLocation: SourceLocation) {
        let rotation = snapshot.rotation
        #expect(rotation.map { !$0.state.isActive || $0.state == .grace } ?? true,
                "\(label): left in \(String(describing: rotation?.state))", sourceLocation: sourceLocation)
        // Every target holds the current version.
        let current = snapshot.versions.first { $0.record.label == .current }?.value
        #expect(vendor.targets.allSatisfy { $0 == current }, "\(label): a target does not hold the current version",
                sourceLocation: sourceLocation)
        // Every journaled `started` step has an outcome.
        var open: Set<String> = []
        for entry in snapshot.journal where RotationStep(key: entry.step) != nil {
            if entry.phase == .started { open.insert(entry.step) } else { open.remove(entry.step) }
        }
        #expect(open.isEmpty, "\(label): steps without an outcome: \(open.sorted())", sourceLocation: sourceLocation)
        // A rolled-back rotation's new credential is revoked at its source and labelled failed.
        if let rotation, rotation.state == .rolledBack, let new = snapshot.version(id: rotation.newVersionID) {
            #expect(!vendor.valid.contains(new.value), "\(label): the abandoned credential is still live", sourceLocation: sourceLocation)
            #expect(new.record.label == .failed, "\(label): the abandoned version is \(new.record.label)", sourceLocation: sourceLocation)
        }
    }
}
