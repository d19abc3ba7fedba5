import Foundation

/// An emergency rotation: who triggered it and why, and how long until the new value was live.
public struct EmergencyFinding: Sendable, Equatable {
    public var subject: String
    /// `secret` or `api_key`.
    public var kind: String
    public var rotationID: String?
    public var triggeredAt: Date
    public var actor: String
    public var reason: String?
    /// When the new value became current everywhere (promoted); nil when it never did.
    public var liveAt: Date?
    /// The rotation's state as the store has it now (`completed`, `grace`, `failed`, …).
    public var outcome: String
    public var auditIDs: [Int64]

    /// Seconds from the trigger to the new value being live.
    public var triggerToLiveSeconds: Double? { liveAt.map { $0.timeIntervalSince(triggeredAt) } }
}
