import Foundation

/// Something a rotation waits for a person to do, with when they were asked and by when it must be done: what
/// ``PersonRequestReminders`` reminds of and escalates, and what makes a secret `overdue` in `rotor compliance` once
/// its deadline passes. A new kind of request plugs in here (its case, and where ``of(_:playbook:)`` finds it).
public struct PersonRequest: Sendable, Equatable {
    /// What the person is asked for.
    public enum Kind: String, Sendable, CaseIterable {
        /// The new value of a `manual` source (`awaiting_value`; ``SupplyRequest``).
        case supply
        /// The approval of a rotation's next stage (for staged rotations).
        case approval
        /// Revoking the old value at the vendor, or confirming the vendor's own expiry (a `manual` source in
        /// `revoking`; ``RevokeRequest``).
        case revoke

        /// What was asked, for messages: "a new value", "an approval", "the old value revoked".
        public var asked: String {
            switch self {
            case .supply: "a new value"
            case .approval: "an approval"
            case .revoke: "the old value revoked at the vendor"
            }
        }
    }

    /// How often a pass runs a `revoke_check` again while the old value still works.
    public static let revokeCheckInterval: Duration = .seconds(300)

    public var kind: Kind
    public var rotation: RotationRecord
    public var askedAt: Date
    /// After it the request escalates to on-call and the secret is `overdue`.
    public var deadline: Date

    public init(kind: Kind, rotation: RotationRecord, askedAt: Date, deadline: Date) {
        self.kind = kind
        self.rotation = rotation
        self.askedAt = askedAt
        self.deadline = deadline
    }

    /// The request `rotation` (of `playbook`'s secret) waits on; nil when it waits on nobody.
    public static func of(_ rotation: RotationRecord, playbook: Playbook) -> PersonRequest? {
        guard playbook.awaitsValue else { return nil }
        switch rotation.state {
        case .awaitingValue:
            return PersonRequest(kind: .supply, rotation: rotation, askedAt: rotation.createdAt,
                                 deadline: SupplyRequest.expiry(playbook, trigger: rotation.trigger, at: rotation.createdAt))
        case .revoking:
            // Asked when grace ended; the same `deadline` a value has after its due date.
            let asked = min(rotation.graceEndsAt ?? rotation.updatedAt, rotation.updatedAt)
            return PersonRequest(kind: .revoke, rotation: rotation, askedAt: asked,
                                 deadline: asked.addingTimeInterval(playbook.personDeadline.timeInterval))
        default:
            return nil
        }
    }

    /// What the person does, as lines for a message: the instructions and the commands.
    public func howTo(_ playbook: Playbook) -> [String] {
        let secret = playbook.secret
        switch kind {
        case .supply:
            return [playbook.source.string("instructions") ?? "",
                    "Hand it over with the supply link sent at \(ISO8601.string(askedAt)), or run: rotor supply \(secret) < new-key.txt"]
        case .approval:
            return ["Approve with: rotor approve \(secret)"]
        case .revoke:
            return RevokeRequest.howTo(playbook)
        }
    }
}
