import Foundation
import Logging
import RotorCrypto

/// Performs rotations: drives a ``RotationMachine`` and does the I/O it asks for.
///
/// Every external effect is journaled before and after it happens. A new value is sealed into the
/// store before any target sees it. The lease on the rotation row keeps a second process out while
/// this one works, and is renewed after every step.
public struct RotationRunner: Sendable {
    public struct Configuration: Sendable {
        /// Identifies this process as a lease holder.
        public var owner: String
        public var leaseDuration: Duration
        /// Concurrent target writes per provider (and so per vendor API).
        public var concurrencyPerProvider: Int
        public var fault: FaultPlan?

        public init(owner: String = RotationRunner.defaultOwner(), leaseDuration: Duration = .seconds(300),
                    concurrencyPerProvider: Int = 8, fault: FaultPlan? = nil) {
            self.owner = owner
            self.leaseDuration = leaseDuration
            self.concurrencyPerProvider = concurrencyPerProvider
            self.fault = fault
        }
    }

    /// What starts a rotation.
    public struct Request: Sendable {
        public var trigger: RotationTrigger
        public var actor: String
        public var reason: String?
        public var grace: Duration?
        public var revokeImmediately: Bool

        public init(trigger: RotationTrigger, actor: String, reason: String? = nil, grace: Duration? = nil,
                    revokeImmediately: Bool = false) {
            self.trigger = trigger
            self.actor = actor
            self.reason = reason
            self.grace = grace
            self.revokeImmediately = revokeImmediately
        }
    }

