import Foundation
import Logging

/// A suspected leak, for `rotor emergency` and the HTTP trigger alike. The emergency takes over whatever the
/// secret is doing: during grace the old value is revoked now (or after the grace asked for); a rotation in
/// flight is rolled back first and the emergency rotation runs after it; otherwise it rotates now. Revoking early
/// alerts the playbook's channels, urgent, before it starts (a new emergency rotation alerts through the runner).
public struct EmergencyService: Sendable {
    /// What an emergency asks for.
    public struct Request: Sendable {
        public var actor: String
        public var reason: String
        /// How long the old value stays valid; nil: the playbook's emergency grace (during grace: revoke now).
        public var grace: Duration?
        public var revokeImmediately: Bool

        public init(actor: String, reason: String, grace: Duration? = nil, revokeImmediately: Bool = false) {
            self.actor = actor
            self.reason = reason
            self.grace = grace
            self.revokeImmediately = revokeImmediately
        }
    }

    /// What the emergency will do, decided (and refused where it must be) before anything changes.
    public struct Plan: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            /// Rotate now.
            case rotate
            /// Roll back the rotation in flight, then rotate.
            case abortThenRotate(abortedID: String)
            /// The secret is in grace (or revoking): revoke the old value now, or end the grace at `grace` from now.
            case revokeOld
        }

        public var kind: Kind
        /// The rotation whose progress answers the emergency: the new one, or the one in grace.
        public var rotationID: String
    }

    let store: any Store
    let runner: RotationRunner
    let clock: any RotorClock
    let logger: Logger

    public init(store: any Store, runner: RotationRunner, clock: any RotorClock, logger: Logger) {
        self.store = store
        self.runner = runner
        self.clock = clock
        self.logger = logger
    }

    /// Decides what to do. Refuses a secret Rotor never imported (rotating it would leave the leaked value
    /// valid) and a rotation another live process is driving.
    public func plan(_ playbook: Playbook) async throws -> Plan {
        let now = clock.now
        let ownOwner = runner.configuration.owner
        let (current, active) = try await store.transaction { tx in
            (try tx.version(secretName: playbook.secret, label: .current), try tx.activeRotation(secretName: playbook.secret))
        }
        guard let active else {
            guard current != nil else { throw RecoveryError.notImported(secret: playbook.secret) }
            return Plan(kind: .rotate, rotationID: RotationRunner.newRotationID())
        }
        if active.state == .grace || active.state == .revoking {
            return Plan(kind: .revokeOld, rotationID: active.id)
        }
        if let owner = active.leaseOwner, owner != ownOwner, let until = active.leaseExpiresAt, until > now,
           !LeaseOwner.isDeadLocalProcess(owner) {
            throw RecoveryError.leaseHeld(secret: playbook.secret, rotationID: active.id, owner: owner)
        }
        return Plan(kind: .abortThenRotate(abortedID: active.id), rotationID: RotationRunner.newRotationID())
    }

    /// Alerts, then carries out `plan`; returns where the rotation the plan names stands.
    public func carryOut(_ plan: Plan, playbook: Playbook, request: Request) async throws -> RotationOutcome {
        // A new emergency rotation alerts through the runner's rotation alerts; revoking early is this service's own.
        if plan.kind == .revokeOld { try await alert(plan, playbook: playbook, request: request) }
        switch plan.kind {
        case .revokeOld:
            return try await revokeOld(plan.rotationID, playbook: playbook, grace: request.grace)
        case .abortThenRotate(let abortedID):
            let aborted = try await store.transaction { try $0.rotation(id: abortedID) }
            let entry: RotationRunner.Entry = aborted?.state == .rollingBack
                ? .resume : .rollback(reason: "aborted for an emergency rotation: \(request.reason)")
            do {
                _ = try await runner.drive(rotationID: abortedID, playbook: playbook, entry: entry)
            } catch let error as RunnerError where error.code == .leaseHeld {
                throw RecoveryError.leaseHeld(secret: playbook.secret, rotationID: abortedID, owner: error.leaseOwner ?? "another process")
            }
            return try await rotate(plan, playbook: playbook, request: request)
        case .rotate:
            return try await rotate(plan, playbook: playbook, request: request)
        }
    }

    private func rotate(_ plan: Plan, playbook: Playbook, request: Request) async throws -> RotationOutcome {
        try await runner.rotate(playbook, .init(trigger: .emergency, actor: request.actor, reason: request.reason,
                                                grace: request.grace ?? playbook.emergencyGrace,
                                                revokeImmediately: request.revokeImmediately, id: plan.rotationID))
    }

    /// Revokes the old value of a rotation in grace now, or moves its grace end to `grace` from now when that is sooner.
    private func revokeOld(_ rotationID: String, playbook: Playbook, grace: Duration?) async throws -> RotationOutcome {
        if let grace, grace > .zero {
            let ends = clock.now.addingTimeInterval(grace.timeInterval)
            try await store.transaction { tx in
                guard var rotation = try tx.rotation(id: rotationID), rotation.state == .grace else { return }
                rotation.graceEndsAt = min(rotation.graceEndsAt ?? ends, ends)
                try tx.updateRotation(rotation)
            }
            return try await runner.outcome(for: rotationID)
        }
        let state = try await store.transaction { try $0.rotation(id: rotationID)?.state }
        return try await runner.drive(rotationID: rotationID, playbook: playbook, entry: state == .grace ? .graceElapsed : .resume)
    }

    /// Queues an urgent notice to the playbook's channels, once per emergency rotation.
    private func alert(_ plan: Plan, playbook: Playbook, request: Request) async throws {
        let now = clock.now
        let what = switch plan.kind {
        case .rotate: "Rotor is rotating it now (rotation \(plan.rotationID))."
        case .abortThenRotate(let aborted): "Rotor is rolling back rotation \(aborted) and then rotating it (rotation \(plan.rotationID))."
        case .revokeOld: "The previous value is being revoked early (rotation \(plan.rotationID) was in its grace period)."
        }
        let body = "Emergency on \(playbook.secret), raised by \(request.actor): \(request.reason)\n\(what)\n"
            + "Follow it with `rotor status \(playbook.secret)`."
        let notices = Notices.make(kind: "emergency", secret: playbook.secret, channels: playbook.notify, urgent: true,
                                   subject: "Emergency rotation of \(playbook.secret)", body: body,
                                   dedupe: "emergency:\(plan.rotationID)", at: now)
        try await store.transaction { tx in
            for notice in notices { try tx.enqueueNotification(notice) }
        }
        logger.notice("emergency", metadata: ["secret": "\(playbook.secret)", "rotation": "\(plan.rotationID)"])
    }
}
