import Foundation
import Logging
import RotorCrypto

/// Performs rotations: drives a ``RotationMachine`` and does the I/O it asks for.
///
/// Every external effect is journaled before and after it happens. A new value is sealed into the
/// store before any target sees it. The lease on the rotation row keeps a second process out while
/// this one works, and is renewed after every step.
public struct RotationRunner: Sendable {
    let store: any Store
    let sealer: Sealer
    let factory: any ProviderFactory
    let clock: any RotorClock
    let logger: Logger
    let configuration: Configuration
    let observer: @Sendable (RunnerEvent) -> Void

    public init(store: any Store, sealer: Sealer, factory: any ProviderFactory, clock: any RotorClock,
                logger: Logger, configuration: Configuration = .init(),
                observer: @escaping @Sendable (RunnerEvent) -> Void = { _ in }) {
        self.store = store
        self.sealer = sealer
        self.factory = factory
        self.clock = clock
        self.logger = logger
        self.configuration = configuration
        self.observer = observer
    }

    public static func defaultOwner() -> String { LeaseOwner.make() }

    /// The name this runner holds rotation leases under.
    public var owner: String { configuration.owner }

    /// A fresh rotation id.
    public static func newRotationID() -> String { "rot_" + Base62.randomString(length: 16) }

    // MARK: Starting

    /// Starts a rotation of `playbook`'s secret now and drives it as far as it goes: to grace (or to
    /// completion when revoking immediately), or through rollback.
    ///
    /// When the secret has an active rotation whose process died, that one is resumed first (finished
    /// or rolled back); a live or in-grace rotation makes this fail with `RunnerError.rotationActive`.
    public func rotate(_ playbook: Playbook, _ request: Request) async throws -> RotationOutcome {
        do {
            return try await start(playbook, request)
        } catch let error as StoreError where error.code == .activeRotationExists {
            guard let activeID = error.activeRotationID,
                  let active = try await store.transaction({ try $0.rotation(id: activeID) }) else { throw error }
            let stale = active.state != .grace && active.state != .awaitingValue && (active.leaseOwner.map(LeaseOwner.isDeadLocalProcess) ?? true
                || (active.leaseExpiresAt ?? .distantPast) <= clock.now)
            guard stale else {
                await alertBlocked(playbook, by: active, request: request)
                throw RunnerError.rotationActive(secret: playbook.secret, rotationID: active.id, state: active.state)
            }
            logger.notice("resuming an interrupted rotation first", metadata: ["rotation": "\(active.id)"])
            observer(.resumed(rotationID: active.id, state: active.state))
            let resumed = try await drive(rotationID: active.id, playbook: playbook, entry: .resume)
            guard !resumed.rotation.state.isActive else {
                await alertBlocked(playbook, by: resumed.rotation, request: request)
                throw RunnerError.rotationActive(secret: playbook.secret, rotationID: active.id, state: resumed.rotation.state)
            }
            return try await start(playbook, request)
        }
    }

    /// Tells the secret's channels that `request` was refused because `active` holds the secret. Best effort: the
    /// refusal itself is what the caller sees.
    private func alertBlocked(_ playbook: Playbook, by active: RotationRecord, request: Request) async {
        let now = clock.now
        let what = request.trigger == .emergency ? "An emergency rotation" : "A \(request.trigger.rawValue) rotation"
        do {
            try await store.transaction { tx in
                try Alerts.blocked(tx, secret: playbook.secret, blocking: active, request: what,
                                   audience: AlertAudience(playbook: playbook, alerts: configuration.alerts), at: now)
            }
        } catch {
            logger.error("could not enqueue the blocked-rotation alert", metadata: ["rotation": "\(active.id)", "error": "\(error)"])
        }
    }

