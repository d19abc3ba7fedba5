import Foundation
import Logging

/// A credential a source has just minted.
public struct MintedCredential: Sendable {
    public var value: SecretValue
    /// The source's own id for the credential (a vendor key id, a role name), used to revoke it later.
    public var handle: String?

    public init(value: SecretValue, handle: String? = nil) {
        self.value = value
        self.handle = handle
    }
}

/// A credential Rotor holds: a stored version, opened for a step.
public struct StoredCredential: Sendable {
    public var versionID: String
    public var value: SecretValue
    public var handle: String?

    public init(versionID: String, value: SecretValue, handle: String?) {
        self.versionID = versionID
        self.value = value
        self.handle = handle
    }
}

/// Where new values come from, and where old ones are revoked.
public protocol CredentialSource: Sendable {
    /// Mints a new credential. `context.idempotencyKey` stays the same when a step is retried after a
    /// crash, so a vendor that honours idempotency keys returns the same credential again.
    func mint(_ context: StepContext) async throws -> MintedCredential
    /// Revokes a credential at the source. Must succeed if it is already revoked.
    func revoke(_ credential: StoredCredential, _ context: StepContext) async throws
    /// Revokes like ``revoke(_:_:)`` and says whether the credential was already revoked. The default calls
    /// ``revoke(_:_:)`` and answers ``RevokeOutcome/revoked``; a source that can tell implements it.
    func revokeWithOutcome(_ credential: StoredCredential, _ context: StepContext) async throws -> RevokeOutcome
    /// Undoes a mint during a rollback: makes `new` stop working and `previous` (the rotation's old version,
    /// when there is one) work again. The default revokes `new`; a source that changed a credential in place
    /// (one role's password) sets the previous value back instead.
    func revokeNew(_ new: StoredCredential, previous: StoredCredential?, _ context: StepContext) async throws -> RevokeOutcome
    /// Whether `revoke` really revokes. A source configured without a revoke step says false: old values
    /// then stay valid where they were issued until a person revokes them there.
    var canRevoke: Bool { get }
    /// Whether revoking needs the source's handle of the credential (a vendor key id): a value imported
    /// without one could never be revoked.
    var revokeNeedsHandle: Bool { get }
    /// One read-only call with the source's own credential (`rotor doctor`): connect to the database, read the
    /// vendor's account. Changes nothing and never mints. The default says it is not checked.
    func readOnlyCheck() async -> ReadOnlyCheck
}

extension CredentialSource {
    public func revokeWithOutcome(_ credential: StoredCredential, _ context: StepContext) async throws -> RevokeOutcome {
        try await revoke(credential, context)
        return .revoked
    }

    public func revokeNew(_ new: StoredCredential, previous: StoredCredential?, _ context: StepContext) async throws -> RevokeOutcome {
        try await revokeWithOutcome(new, context)
    }

    /// Most sources revoke.
    public var canRevoke: Bool { true }
    public var revokeNeedsHandle: Bool { false }
    public func readOnlyCheck() async -> ReadOnlyCheck { .notChecked("this source makes no read-only call") }
}

/// A place that holds the secret's value: an env var, a file, a command.
public protocol SecretTarget: Sendable {
    /// Names the target in messages, e.g. `vercel web-app OPENAI_API_KEY`.
    var label: String { get }
    /// Targets of one provider share a concurrency limit (and the vendor's rate limit).
    var provider: String { get }
    /// Writes `value` and, where the target needs it, redeploys and waits until the deploy is live.
    /// Idempotent: called again after a crash, it must converge to the same state (use
    /// `context.lastCheckpoint` to pick up a deploy that was already started).
    func apply(_ value: SecretValue, _ context: StepContext) async throws
    /// Writes `previous` back (nil: the target had no value before Rotor; remove it) and redeploys.
    func restore(_ previous: SecretValue?, _ context: StepContext) async throws
    /// Reads what the target holds now, changing nothing (for drift). The values are for fingerprints
    /// only: never print or log them.
    func read() async throws -> TargetReading
    /// One read-only call with the target's own credential (`rotor doctor`): list the project's variables, look
    /// up the service, read the item. Changes nothing and reads no value. The default says it is not checked.
    func readOnlyCheck() async -> ReadOnlyCheck
}

