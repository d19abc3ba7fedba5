import Foundation

/// An append-only audit record. Values are referred to by fingerprint and last 4, never by value.
public struct AuditEvent: Sendable, Equatable {
    /// Assigned by the store on append, increasing; nil before that.
    public var id: Int64?
    public var at: Date
    /// The secret name or API key id the event is about.
    public var subject: String
    /// `"secret"`, `"api_key"` or `"system"`.
    public var subjectKind: String
    /// What happened, for example `rotation.completed` or `key.revoked`.
    public var action: String
    public var oldFingerprint: String?
    public var oldLast4: String?
    public var newFingerprint: String?
    public var newLast4: String?
    public var trigger: String?
    public var actor: String
    public var reason: String?
    /// `"success"`, `"failure"`, ….
    public var outcome: String
    public var rotationID: String?
    /// JSON details; never a secret value.
    public var detail: String?
    /// Written under a time-travelling clock (`--now`): a rehearsal, not what really happened. Set by the store
    /// from the transaction's clock, whatever the event says.
    public var simulatedNow: Bool

    public init(
        id: Int64? = nil,
        at: Date,
        subject: String,
        subjectKind: String,
        action: String,
        oldFingerprint: String? = nil,
        oldLast4: String? = nil,
        newFingerprint: String? = nil,
        newLast4: String? = nil,
        trigger: String? = nil,
        actor: String,
        reason: String? = nil,
        outcome: String,
        rotationID: String? = nil,
        detail: String? = nil,
        simulatedNow: Bool = false
    ) {
        self.id = id
        self.at = at
        self.subject = subject
        self.subjectKind = subjectKind
        self.action = action
        self.oldFingerprint = oldFingerprint
        self.oldLast4 = oldLast4
        self.newFingerprint = newFingerprint
        self.newLast4 = newLast4
        self.trigger = trigger
        self.actor = actor
        self.reason = reason
        self.outcome = outcome
        self.rotationID = rotationID
        self.detail = detail
        self.simulatedNow = simulatedNow
    }
}
