import Foundation

/// One run of the rotation pipeline for a secret, with the lease that lets several daemons share work safely.
public struct RotationRecord: Sendable, Equatable {
    public var id: String
    public var secretName: String
    public var trigger: RotationTrigger
    /// Who started it: a user name, `scheduler`, or an API key id.
    public var actor: String
    public var reason: String?
    public var state: RotationState
    /// The version that was `current` when the rotation began.
    public var oldVersionID: String?
    /// The version this rotation generated, once generated.
    public var newVersionID: String?
    /// When the old value may be revoked.
    public var graceEndsAt: Date?
    /// Revoke the old value as soon as the new one is verified (emergency with no grace).
    public var revokeImmediately: Bool
    /// The daemon currently working on this rotation, if its lease has not expired.
    public var leaseOwner: String?
    public var leaseExpiresAt: Date?
    /// Fencing counter, incremented on every claim, so a daemon whose lease was taken over can tell.
    public var fence: Int64
    /// Why the rotation failed or rolled back; never contains a secret value.
    public var error: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var completedAt: Date?

    public init(
        id: String,
        secretName: String,
        trigger: RotationTrigger,
        actor: String,
        reason: String? = nil,
        state: RotationState,
        oldVersionID: String? = nil,
        newVersionID: String? = nil,
        graceEndsAt: Date? = nil,
        revokeImmediately: Bool = false,
        leaseOwner: String? = nil,
        leaseExpiresAt: Date? = nil,
        fence: Int64 = 0,
        error: String? = nil,
        createdAt: Date,
        updatedAt: Date,
        completedAt: Date? = nil
    ) {
        self.id = id
        self.secretName = secretName
        self.trigger = trigger
        self.actor = actor
        self.reason = reason
        self.state = state
        self.oldVersionID = oldVersionID
        self.newVersionID = newVersionID
        self.graceEndsAt = graceEndsAt
        self.revokeImmediately = revokeImmediately
        self.leaseOwner = leaseOwner
        self.leaseExpiresAt = leaseExpiresAt
        self.fence = fence
        self.error = error
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.completedAt = completedAt
    }
}
