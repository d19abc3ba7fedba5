import Foundation
import RotorCrypto

/// Reading and adopting secrets: `rotor import`, `rotor status`, `rotor history`.
public struct SecretService: Sendable {
    let store: any Store
    let sealer: Sealer
    let clock: any RotorClock

    public init(store: any Store, sealer: Sealer, clock: any RotorClock) {
        self.store = store
        self.sealer = sealer
        self.clock = clock
    }

    /// Adopts the value in use today as the `current` version, so the first rotation has something to
    /// restore on rollback and to revoke after grace.
    public func importCurrent(_ playbook: Playbook, value: SecretValue, handle: String?, actor: String,
                              replace: Bool) async throws -> SecretVersionSummary {
        guard !value.bytes.isEmpty else { throw ServiceError.emptyValue }
        let now = clock.now
        let versionID = "ver_" + Base62.randomString(length: 16)
        let sealed = try sealer.seal(value.bytes, context: SealingContext.version(secret: playbook.secret, versionID: versionID))
        let summary = SecretVersionSummary(value: value, id: versionID)
        let nextRotation = playbook.schedule.flatMap { ScheduleMath.nextRotation(after: now, schedule: $0) }
        try await store.transaction { tx in
            if let active = try tx.activeRotation(secretName: playbook.secret) {
                throw ServiceError.rotationActive(secret: playbook.secret, rotationID: active.id, state: active.state)
            }
            var secret = try tx.secret(named: playbook.secret)
                ?? SecretRecord(name: playbook.secret, playbookPath: playbook.file, kind: .secret, nextRotationAt: nil,
                                cycleStartedAt: now, warningsSent: [], skipsThisCycle: 0, createdAt: now, updatedAt: now)
            let existing = try tx.version(secretName: playbook.secret, label: .current)
            if let existing {
                guard replace else { throw ServiceError.alreadyImported(secret: playbook.secret, current: SecretVersionSummary(existing)) }
                var demoted = existing
                demoted.label = .previous
                try tx.updateVersion(demoted)
            }
            secret.playbookPath = playbook.file
            secret.nextRotationAt = nextRotation
            secret.cycleStartedAt = now
            secret.warningsSent = []
            secret.skipsThisCycle = 0
            secret.updatedAt = now
            try tx.upsertSecret(secret)
            try tx.insertVersion(SecretVersionRecord(id: versionID, secretName: playbook.secret, label: .current,
                                                     sealedValue: sealed.box, masterKeyID: sealed.keyID,
                                                     fingerprint: summary.fingerprint, last4: summary.last4,
                                                     displayPrefix: summary.prefix, sourceHandle: handle,
                                                     createdAt: now, activatedAt: now))
            try tx.appendAudit(AuditEvent(at: now, subject: playbook.secret, subjectKind: "secret", action: "secret.imported",
                                          oldFingerprint: existing?.fingerprint, oldLast4: existing?.last4,
                                          newFingerprint: summary.fingerprint, newLast4: summary.last4,
                                          trigger: "manual", actor: actor, outcome: "succeeded"))
        }
        return summary
    }

