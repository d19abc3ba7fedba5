import Foundation

extension RotationRunner {
    /// The rotations whose minted credential may still be valid at the source with nothing left to revoke it:
    /// rolled back or failed (but not the secret's newest failed one, whose undo a pass retries), with a new
    /// version that is neither revoked nor in use. The secret's name narrows the search when given.
    static func abandoned(_ tx: any StoreTransaction, secret: String? = nil) throws -> [RotationRecord] {
        var newest: [String: String] = [:]
        var found: [RotationRecord] = []
        for rotation in try tx.rotations(states: [.failed, .rolledBack]) where secret == nil || rotation.secretName == secret {
            guard let versionID = rotation.newVersionID, let version = try tx.version(id: versionID),
                  version.revokedAt == nil, version.label == .pending || version.label == .failed else { continue }
            if newest[rotation.secretName] == nil {
                newest[rotation.secretName] = try tx.rotations(secretName: rotation.secretName).first?.id ?? ""
            }
            if rotation.state == .failed, newest[rotation.secretName] == rotation.id { continue }
            found.append(rotation)
        }
        return found
    }

    /// Revokes the credential `record` minted, but only once it can prove that no target holds it: every
    /// target of the playbook is read back, and one that holds it or cannot be read keeps it valid (and raises
    /// an alert naming it). Fenced by the rotation's lease, journaled before and after, and audited.
    public func revokeAbandoned(_ record: RotationRecord, playbook: Playbook) async throws -> AbandonedCredential {
        let now = clock.now
        let owner = configuration.owner
        let until = now.addingTimeInterval(configuration.leaseDuration.timeInterval)
        let claimed = try await store.transaction { tx -> (RotationRecord, RotationRecord?, [SecretVersionRecord], [JournalEntry])? in
            guard let existing = try tx.rotation(id: record.id),
                  let claimed = try tx.claimRotation(id: record.id, owner: owner, until: until, now: LeaseOwner.claimTime(
                      now: now, holder: existing.leaseOwner, expires: existing.leaseExpiresAt)) else { return nil }
            return (claimed, try tx.rotations(secretName: record.secretName).first,
                    try tx.versions(secretName: record.secretName), try tx.journal(rotationID: record.id))
        }
        // Another process holds the rotation: it is that one's to settle.
        guard let (rotation, newest, versions, journal) = claimed else { return .nothing }
        let lease = RotationLease(rotationID: rotation.id, owner: owner, fence: rotation.fence)
        do {
            let result = try await settleAbandoned(rotation, lease: lease, playbook: playbook, newest: newest,
                                                   versions: versions, journal: journal)
            await release(lease)
            return result
        } catch {
            await release(lease)
            throw error
        }
    }

    private func settleAbandoned(_ record: RotationRecord, lease: RotationLease, playbook: Playbook, newest: RotationRecord?,
                                 versions: [SecretVersionRecord], journal: [JournalEntry]) async throws -> AbandonedCredential {
        let values = try await StepValues.load(store: store, sealer: sealer, rotation: record)
        guard let new = values.new, let version = versions.first(where: { $0.id == new.summary.id }), version.revokedAt == nil,
              version.label == .pending || version.label == .failed else { return .nothing }
        if let newest, newest.id != record.id, newest.state.isActive || newest.state == .failed {
            // Its undo puts back what each target held before it, which may be this very credential.
            return .deferred("rotation \(newest.id) of \(record.secretName) is \(newest.state.rawValue) and may still write earlier values back")
        }
        let providers = try ResolvedProviders(playbook: playbook, factory: factory)
        let holders = await holders(of: new, record: record, playbook: playbook, providers: providers, journal: journal, values: values)
        if !holders.isEmpty {
            try await alertHeld(record, new: new.summary, holders: holders, playbook: playbook)
            return .held(holders)
        }
        let live = versions.first { $0.id != version.id && $0.revokedAt == nil && $0.sourceHandle != nil
            && $0.sourceHandle == version.sourceHandle && [.current, .previous, .pending].contains($0.label) }
        if let live {
            try await recordAbandoned(record, lease: lease, new: new.summary, outcome: "superseded",
                                      detail: "abandoned rotation; superseded at the source by \(SecretVersionSummary(live).display) on the same handle")
            return .superseded
        }
        return try await revokeAbandonedAtSource(record, lease: lease, new: new, providers: providers, values: values)
    }

