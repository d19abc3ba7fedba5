import Foundation

extension RotationRunner {
    /// Carries out the machine's actions until it has nothing left to do, persisting its state as it goes. Every
    /// write is fenced by `lease` (nil: the rotation had already finished and was not claimed, so nothing is
    /// written). A lost lease or a cancellation stops the loop at once, with nothing more written: a cancelled
    /// rotation gives its lease up and stays resumable in its state.
    func run(machine: inout RotationMachine, record start: RotationRecord, lease: RotationLease?, playbook: Playbook,
             graceSeconds: Int64, first: [RotationMachine.Action]) async throws -> RotationOutcome {
        do {
            return try await loop(machine: &machine, record: start, lease: lease, playbook: playbook,
                                  graceSeconds: graceSeconds, first: first)
        } catch let error as RunnerError where error.code == .leaseLost {
            await alertLeaseLost(record: start, playbook: playbook)
            throw error
        } catch where Self.isAbort(error) {
            if let lease { await release(lease) }
            logger.notice("rotation aborted; it stays resumable", metadata: ["rotation": "\(start.id)"])
            throw CancellationError()
        }
    }

    /// Another process took the rotation over while this one worked on it: this one has stopped, and says so on
    /// the alert channels (in a transaction of its own: the refused write rolled back). Best effort.
    private func alertLeaseLost(record: RotationRecord, playbook: Playbook) async {
        let now = clock.now
        let audience = RotationAlerts(playbook: playbook, alerts: configuration.alerts).audience
        let holder = (try? await store.transaction { try $0.rotation(id: record.id)?.leaseOwner }) ?? nil
        _ = try? await store.transaction { tx in
            try Alerts.leaseLost(tx, rotation: record, holder: holder ?? "another process", audience: audience, at: now)
        }
    }

    private func loop(machine: inout RotationMachine, record start: RotationRecord, lease held: RotationLease?,
                      playbook: Playbook, graceSeconds: Int64, first: [RotationMachine.Action]) async throws -> RotationOutcome {
        var record = start
        let providers = try ResolvedProviders(playbook: playbook, factory: factory)
        let lease = held ?? RotationLease(rotationID: start.id, owner: configuration.owner, fence: start.fence)
        var queue = first
        while !queue.isEmpty {
            try Task.checkCancellation()
            let action = queue.removeFirst()
            switch action {
            case .run(let steps):
                // The state a batch belongs to is written before its effects (write-ahead, like the journal),
                // so `status` never shows `grace` while the old credential is being revoked.
                if machine.state != record.state {
                    record = try await persist(machine: machine, record: record, lease: lease,
                                               alerting: try await alerting(machine, record: record, playbook: playbook, providers: providers))
                }
                let values = try await StepValues.load(store: store, sealer: sealer, rotation: record)
                let results = try await perform(steps, record: record, lease: lease, providers: providers,
                                                values: values, graceSeconds: graceSeconds,
                                                alerting: RotationAlerts(playbook: playbook, alerts: configuration.alerts))
                for (step, failure) in results {
                    if let failure {
                        queue += machine.stepFailed(step, reason: failure, described: providers.describe(step, failure))
                    } else {
                        queue += machine.stepSucceeded(step)
                    }
                }
                record = try await persist(machine: machine, record: record, lease: lease,
                                           alerting: try await alerting(machine, record: record, playbook: playbook, providers: providers))
            case .awaitGrace:
                record = try await persist(machine: machine, record: record, lease: lease, done: true,
                                           alerting: try await alerting(machine, record: record, playbook: playbook, providers: providers))
                countOutcome(from: start, to: .grace)
            case .awaitValue:
                record = try await persist(machine: machine, record: record, lease: lease, done: true,
                                           alerting: try await alerting(machine, record: record, playbook: playbook, providers: providers))
                observer(.finished(.awaitingValue, message: "waiting for the owner to supply the new value "
                                   + "(`rotor supply \(playbook.secret)` reads it from standard input)"))
            case .revokeStalled(let reason) where playbook.awaitsValue:
                // A person revokes a manual source's old value: ask them (once) and wait, holding nothing.
                record = try await waitForPersonRevoke(machine: machine, record: record, lease: lease, playbook: playbook,
                                                       reason: reason)
            case .revokeStalled(let reason):
                var alerting = try await alerting(machine, record: record, playbook: playbook, providers: providers)
                alerting.revokeStalled = true
                record = try await persist(machine: machine, record: record, lease: lease,
                                           error: "revoke of the old credential failed: \(reason)", alerting: alerting)
                observer(.finished(.revoking, message: "old credential not revoked yet (\(reason)); the next `rotor tick` retries"))
                if start.error == nil { RotorMetrics.rotationFinished(secret: start.secretName, trigger: start.trigger, outcome: "revoke_stalled") }
            case .finished(let state):
                let alerting = try await alerting(machine, record: record, playbook: playbook, providers: providers)
                let holdings = state == .failed ? alerting.holdings?.joined(separator: ", ") : nil
                if held != nil {
                    record = try await persist(machine: machine, record: record, lease: lease,
                                               error: holdings.map { "\(machine.failureReason ?? "rollback failed"); targets now: \($0)" },
                                               done: true, alerting: alerting)
                }
                observer(.finished(state, message: finishMessage(state, machine: machine, holdings: holdings)))
                if held != nil { countOutcome(from: start, to: state) }
            }
        }
        return try await outcome(for: record.id)
    }