    private func start(_ playbook: Playbook, _ request: Request) async throws -> RotationOutcome {
        let now = clock.now
        let id = request.id ?? Self.newRotationID()
        let owner = configuration.owner
        let until = now.addingTimeInterval(configuration.leaseDuration.timeInterval)
        let grace = request.grace ?? (request.trigger == .emergency ? playbook.emergencyGrace : playbook.grace)
        let plan = RotationMachine.Plan(targets: playbook.targets.count, checks: playbook.checks.count,
                                        revokeImmediately: request.revokeImmediately, awaitsValue: playbook.awaitsValue)
        let initial = RotationMachine(plan: plan).state
        let planNote = PlanNote(targets: plan.targets, checks: plan.checks, graceSeconds: Int64(grace.timeInterval))
        // A person is asked for the value with a one-time link, issued in the transaction that starts the rotation.
        let supplyTokens = playbook.awaitsValue ? try await ReplyTokens.load(store: store, sealer: sealer) : nil
        let publicURL = configuration.publicURL
        let record = try await store.transaction { tx -> RotationRecord in
            if try tx.secret(named: playbook.secret) == nil {
                try tx.upsertSecret(SecretRecord(name: playbook.secret, playbookPath: playbook.file, kind: .secret,
                                                 nextRotationAt: nil, cycleStartedAt: now, warningsSent: [],
                                                 skipsThisCycle: 0, createdAt: now, updatedAt: now))
            }
            let current = try tx.version(secretName: playbook.secret, label: .current)
            let record = RotationRecord(id: id, secretName: playbook.secret, trigger: request.trigger,
                                        actor: request.actor, reason: request.reason, state: initial,
                                        oldVersionID: current?.id, revokeImmediately: request.revokeImmediately,
                                        leaseOwner: owner, leaseExpiresAt: until, fence: 1,
                                        createdAt: now, updatedAt: now)
            try tx.insertRotation(record)
            try tx.appendJournal(rotationID: id, step: PlanNote.step, phase: .succeeded,
                                 detail: planNote.json, at: now)
            try tx.appendAudit(AuditEvent(at: now, subject: playbook.secret, subjectKind: "secret",
                                          action: "rotation.started", oldFingerprint: current?.fingerprint,
                                          oldLast4: current?.last4, trigger: request.trigger.rawValue,
                                          actor: request.actor, reason: request.reason, outcome: "started",
                                          rotationID: id))
            try RotationAlerts(playbook: playbook, alerts: configuration.alerts)
                .enqueue(tx, rotation: record, previous: nil, old: current.map(SecretVersionSummary.init), new: nil, at: now)
            if let supplyTokens {
                try SupplyRequest.enqueue(tx, playbook: playbook, rotation: record, tokens: supplyTokens, publicURL: publicURL, at: now)
            }
            return record
        }
        observer(.rotationStarted(rotationID: id, secret: playbook.secret))
        var machine = RotationMachine(plan: plan)
        let actions = machine.start()
        return try await run(machine: &machine, record: record,
                             lease: RotationLease(rotationID: id, owner: owner, fence: record.fence), playbook: playbook,
                             graceSeconds: planNote.graceSeconds, first: actions)
    }

    /// Picks up an existing rotation: after a crash, when its grace ended, to retry a failed undo,
    /// or to roll it back on an operator's word.
    public func drive(rotationID: String, playbook: Playbook, entry: Entry) async throws -> RotationOutcome {
        let now = clock.now
        let owner = configuration.owner
        let until = now.addingTimeInterval(configuration.leaseDuration.timeInterval)
        let (claimed, journal) = try await store.transaction { tx -> (RotationRecord?, [JournalEntry]) in
            guard let existing = try tx.rotation(id: rotationID) else { throw RunnerError.unknownRotation(rotationID) }
            if case .valueSupplied = entry, existing.state != .awaitingValue {
                // Another supply got there first: this value is not the one the rotation uses.
                throw SupplyError.notWaiting(secret: existing.secretName, state: existing.state)
            }
            if !existing.state.isActive && existing.state != .failed {
                // Finished: nothing to claim, and nothing will be written.
                return (existing, try tx.journal(rotationID: rotationID))
            }
            // A lease whose holder died on this host is as good as expired.
            let claimTime = LeaseOwner.claimTime(now: now, holder: existing.leaseOwner, expires: existing.leaseExpiresAt)
            return (try tx.claimRotation(id: rotationID, owner: owner, until: until, now: claimTime),
                    try tx.journal(rotationID: rotationID))
        }
        guard let record = claimed else {
            let holder = try await store.transaction { try $0.rotation(id: rotationID) }
            throw RunnerError.leaseHeld(rotationID: rotationID, owner: holder?.leaseOwner ?? "another process",
                                        until: holder?.leaseExpiresAt)
        }
        guard let note = PlanNote(journal: journal) else { throw RunnerError.missingPlan(rotationID) }
        guard note.targets == playbook.targets.count, note.checks == playbook.checks.count else {
            throw RunnerError.playbookChanged(secret: playbook.secret, rotationID: rotationID,
                                              planned: "\(note.targets) targets, \(note.checks) checks",
                                              now: "\(playbook.targets.count) targets, \(playbook.checks.count) checks")
        }
        var machine = RotationMachine(plan: .init(targets: note.targets, checks: note.checks,
                                                  revokeImmediately: record.revokeImmediately),
                                      state: record.state, failureReason: record.error, journal: journal)
        let actions: [RotationMachine.Action]
        switch entry {
        case .resume: actions = machine.resume()
        case .graceElapsed: actions = machine.graceElapsed()
        case .retryUndo: actions = machine.retryUndo()
        case .rollback(let reason):
            guard let rollback = machine.rollback(reason: reason) else {
                throw RunnerError.cannotRollBack(rotationID: rotationID, state: record.state)
            }
            actions = rollback
        case .revokedManually(let actor, let reason) where playbook.hasRevokeCheck:
            // A person says the old value is revoked: the revoke_check proves it before the rotation completes.
            try await recordRevokeConfirmation(record, actor: actor, reason: reason)
            actions = machine.resume()
        case .revokedManually(let actor, let reason):
            try await recordManualRevoke(record, actor: actor, reason: reason)
            actions = machine.stepSucceeded(.revokeOld)
        case .valueSupplied(let actor):
            try await recordSupply(record, actor: actor)
            actions = machine.valueSupplied()
        }
        let lease = record.leaseOwner == owner ? RotationLease(rotationID: rotationID, owner: owner, fence: record.fence) : nil
        return try await run(machine: &machine, record: record, lease: lease, playbook: playbook,
                             graceSeconds: note.graceSeconds, first: actions)
    }
}
