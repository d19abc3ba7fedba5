import Foundation
import Logging

/// Work a periodic pass does besides rotations (for example the own key table's grace ends).
public protocol MaintenanceTask: Sendable {
    func tick(now: Date) async -> [TickItem]
}

/// One thing a pass did or declined to do.
public struct TickItem: Sendable, Codable, Equatable {
    public var subject: String
    public var rotationID: String?
    public var action: String
    public var state: String?
    public var message: String

    public init(subject: String, rotationID: String? = nil, action: String, state: String? = nil, message: String) {
        self.subject = subject
        self.rotationID = rotationID
        self.action = action
        self.state = state
        self.message = message
    }
}

/// One maintenance pass over rotations: resume the interrupted, revoke what finished its grace, retry
/// failed undos. Every rotation is looked at; a broken playbook or a failing vendor stops only its own.
public struct Maintenance: Sendable {
    let runner: RotationRunner
    let store: any Store
    let clock: any RotorClock
    let playbooks: [String: Playbook]
    let tasks: [any MaintenanceTask]
    let logger: Logger

    public init(runner: RotationRunner, store: any Store, clock: any RotorClock, playbooks: [String: Playbook],
                tasks: [any MaintenanceTask] = [], logger: Logger) {
        self.runner = runner
        self.store = store
        self.clock = clock
        self.playbooks = playbooks
        self.tasks = tasks
        self.logger = logger
    }

    public func tick() async -> [TickItem] {
        var items: [TickItem] = []
        let now = clock.now
        let (active, failed, abandoned) : ([RotationRecord], [RotationRecord], [RotationRecord])
        do {
            (active, failed, abandoned) = try await store.transaction { tx in
                let failed = try tx.rotations(states: [.failed]).filter { rotation in
                    // Only the newest rotation of a secret may undo: an older failed one's "previous value"
                    // is no longer what the targets should hold.
                    try tx.rotations(secretName: rotation.secretName).first?.id == rotation.id
                }
                return (try tx.activeRotations(), failed, try RotationRunner.abandoned(tx))
            }
        } catch {
            return [TickItem(subject: "store", action: "error", message: "\(error)")]
        }

        // A rotation waiting for a person's value has nothing to resume: `rotor supply` or the link moves it on.
        for rotation in active where rotation.state != .awaitingValue {
            let entry: RotationRunner.Entry
            if rotation.state == .grace {
                guard let ends = rotation.graceEndsAt, ends <= now else { continue }
                entry = .graceElapsed
            } else {
                if let playbook = playbooks[rotation.secretName], !Self.personRevokeDue(rotation, playbook: playbook, now: now) {
                    continue
                }
                if let owner = rotation.leaseOwner, owner != runner.configuration.owner,
                   let until = rotation.leaseExpiresAt, until > now, !LeaseOwner.isDeadLocalProcess(owner) {
                    items.append(TickItem(subject: rotation.secretName, rotationID: rotation.id, action: "skipped",
                                          state: rotation.state.rawValue,
                                          message: "in progress in \(owner) (lease until \(ISO8601.string(until)))"))
                    continue
                }
                entry = .resume
            }
            items.append(await drive(rotation, entry: entry, action: entry == .graceElapsed ? "grace-ended" : "resumed"))
        }
        for rotation in failed {
            items.append(await drive(rotation, entry: .retryUndo, action: "undo-retried"))
        }
        // After the rest: a rotation that just ended may be what lets an abandoned credential go.
        for rotation in abandoned {
            if let item = await settleAbandoned(rotation) { items.append(item) }
        }
        for task in tasks { items += await task.tick(now: now) }
        return items
    }