    /// Why the credential may not be revoked: one line per target that holds it or cannot be read, and a line when
    /// the playbook's targets are no longer the ones the rotation wrote to. Empty when no target holds it.
    private func holders(of new: StepValues.Loaded, record: RotationRecord, playbook: Playbook, providers: ResolvedProviders,
                         journal: [JournalEntry], values: StepValues) async -> [String] {
        guard let plan = PlanNote(journal: journal), plan.targets == playbook.targets.count else {
            return ["the playbook's targets changed since rotation \(record.id): a target it wrote to may no longer be listed"]
        }
        var holders: [String] = []
        for target in providers.targets {
            do {
                switch try await target.read() {
                case .unknown(let why):
                    holders.append("\(target.label): cannot read its value back (\(why))")
                case .held(let held) where held.contains(where: { $0.fingerprint == new.value.fingerprint }):
                    holders.append("\(target.label): holds \(new.summary.display)")
                case .held:
                    break
                }
            } catch {
                holders.append("\(target.label): could not be read (\(values.scrub(String(describing: error))))")
            }
        }
        return holders
    }

    /// Revokes the credential at the source, journaled before and after and audited as an undo of generate.
    private func revokeAbandonedAtSource(_ record: RotationRecord, lease: RotationLease, new: StepValues.Loaded,
                                         providers: ResolvedProviders, values: StepValues) async throws -> AbandonedCredential {
        let step = RotationStep.revokeNew
        try await fenced(lease) { [clock] tx in
            _ = try tx.appendJournal(lease, step: step.key, phase: .started, detail: "abandoned rotation", at: clock.now)
        }
        let context = StepContext(secret: record.secretName, rotationID: record.id, step: step,
                                  idempotencyKey: "\(record.id):\(step.key):abandoned", logger: logger, clock: clock)
        let outcome: RevokeOutcome
        do {
            outcome = try await providers.source.revokeWithOutcome(new.credential, context)
        } catch {
            let reason = values.scrub(String(describing: error))
            try await recordAbandoned(record, lease: lease, new: new.summary, outcome: "failed",
                                      detail: "abandoned rotation; revoke failed: \(reason)")
            return .failed(reason)
        }
        try await recordAbandoned(record, lease: lease, new: new.summary, outcome: "succeeded",
                                  detail: "abandoned rotation" + (outcome == .alreadyRevoked ? "; already revoked at the source" : ""))
        return .revoked(outcome)
    }

    /// Journals and audits what became of the credential; unless it failed, its version ends `failed` and revoked.
    private func recordAbandoned(_ record: RotationRecord, lease: RotationLease, new: SecretVersionSummary, outcome: String,
                                 detail: String) async throws {
        let now = clock.now
        try await fenced(lease) { tx in
            try tx.requireLease(lease)
            if outcome != "failed", var version = try tx.version(id: new.id) {
                version.label = .failed
                version.revokedAt = now
                try tx.updateVersion(version)
            }
            try tx.appendJournal(rotationID: record.id, step: RotationStep.revokeNew.key,
                                 phase: outcome == "failed" ? .failed : .succeeded, detail: detail, at: now)
            try tx.appendAudit(AuditEvent(at: now, subject: record.secretName, subjectKind: "secret", action: "step.undo.generate",
                                          newFingerprint: new.fingerprint, newLast4: new.last4, trigger: record.trigger.rawValue,
                                          actor: record.actor, reason: record.reason, outcome: outcome, rotationID: record.id,
                                          detail: detail))
        }
    }

    /// Alerts that the credential stays valid because a target holds it (or cannot be read): once, then a reminder
    /// every `alerts.remind_every` while it stays so, each under its own dedupe key so several daemons send it once.
    private func alertHeld(_ record: RotationRecord, new: SecretVersionSummary, holders: [String], playbook: Playbook) async throws {
        let now = clock.now
        let secret = record.secretName
        let event = AlertEvent(
            type: .failed, secret: secret, state: record.state.rawValue, rotationID: record.id, new: AlertEvent.Version(new),
            targets: holders,
            summary: "The new key \(new.display) of abandoned rotation \(record.id) of \(secret) is still valid at the source, "
                + "and Rotor cannot prove that no target holds it.",
            done: "nothing: revoking it could break a target that still uses it; every `rotor tick` looks again and revokes "
                + "it once no target holds it",
            fix: "write \(secret)'s current value to the targets named (or run `rotor rotate \(secret)`), then "
                + "`rotor resolve \(secret) --retry`",
            at: now)
        let channels = AlertAudience(playbook: playbook, alerts: configuration.alerts).channels(for: .failed)
        let period = configuration.alerts.remindEvery.timeInterval
        let key = "alert:\(record.id):abandoned_held"
        _ = try await store.transaction { tx in
            var (event, dedupe) = (event, key)
            let first = try tx.notifications(org: nil, secretName: secret, limit: 1_000)
                .filter { $0.dedupeKey.hasPrefix(key) }.map(\.createdAt).min()
            if let first, period > 0, case let periods = Int(now.timeIntervalSince(first) / period), periods >= 1 {
                event.reminder = true
                dedupe = key + ":remind\(periods)"
            }
            return try Alerts.enqueue(event, channels: channels, dedupe: dedupe, into: tx)
        }
    }
}