    /// Counts a rotation that reached an outcome in this run: once per outcome, so a grace period that ends
    /// (grace → completed) or an undo retried in vain (failed → failed) does not count a rotation twice.
    private func countOutcome(from start: RotationRecord, to state: RotationState) {
        let outcome: String
        switch state {
        case .grace where start.state != .grace: outcome = "succeeded"
        case .completed where ![.grace, .revoking].contains(start.state): outcome = "succeeded"
        case .rolledBack where start.state != .rolledBack: outcome = "rolled_back"
        case .failed where start.state != .failed: outcome = "failed"
        default: return
        }
        RotorMetrics.rotationFinished(secret: start.secretName, trigger: start.trigger, outcome: outcome)
    }

    /// What the alerts of the state being persisted need: after an undo that could not finish, what each target
    /// holds. (Progress through the targets is told by each target's write as it succeeds.)
    private func alerting(_ machine: RotationMachine, record: RotationRecord, playbook: Playbook,
                          providers: ResolvedProviders) async throws -> RotationAlerts {
        var alerting = RotationAlerts(playbook: playbook, alerts: configuration.alerts)
        if machine.state == .failed {
            alerting.holdings = try await targetHoldings(machine: machine, record: record, providers: providers)
        }
        return alerting
    }

    private func finishMessage(_ state: RotationState, machine: RotationMachine, holdings: String? = nil) -> String {
        switch state {
        case .completed: "rotation completed"
        case .rolledBack: "rolled back: every target holds the previous value again (\(machine.failureReason ?? "operator request"))"
        case .failed:
            "FAILED: rollback could not finish (\(machine.failureReason ?? "unknown")); targets now: \(holdings ?? "unknown"); "
                + "the new credential stays valid so no target breaks; `rotor tick` retries the undo"
        default: state.rawValue
        }
    }

    /// What each target holds after a rollback that could not finish, by fingerprint and last 4: the new
    /// value where its write may have happened and was not undone, the previous one elsewhere.
    private func targetHoldings(machine: RotationMachine, record: RotationRecord, providers: ResolvedProviders) async throws -> [String] {
        let (old, new) = try await store.transaction { tx in
            (try record.oldVersionID.flatMap { try tx.version(id: $0) }.map(SecretVersionSummary.init),
             try tx.rotation(id: record.id)?.newVersionID.flatMap { try tx.version(id: $0) }.map(SecretVersionSummary.init))
        }
        func show(_ version: SecretVersionSummary?) -> String {
            version.map { "\($0.display) (fp \($0.fingerprint))" } ?? "nothing"
        }
        return providers.targets.indices.map { index in
            let restored = machine.status(.undoPropagate(index)) == .succeeded || machine.status(.propagate(index)) == .pending
            return "\(providers.targets[index].label) → \(restored ? show(old) : show(new))\(restored ? "" : " (undo failed)")"
        }
    }
}
