/// One secret's rotation playbook (or, with a `key-table` source, the policy for customer API keys),
/// validated: every field has its type and every provider its required fields.
public struct Playbook: Sendable, Equatable {
    /// The file it was read from.
    public var file: String
    /// The secret's name: `[a-z0-9][a-z0-9._-]{0,62}`.
    public var secret: String
    public var description: String?
    /// Who answers for the secret (a team or person), for messages.
    public var owner: String?
    /// Nil for a secret that is only rotated by hand.
    public var schedule: ScheduleSpec?
    /// Limits on skips and on a credential's age.
    public var policy: RotationPolicy
    /// How long old and new are both valid after a rotation (default 24h; 72h for a key table).
    public var grace: Duration
    /// The grace of an emergency rotation (default 4h).
    public var emergencyGrace: Duration
    /// Where new credentials come from and where old ones are revoked.
    public var source: ProviderConfig
    /// In the order written; propagation follows it.
    public var targets: [ProviderConfig]
    /// What must pass before the old credential may be revoked, in the order written.
    public var checks: [ProviderConfig]
    /// Notification channel names.
    public var notify: [String]
    /// What the `notify:` channels hear about (`notify_on:`); failures always reach rotor.yml's `alerts:`.
    public var notifyOn: Set<NotifyEvent>

    /// A playbook with the same defaults the parser applies.
    public init(file: String, secret: String, description: String? = nil, owner: String? = nil,
                schedule: ScheduleSpec? = nil, policy: RotationPolicy = RotationPolicy(),
                grace: Duration = .seconds(86_400), emergencyGrace: Duration = .seconds(4 * 3_600),
                source: ProviderConfig, targets: [ProviderConfig] = [], checks: [ProviderConfig] = [],
                notify: [String] = [], notifyOn: Set<NotifyEvent> = NotifyEvent.defaults) {
        self.file = file
        self.secret = secret
        self.description = description
        self.owner = owner
        self.schedule = schedule
        self.policy = policy
        self.grace = grace
        self.emergencyGrace = emergencyGrace
        self.source = source
        self.targets = targets
        self.checks = checks
        self.notify = notify
        self.notifyOn = notifyOn
    }

    /// The `provider:` of a source that manages the company's own customer API keys.
    public static let keyTableProvider = "key-table"

    /// The `provider:` of a source whose new values a person supplies.
    public static let manualProvider = "manual"

    /// Whether a person supplies the new values (a `manual` source): its rotations wait in `awaiting_value`.
    public var awaitsValue: Bool { source.provider == Self.manualProvider }

    /// How long before the due date a person is asked for the new value (`request_before`, default 3 days); zero
    /// for other sources.
    public var requestLead: Duration {
        awaitsValue ? source.duration("request_before") ?? .seconds(3 * 86_400) : .zero
    }

    /// How long a person has for what a rotation waits on them for (`deadline`, default 7 days): the value after
    /// the due date, the old value's revoke after grace.
    public var personDeadline: Duration { source.duration("deadline") ?? .seconds(7 * 86_400) }

    /// Whether a manual source's `revoke_check` proves the old value dead (else a person's confirmation does).
    public var hasRevokeCheck: Bool { awaitsValue && source.value("revoke_check") != nil }

    /// Whether this playbook sets the policy for customer API keys rather than rotating one secret.
    public var isKeyTable: Bool { source.provider == Self.keyTableProvider }
}

extension Playbook {
    /// Whether `name` is a valid secret name: 1-63 characters of `a-z 0-9 . _ -`, starting with a letter or digit.
    public static func isValidSecretName(_ name: String) -> Bool {
        let scalars = name.unicodeScalars
        guard let first = scalars.first, (1...63).contains(scalars.count) else { return false }
        func lowerAlnum(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("0"..."9").contains(s) }
        return lowerAlnum(first) && scalars.allSatisfy { lowerAlnum($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }
}