    /// How `drive` picks the machine up.
    public enum Entry: Sendable, Equatable {
        case resume
        case graceElapsed
        case retryUndo
        case rollback(reason: String)
    }

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
            let stale = active.state != .grace && (active.leaseOwner.map(LeaseOwner.isDeadLocalProcess) ?? true
                || (active.leaseExpiresAt ?? .distantPast) <= clock.now)
            guard stale else { throw RunnerError.rotationActive(secret: playbook.secret, rotationID: active.id, state: active.state) }
            logger.notice("resuming an interrupted rotation first", metadata: ["rotation": "\(active.id)"])
            observer(.resumed(rotationID: active.id, state: active.state))
            let resumed = try await drive(rotationID: active.id, playbook: playbook, entry: .resume)
            guard !resumed.rotation.state.isActive else {
                throw RunnerError.rotationActive(secret: playbook.secret, rotationID: active.id, state: resumed.rotation.state)
            }
            return try await start(playbook, request)
        }
    }

    private func start(_ playbook: Playbook, _ request: Request) async throws -> RotationOutcome {
        let now = clock.now
        let id = "rot_" + Base62.randomString(length: 16)
        let owner = configuration.owner
        let until = now.addingTimeInterval(configuration.leaseDuration.timeInterval)
        let grace = request.grace ?? (request.trigger == .emergency ? playbook.emergencyGrace : playbook.grace)
        let plan = RotationMachine.Plan(targets: playbook.targets.count, checks: playbook.checks.count,
                                        revokeImmediately: request.revokeImmediately)
        let planNote = PlanNote(targets: plan.targets, checks: plan.checks, graceSeconds: Int64(grace.timeInterval))
        let record = try await store.transaction { tx -> RotationRecord in
            if try tx.secret(named: playbook.secret) == nil {
                try tx.upsertSecret(SecretRecord(name: playbook.secret, playbookPath: playbook.file, kind: .secret,
                                                 nextRotationAt: nil, cycleStartedAt: now, warningsSent: [],
                                                 skipsThisCycle: 0, createdAt: now, updatedAt: now))
            }
            let current = try tx.version(secretName: playbook.secret, label: .current)
            let record = RotationRecord(id: id, secretName: playbook.secret, trigger: request.trigger,
                                        actor: request.actor, reason: request.reason, state: .generating,
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
            return record
        }
        observer(.rotationStarted(rotationID: id, secret: playbook.secret))
        var machine = RotationMachine(plan: plan)
        let actions = machine.start()
        return try await run(machine: &machine, record: record, playbook: playbook, graceSeconds: planNote.graceSeconds,
                             first: actions)
    }

    /// Picks up an existing rotation: after a crash, when its grace ended, to retry a failed undo,
    /// or to roll it back on an operator's word.
    public func drive(rotationID: String, playbook: Playbook, entry: Entry) async throws -> RotationOutcome {
        let now = clock.now
        let owner = configuration.owner
        let until = now.addingTimeInterval(configuration.leaseDuration.timeInterval)
        let (claimed, journal) = try await store.transaction { tx -> (RotationRecord?, [JournalEntry]) in
            guard let existing = try tx.rotation(id: rotationID) else { throw RunnerError.unknownRotation(rotationID) }
            if !existing.state.isActive && existing.state != .failed {
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
        }
        return try await run(machine: &machine, record: record, playbook: playbook, graceSeconds: note.graceSeconds,
                             first: actions)
    }

    // MARK: The loop

    private func run(machine: inout RotationMachine, record start: RotationRecord, playbook: Playbook, graceSeconds: Int64,
                     first: [RotationMachine.Action]) async throws -> RotationOutcome {
        var record = start
        let providers = try ResolvedProviders(playbook: playbook, factory: factory)
        var queue = first
        while !queue.isEmpty {
            let action = queue.removeFirst()
            switch action {
            case .run(let steps):
                // The state a batch belongs to is written before its effects (write-ahead, like the journal),
                // so `status` never shows `grace` while the old credential is being revoked.
                if machine.state != record.state { record = try await persist(machine: machine, record: record) }
                let values = try await StepValues.load(store: store, sealer: sealer, rotation: record)
                let results = await perform(steps, record: record, playbook: playbook, providers: providers,
                                            values: values, graceSeconds: graceSeconds)
                for (step, failure) in results {
                    if let failure {
                        queue += machine.stepFailed(step, reason: failure)
                    } else {
                        queue += machine.stepSucceeded(step)
                    }
                }
                record = try await persist(machine: machine, record: record)
            case .awaitGrace:
                record = try await persist(machine: machine, record: record)
            case .revokeStalled(let reason):
                record = try await persist(machine: machine, record: record, error: "revoke of the old credential failed: \(reason)")
                observer(.finished(.revoking, message: "old credential not revoked yet (\(reason)); the next `rotor tick` retries"))
            case .finished(let state):
                var holdings: String?
                if state == .failed {
                    holdings = try await targetHoldings(machine: machine, record: record, providers: providers)
                }
                record = try await persist(machine: machine, record: record,
                                           error: holdings.map { "\(machine.failureReason ?? "rollback failed"); targets now: \($0)" })
                observer(.finished(state, message: finishMessage(state, machine: machine, holdings: holdings)))
            }
        }
        return try await outcome(for: record.id)
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
    private func targetHoldings(machine: RotationMachine, record: RotationRecord, providers: ResolvedProviders) async throws -> String {
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
        }.joined(separator: ", ")
    }

    /// Writes the machine's state to the rotation row (renewing the lease) and audits state changes.
    private func persist(machine: RotationMachine, record: RotationRecord, error: String? = nil) async throws -> RotationRecord {
        let now = clock.now
        let owner = configuration.owner
        let until = now.addingTimeInterval(configuration.leaseDuration.timeInterval)
        let state = machine.state
        let reason = error ?? machine.failureReason
        return try await store.transaction { tx in
            guard var current = try tx.rotation(id: record.id) else { throw RunnerError.unknownRotation(record.id) }
            guard current.leaseOwner == owner || current.leaseOwner == nil || !current.state.isActive
                    || current.state == .grace else {
                throw RunnerError.leaseLost(rotationID: record.id, owner: current.leaseOwner ?? "?")
            }
            let changed = current.state != state
            current.state = state
            current.error = reason
            current.updatedAt = now
            if state.isActive && state != .grace {
                current.leaseOwner = owner
                current.leaseExpiresAt = until
            } else {
                // Nobody works on a rotation waiting out its grace, or on a finished one.
                current.leaseOwner = nil
                current.leaseExpiresAt = nil
            }
            if !state.isActive, current.completedAt == nil { current.completedAt = now }
            try tx.updateRotation(current)
            if changed {
                let old = try current.oldVersionID.flatMap { try tx.version(id: $0) }
                let new = try current.newVersionID.flatMap { try tx.version(id: $0) }
                try tx.appendAudit(AuditEvent(at: now, subject: current.secretName, subjectKind: "secret",
                                              action: "rotation.\(state.rawValue)", oldFingerprint: old?.fingerprint,
                                              oldLast4: old?.last4, newFingerprint: new?.fingerprint, newLast4: new?.last4,
                                              trigger: current.trigger.rawValue, actor: current.actor,
                                              reason: state == .rolledBack || state == .failed ? reason : current.reason,
                                              outcome: state.rawValue, rotationID: current.id))
            }
            return current
        }
    }

    // MARK: Steps

    /// Runs a batch of steps concurrently (targets of one provider at most `concurrencyPerProvider`
    /// at a time) and returns each step's failure reason, nil for success, in the order given.
    private func perform(_ steps: [RotationStep], record: RotationRecord, playbook: Playbook,
                         providers: ResolvedProviders, values: StepValues,
                         graceSeconds: Int64) async -> [(RotationStep, String?)] {
        var limiters: [String: AsyncLimiter] = [:]
        for step in steps {
            if let provider = providers.provider(of: step), limiters[provider] == nil {
                limiters[provider] = AsyncLimiter(limit: configuration.concurrencyPerProvider)
            }
        }
        let frozenLimiters = limiters
        return await withTaskGroup(of: (Int, String?).self) { group in
            for (index, step) in steps.enumerated() {
                group.addTask {
                    let work: @Sendable () async -> String? = {
                        await self.performOne(step, record: record, playbook: playbook, providers: providers,
                                              values: values, graceSeconds: graceSeconds)
                    }
                    if let provider = providers.provider(of: step), let limiter = frozenLimiters[provider] {
                        return (index, await limiter.run(work))
                    }
                    return (index, await work())
                }
            }
            var results = [String?](repeating: nil, count: steps.count)
            for await (index, failure) in group { results[index] = failure }
            return zip(steps, results).map { ($0, $1) }
        }
    }

    /// One step, journaled before and after. Returns nil on success, else the reason (scrubbed of values).
    private func performOne(_ step: RotationStep, record: RotationRecord, playbook: Playbook,
                            providers: ResolvedProviders, values: StepValues, graceSeconds: Int64) async -> String? {
        let rotationID = record.id
        do {
            let lastCheckpoint = try await store.transaction { tx -> String? in
                let previous = try tx.journal(rotationID: rotationID).last { $0.step == step.key && $0.detail != nil && $0.phase == .started }
                try tx.appendJournal(rotationID: rotationID, step: step.key, phase: .started, detail: nil, at: self.clock.now)
                return previous?.detail
            }
            configuration.fault?.trip(.crashBefore, step)
            let context = StepContext(
                secret: record.secretName, rotationID: rotationID, step: step,
                idempotencyKey: "\(rotationID):\(step.key)", lastCheckpoint: lastCheckpoint,
                currentHandle: values.old?.summary.sourceHandle, logger: logger, clock: clock,
                checkpoint: { [store, clock] note in
                    try await store.transaction { tx in
                        _ = try tx.appendJournal(rotationID: rotationID, step: step.key, phase: .started, detail: note, at: clock.now)
                    }
                })
            let message = try await effect(step, record: record, playbook: playbook, providers: providers,
                                           values: values, context: context, graceSeconds: graceSeconds)
            observer(.stepSucceeded(step, message: message))
            return nil
        } catch {
            let reason = values.scrub(String(describing: error))
            logger.warning("step failed", metadata: ["rotation": "\(rotationID)", "step": "\(step.key)", "reason": "\(reason)"])
            do {
                try await store.transaction { tx in
                    try tx.appendJournal(rotationID: rotationID, step: step.key, phase: .failed, detail: reason, at: self.clock.now)
                    try tx.appendAudit(AuditEvent(at: self.clock.now, subject: record.secretName, subjectKind: "secret",
                                                  action: "step.\(step.key)", trigger: record.trigger.rawValue,
                                                  actor: record.actor, reason: reason, outcome: "failed", rotationID: rotationID))
                }
            } catch {
                logger.error("could not journal a failed step", metadata: ["rotation": "\(rotationID)", "step": "\(step.key)"])
            }
            configuration.fault?.trip(.crashAfter, step)
            observer(.stepFailed(step, message: "\(providers.label(of: step)): \(reason)"))
            return reason
        }
    }

    /// Performs the step's effect and journals its success (in the same transaction as any store
    /// change the step makes). Returns the line to show the operator.
    private func effect(_ step: RotationStep, record: RotationRecord, playbook: Playbook, providers: ResolvedProviders,
                        values: StepValues, context: StepContext, graceSeconds: Int64) async throws -> String {
        let fault = configuration.fault
        let rotationID = record.id
        let secret = record.secretName
        let clock = self.clock
        let now: @Sendable () -> Date = { clock.now }
        func succeed(_ extra: (@Sendable (any StoreTransaction) throws -> Void)? = nil, audit: AuditEvent? = nil) async throws {
            fault?.trip(.crashAfterEffect, step)
            try await store.transaction { tx in
                try extra?(tx)
                try tx.appendJournal(rotationID: rotationID, step: step.key, phase: .succeeded, detail: nil, at: now())
                if let audit { try tx.appendAudit(audit) }
            }
            fault?.trip(.crashAfter, step)
        }
        func audit(_ action: String, new: SecretVersionSummary? = nil, old: SecretVersionSummary? = nil,
                   detail: String? = nil) -> AuditEvent {
            AuditEvent(at: now(), subject: secret, subjectKind: "secret", action: action,
                       oldFingerprint: old?.fingerprint, oldLast4: old?.last4,
                       newFingerprint: new?.fingerprint, newLast4: new?.last4,
                       trigger: record.trigger.rawValue, actor: record.actor, reason: record.reason,
                       outcome: "succeeded", rotationID: rotationID, detail: detail)
        }

        switch step {
        case .generate:
            // A crash after the version was stored but before this step's outcome was journaled leaves
            // the version in place: use it rather than mint again.
            if let existing = values.new {
                try await succeed(audit: audit("step.generate", new: existing.summary))
                return "new key generated (\(existing.summary.display))"
            }
            let minted = try await providers.source.mint(context)
            let versionID = "ver_" + Base62.randomString(length: 16)
            let sealed = try sealer.seal(minted.value.bytes, context: SealingContext.version(secret: secret, versionID: versionID))
            let summary = SecretVersionSummary(value: minted.value, id: versionID)
            let version = SecretVersionRecord(id: versionID, secretName: secret, label: .pending,
                                              sealedValue: sealed.box, masterKeyID: sealed.keyID,
                                              fingerprint: summary.fingerprint, last4: summary.last4,
                                              displayPrefix: summary.prefix,
                                              sourceHandle: minted.handle, rotationID: rotationID, createdAt: now())
            try await succeed({ tx in
                try tx.insertVersion(version)
                guard var rotation = try tx.rotation(id: rotationID) else { throw RunnerError.unknownRotation(rotationID) }
                rotation.newVersionID = versionID
                try tx.updateRotation(rotation)
            }, audit: audit("step.generate", new: summary))
            return "new key generated (\(summary.display))"

        case .propagate(let index):
            guard let new = values.new else { throw RunnerError.missingVersion("new", rotationID) }
            let target = providers.targets[index]
            try await target.apply(new.value, context)
            try await succeed(audit: audit("step.propagate", new: new.summary, detail: target.label))
            return "\(target.label) updated"

        case .verify(let index):
            guard let new = values.new else { throw RunnerError.missingVersion("new", rotationID) }
            let check = providers.checks[index]
            try await check.verify(new.value, context)
            try await succeed(audit: audit("step.verify", new: new.summary, detail: check.label))
            return "\(check.label) passed"

        case .promote:
            guard let new = values.new else { throw RunnerError.missingVersion("new", rotationID) }
            let graceEnds = now().addingTimeInterval(TimeInterval(graceSeconds))
            let oldID = record.oldVersionID
            try await succeed({ tx in
                let at = now()
                if let oldID, var old = try tx.version(id: oldID), old.label == .current {
                    old.label = .previous
                    try tx.updateVersion(old)
                }
                if var version = try tx.version(id: new.summary.id), version.label != .current {
                    version.label = .current
                    version.activatedAt = at
                    try tx.updateVersion(version)
                }
                guard var rotation = try tx.rotation(id: rotationID) else { throw RunnerError.unknownRotation(rotationID) }
                rotation.graceEndsAt = graceEnds
                try tx.updateRotation(rotation)
            }, audit: audit("step.promote", new: new.summary, old: values.old?.summary))
            return record.revokeImmediately
                ? "\(new.summary.display) is current; the old credential is revoked now"
                : "\(new.summary.display) is current; old and new both valid until \(ISO8601.string(graceEnds))"

        case .revokeOld:
            guard let old = values.old else {
                try await succeed()
                return "no previous credential to revoke"
            }
            try await providers.source.revoke(old.credential, context)
            try await succeed({ tx in
                if var version = try tx.version(id: old.summary.id) {
                    version.label = .revoked
                    version.revokedAt = now()
                    try tx.updateVersion(version)
                }
            }, audit: audit("step.revoke", new: values.new?.summary, old: old.summary))
            return "old key revoked (\(old.summary.display))"

        case .undoPropagate(let index):
            let target = providers.targets[index]
            try await target.restore(values.old?.value, context)
            try await succeed(audit: audit("step.undo.propagate", old: values.old?.summary, detail: target.label))
            return "\(target.label) restored to \(values.old?.summary.display ?? "its previous state")"

        case .undoPromote:
            let oldID = record.oldVersionID
            let newID = record.newVersionID
            try await succeed({ tx in
                if let newID, var version = try tx.version(id: newID), version.label == .current {
                    version.label = .failed
                    try tx.updateVersion(version)
                }
                if let oldID, var old = try tx.version(id: oldID), old.label == .previous {
                    old.label = .current
                    try tx.updateVersion(old)
                }
            }, audit: audit("step.undo.promote", new: values.new?.summary, old: values.old?.summary))
            return "\(values.old?.summary.display ?? "previous version") is current again"

        case .revokeNew:
            guard let new = values.new else {
                try await succeed()
                return "no new credential was stored"
            }
            try await providers.source.revoke(new.credential, context)
            try await succeed({ tx in
                if var version = try tx.version(id: new.summary.id) {
                    version.label = .failed
                    version.revokedAt = now()
                    try tx.updateVersion(version)
                }
            }, audit: audit("step.undo.generate", new: new.summary))
            return "new key revoked at the source (\(new.summary.display))"
        }
    }

    // MARK: Results

    /// The rotation as it stands, with its versions summarised (never their values).
    public func outcome(for rotationID: String) async throws -> RotationOutcome {
        try await store.transaction { tx in
            guard let rotation = try tx.rotation(id: rotationID) else { throw RunnerError.unknownRotation(rotationID) }
            let old = try rotation.oldVersionID.flatMap { try tx.version(id: $0) }
            let new = try rotation.newVersionID.flatMap { try tx.version(id: $0) }
            return RotationOutcome(rotation: rotation, oldVersion: old.map(SecretVersionSummary.init),
                                   newVersion: new.map(SecretVersionSummary.init),
                                   journal: try tx.journal(rotationID: rotationID))
        }
    }
}