    /// Whether a pass drives a manual source's rotation waiting in `revoking` for the old value's revoke: its
    /// `revoke_check` runs at most every ``PersonRequest/revokeCheckInterval``; without a check only a person's
    /// confirmation moves it. Any other rotation: true.
    static func personRevokeDue(_ rotation: RotationRecord, playbook: Playbook, now: Date) -> Bool {
        guard rotation.state == .revoking, rotation.error != nil, PersonRequest.of(rotation, playbook: playbook) != nil else { return true }
        return playbook.hasRevokeCheck && now >= rotation.updatedAt.addingTimeInterval(PersonRequest.revokeCheckInterval.timeInterval)
    }

    /// Revokes the credential an abandoned rotation minted once no target holds it; nil when there was nothing to do.
    private func settleAbandoned(_ rotation: RotationRecord) async -> TickItem? {
        guard let playbook = playbooks[rotation.secretName] else { return nil }
        func item(_ action: String, _ message: String) -> TickItem {
            TickItem(subject: rotation.secretName, rotationID: rotation.id, action: action, state: rotation.state.rawValue,
                     message: message)
        }
        do {
            switch try await runner.revokeAbandoned(rotation, playbook: playbook) {
            case .nothing: return nil
            case .revoked(let outcome):
                return item("abandoned-revoked", "new credential of an abandoned rotation revoked"
                            + (outcome == .alreadyRevoked ? " (it was already revoked at the source)" : ""))
            case .superseded:
                return item("abandoned-revoked", "new credential of an abandoned rotation superseded in place at the source")
            case .held(let holders):
                logger.warning("an abandoned credential stays valid", metadata: ["rotation": "\(rotation.id)"])
                return item("abandoned-held", "new credential of an abandoned rotation not revoked: "
                            + holders.joined(separator: "; ") + "; fix the targets, then `rotor resolve \(rotation.secretName) --retry`")
            case .deferred(let why):
                return item("abandoned-deferred", "new credential of an abandoned rotation not revoked yet: \(why)")
            case .failed(let reason):
                logger.error("could not revoke an abandoned credential", metadata: ["rotation": "\(rotation.id)", "error": "\(reason)"])
                return item("error", "revoking the new credential of an abandoned rotation failed: \(reason)")
            }
        } catch {
            logger.error("could not settle an abandoned credential", metadata: ["rotation": "\(rotation.id)", "error": "\(error)"])
            return item("error", "\(error)")
        }
    }

    private func drive(_ rotation: RotationRecord, entry: RotationRunner.Entry, action: String) async -> TickItem {
        guard let playbook = playbooks[rotation.secretName] else {
            return TickItem(subject: rotation.secretName, rotationID: rotation.id, action: "error",
                            state: rotation.state.rawValue,
                            message: "no valid playbook for this secret; run `rotor validate` and fix it, then tick again")
        }
        do {
            let outcome = try await runner.drive(rotationID: rotation.id, playbook: playbook, entry: entry)
            // Waiting on a person to revoke the old value is no failure: the request and its reminders are out.
            let waits = PersonRequest.of(outcome.rotation, playbook: playbook) != nil
            return TickItem(subject: rotation.secretName, rotationID: rotation.id, action: waits ? "waiting" : action,
                            state: outcome.rotation.state.rawValue,
                            message: outcome.rotation.error ?? "now \(outcome.rotation.state.rawValue)")
        } catch let error as RunnerError where error.code == .leaseHeld {
            // Another process claimed it first (two ticks at one grace end): its work, not this pass's error.
            let owner = error.leaseOwner ?? "another process"
            logger.info("rotation driven by another process", metadata: ["rotation": "\(rotation.id)", "owner": "\(owner)"])
            return TickItem(subject: rotation.secretName, rotationID: rotation.id, action: "skipped",
                            state: rotation.state.rawValue, message: "being driven by \(owner)")
        } catch {
            logger.error("tick could not drive a rotation", metadata: ["rotation": "\(rotation.id)", "error": "\(error)"])
            return TickItem(subject: rotation.secretName, rotationID: rotation.id, action: "error",
                            state: rotation.state.rawValue, message: "\(error)")
        }
    }
}