extension SecretTarget {
    /// A target that cannot read its value back says so.
    public func read() async throws -> TargetReading {
        .unknown("\(provider) targets cannot read their value back")
    }

    public func readOnlyCheck() async -> ReadOnlyCheck { .notChecked("\(provider) targets make no read-only call") }
}

/// A check that the services still work with a value.
public protocol SecretCheck: Sendable {
    var label: String { get }
    /// Throws when the check does not pass after its own retries.
    func verify(_ value: SecretValue, _ context: StepContext) async throws
}

/// What a provider learns about the step it serves.
public struct StepContext: Sendable {
    public var secret: String
    public var rotationID: String
    public var step: RotationStep
    /// Stable across retries of this step of this rotation.
    public var idempotencyKey: String
    /// The last progress note an earlier attempt of this step journaled (for example a deploy id).
    public var lastCheckpoint: String?
    /// The source handle of the version in use before this rotation (for example the database role
    /// an alternating source must not touch), if there is one.
    public var currentHandle: String?
    /// The value in use before this rotation, for the generate step only (a source that must not mint on
    /// the credential in use, and has no handle to tell which that is); nil otherwise.
    public var currentValue: SecretValue?
    public var logger: Logger
    public var clock: any RotorClock
    /// Journals a progress note (JSON, never a secret) so a resumed step can pick up where this one was.
    public var checkpoint: @Sendable (String) async throws -> Void
    /// Whether Rotor's store holds the version in use before this rotation: what a target that cannot
    /// read its value back restores.
    public var hasPreviousVersion: Bool
    /// Journals what the target held before this rotation's first write to it, sealed (AES-GCM under the
    /// master key, bound to the rotation and the target's propagate step). For propagate steps only.
    public var checkpointPrior: @Sendable ([UInt8]) async throws -> Void
    /// What `checkpointPrior` journaled for this target in this rotation, opened; nil when nothing was
    /// (the rotation never wrote to the target). For propagate and undo-propagate steps.
    public var priorValue: @Sendable () async throws -> [UInt8]?

    public init(secret: String, rotationID: String, step: RotationStep, idempotencyKey: String,
                lastCheckpoint: String? = nil, currentHandle: String? = nil, currentValue: SecretValue? = nil, logger: Logger, clock: any RotorClock,
                checkpoint: @escaping @Sendable (String) async throws -> Void = { _ in },
                hasPreviousVersion: Bool = false,
                checkpointPrior: @escaping @Sendable ([UInt8]) async throws -> Void = { _ in },
                priorValue: @escaping @Sendable () async throws -> [UInt8]? = { nil }) {
        self.secret = secret
        self.rotationID = rotationID
        self.step = step
        self.idempotencyKey = idempotencyKey
        self.lastCheckpoint = lastCheckpoint
        self.currentHandle = currentHandle
        self.currentValue = currentValue
        self.logger = logger
        self.clock = clock
        self.checkpoint = checkpoint
        self.hasPreviousVersion = hasPreviousVersion
        self.checkpointPrior = checkpointPrior
        self.priorValue = priorValue
    }
}

/// Builds providers from playbook configuration. Implemented outside RotorCore, which never knows a
/// concrete provider.
public protocol ProviderFactory: Sendable {
    func source(for playbook: Playbook) throws -> any CredentialSource
    func target(_ config: ProviderConfig, of playbook: Playbook) throws -> any SecretTarget
    func check(_ config: ProviderConfig, of playbook: Playbook) throws -> any SecretCheck
}