    /// The state of one secret or all of them (`playbooks` gives the secrets Rotor should know about,
    /// including those never imported; `invalid` lists secrets whose playbook does not validate).
    public func status(playbooks: [Playbook], invalid: [String: [String]], only: String?,
                       keyPolicy: (maxAge: Duration, warnBefore: Duration)? = nil) async throws -> [SecretStatus] {
        let playbookByName = Dictionary(playbooks.map { ($0.secret, $0) }, uniquingKeysWith: { first, _ in first })
        let now = clock.now
        return try await store.transaction { tx in
            try Self.names(playbooks: playbooks, invalid: invalid, tx).filter { only == nil || $0 == only }.map { name in
                if let playbook = playbookByName[name], playbook.isKeyTable, invalid[name] == nil {
                    let keys = try KeyTableSummary.build(tx, maxAge: keyPolicy?.maxAge ?? playbook.policy.maxAge,
                                                         warnBefore: keyPolicy?.warnBefore ?? .zero, now: now)
                    return SecretStatus(secret: name, state: keys.state, attempt: 0, playbook: playbook.file, playbookValid: true,
                                        problems: [], keys: keys)
                }
                let record = try tx.secret(named: name)
                let versions = try tx.versions(secretName: name)
                let current = versions.first { $0.label == .current }
                let previous = versions.first { $0.label == .previous }
                let active = try tx.activeRotation(secretName: name)
                let history = try tx.rotations(secretName: name)
                let shown = active ?? history.first
                let journal = try shown.map { try tx.journal(rotationID: $0.id) } ?? []
                let step = journal.last(where: { RotationStep(key: $0.step) != nil })
                let problems = invalid[name] ?? []
                let playbook = playbookByName[name]
                let retry = playbook.map { RetryState(history: history, policy: $0.policy) }
                // A rotation waiting on a person (a manual source's revoke) is not stuck: the request has its reminders.
                let waitsOnPerson = active.flatMap { rotation in playbook.flatMap { PersonRequest.of(rotation, playbook: $0) } } != nil
                let stuck = waitsOnPerson ? nil
                    : StuckRotation.since(active, lastStep: journal.last, policy: playbook?.policy ?? RotationPolicy(), now: now)
                return SecretStatus(
                    secret: name,
                    state: SecretStatus.overallState(current: current, active: active, last: history.first, invalid: !problems.isEmpty,
                                                     hasPlaybook: playbook != nil, stuck: stuck != nil),
                    current: current.map(SecretVersionSummary.init),
                    previous: previous.map(SecretVersionSummary.init),
                    rotation: shown.map { RotationSummary($0, lastStep: step, playbook: playbookByName[name]) },
                    graceEndsAt: active?.state == .grace ? active?.graceEndsAt : nil,
                    nextRotationAt: playbook.flatMap { SecretSchedule.nextRotation(record, playbook: $0, current: current,
                                                                                 history: history, now: now) }
                        ?? record?.nextRotationAt,
                    attempt: retry?.attempt ?? 0,
                    retryAt: retry.flatMap { $0.holds(at: now) ? $0.retryAt : nil },
                    stuckSince: stuck,
                    playbook: playbook?.file ?? record?.playbookPath,
                    playbookValid: problems.isEmpty && playbook != nil,
                    problems: problems)
            }
        }
    }

    /// The secrets Rotor knows, sorted: those with a playbook (valid or not) and those in the store. What
    /// `status` lists, and what a command naming one secret accepts.
    public func knownSecrets(playbooks: [Playbook], invalid: [String: [String]]) async throws -> [String] {
        try await store.transaction { try Self.names(playbooks: playbooks, invalid: invalid, $0) }
    }

    private static func names(playbooks: [Playbook], invalid: [String: [String]], _ tx: any SecretsTransaction) throws -> [String] {
        let stored = try tx.allSecrets().filter { $0.kind == .secret }.map(\.name)
        return Set(playbooks.map(\.secret)).union(invalid.keys).union(stored).sorted()
    }

    /// Every rotation of a secret, newest first, with its journal.
    public func history(secret: String, limit: Int = 50) async throws -> [RotationHistoryEntry] {
        try await store.transaction { tx in
            try tx.rotations(secretName: secret).prefix(limit).map { rotation in
                RotationHistoryEntry(rotation: RotationSummary(rotation, lastStep: nil),
                                     old: try rotation.oldVersionID.flatMap { try tx.version(id: $0) }.map(SecretVersionSummary.init),
                                     new: try rotation.newVersionID.flatMap { try tx.version(id: $0) }.map(SecretVersionSummary.init),
                                     steps: try tx.journal(rotationID: rotation.id).map(JournalLine.init))
            }
        }
    }
}

/// Errors of the secret services, each with what to do next.
public enum ServiceError: Error, CustomStringConvertible, Equatable {
    case emptyValue
    case alreadyImported(secret: String, current: SecretVersionSummary)
    case rotationActive(secret: String, rotationID: String, state: RotationState)
    case unknownSecret(String, known: [String])

    public var description: String {
        switch self {
        case .emptyValue:
            "no value on standard input; pipe the value in use today, e.g. `printenv OPENAI_API_KEY | rotor import openai-api-key`"
        case .alreadyImported(let secret, let current):
            "\(secret) already has a current version (\(current.display), fingerprint \(current.fingerprint)); "
                + "rotate it with `rotor rotate \(secret)`, or pass --replace to adopt a different value"
        case .rotationActive(let secret, let id, let state):
            "\(secret) has an active rotation \(id) (\(state.rawValue)); wait for it, or see `rotor status \(secret)`"
        case .unknownSecret(let name, let known):
            "no playbook for secret \(name)" + (known.isEmpty ? "" : "; known secrets: \(known.joined(separator: ", "))")
        }
    }
}
