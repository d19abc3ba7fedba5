import Foundation

/// A way out of a stuck rotation: retry it now, or record that a person revoked the old value by hand when
/// its revoke at the source keeps failing (`rotor resolve`).
public struct ResolveService: Sendable {
    /// What the operator asks for.
    public enum Action: Sendable, Equatable {
        /// Drive the rotation again now: retry a stalled revoke, resume an interrupted rotation, retry a failed undo.
        case retry
        /// The old value was revoked at the vendor by hand; close the stalled revoke.
        case revokedManually(reason: String)
        /// Stop the active rotation (one waiting for a person's approval or value, or any not yet revoking): every
        /// target written so far, in every stage, gets the previous value back.
        case cancel(reason: String)
    }

    /// Where the rotation stands afterwards; versions by fingerprint and last 4, never a value.
    public struct Result: Sendable, Encodable {
        public var secret: String
        public var rotationID: String
        public var state: String
        public var error: String?
        public var oldVersion: String?

        enum CodingKeys: String, CodingKey {
            case secret, state, error
            case rotationID = "rotation_id"
            case oldVersion = "old_version"
        }
    }

    let store: any Store
    let runner: RotationRunner

    public init(store: any Store, runner: RotationRunner) {
        self.store = store
        self.runner = runner
    }

    /// The rotation `resolve` would act on: the secret's active rotation, else its newest when that one failed.
    public func stuckRotation(_ secret: String) async throws -> RotationRecord? {
        try await store.transaction { tx in
            if let active = try tx.activeRotation(secretName: secret) { return active }
            return try tx.rotations(secretName: secret).first.flatMap { $0.state == .failed ? $0 : nil }
        }
    }

    /// Carries out `action` on `playbook`'s stuck rotation as `actor`.
    public func resolve(_ playbook: Playbook, _ action: Action, actor: String) async throws -> Result {
        guard let rotation = try await stuckRotation(playbook.secret) else {
            if action == .retry, let result = try await settleAbandoned(playbook) { return result }
            throw RecoveryError.nothingToResolve(secret: playbook.secret, rotationID: nil, state: nil)
        }
        let entry: RotationRunner.Entry
        switch action {
        case .revokedManually(let reason):
            entry = .revokedManually(actor: actor, reason: reason)
        case .cancel(let reason):
            guard rotation.state.isActive else {
                throw RecoveryError.nothingToResolve(secret: playbook.secret, rotationID: rotation.id, state: rotation.state)
            }
            entry = .rollback(reason: "cancelled by \(actor): \(reason)")
        case .retry:
            switch rotation.state {
            case .failed: entry = .retryUndo
            case .grace:
                // Waiting out a grace period is not stuck; `rotor emergency` revokes early when that is wanted.
                throw RecoveryError.nothingToResolve(secret: playbook.secret, rotationID: rotation.id, state: rotation.state)
            default: entry = .resume
            }
        }
        let outcome: RotationOutcome
        do {
            outcome = try await runner.drive(rotationID: rotation.id, playbook: playbook, entry: entry)
        } catch let error as RunnerError where error.code == .leaseHeld {
            throw RecoveryError.leaseHeld(secret: playbook.secret, rotationID: rotation.id, owner: error.leaseOwner ?? "another process")
        }
        // Resolved means no longer stuck: finished (completed or rolled back) or waiting out its grace.
        let state = outcome.rotation.state
        let resolved = state == .grace || (!state.isActive && state != .failed)
        return Result(secret: playbook.secret, rotationID: rotation.id, state: state.rawValue,
                      error: resolved ? nil : (outcome.rotation.error ?? "still \(state.rawValue)"),
                      oldVersion: outcome.oldVersion?.display)
    }

    /// `--retry` with no stuck rotation: revokes the credentials abandoned rotations left valid, once no target
    /// holds them (what their alert asks for). Nil when there are none; else the first one still left valid, or the
    /// last one settled.
    private func settleAbandoned(_ playbook: Playbook) async throws -> Result? {
        let abandoned = try await store.transaction { try RotationRunner.abandoned($0, secret: playbook.secret) }
        var result: Result?
        for rotation in abandoned {
            let error: String? = switch try await runner.revokeAbandoned(rotation, playbook: playbook) {
            case .revoked, .superseded, .nothing: nil
            case .held(let holders): "its new key stays valid: " + holders.joined(separator: "; ")
            case .deferred(let why): "its new key stays valid for now: \(why)"
            case .failed(let reason): "revoking its new key failed: \(reason)"
            }
            let settled = Result(secret: playbook.secret, rotationID: rotation.id, state: rotation.state.rawValue, error: error,
                                 oldVersion: nil)
            if error != nil { return settled }
            result = settled
        }
        return result
    }
}
