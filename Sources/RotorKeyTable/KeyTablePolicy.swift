/// The rules for customer keys, from the key-table playbook (`source: { provider: key-table }`).
public struct KeyTablePolicy: Sendable, Equatable {
    public var grace: Duration
    public var emergencyGrace: Duration
    public var maxAge: Duration
    public var warnBefore: Duration
    /// At the grace end, an old key used within this window keeps working (a mobile app still ships it).
    public var revokeWhenUnused: Duration?
    /// How far such a key's grace may be extended in all.
    public var maxGrace: Duration?
    /// A revoked key is deleted this long after its revocation; its audit rows stay. The key-table playbook's
    /// `policy.retention` (30 days unless it says otherwise); nil, without a playbook: revoked keys are kept.
    public var retention: Duration?
    /// The time one scheduler pass may spend rotating due keys (`policy.pass_budget`); the rest is the next pass's.
    public var passBudget: Duration
    /// Due keys rotated per transaction: large enough that a round trip is shared by hundreds of keys, small enough
    /// that a transaction holds its locks for milliseconds.
    public var rotationBatch: Int

    public init(grace: Duration = .seconds(72 * 3600), emergencyGrace: Duration = .seconds(4 * 3600),
                maxAge: Duration = .seconds(90 * 86400), warnBefore: Duration = .seconds(7 * 86400),
                revokeWhenUnused: Duration? = nil, maxGrace: Duration? = nil, retention: Duration? = nil,
                passBudget: Duration = .seconds(20), rotationBatch: Int = 500) {
        self.grace = grace
        self.emergencyGrace = emergencyGrace
        self.maxAge = maxAge
        self.warnBefore = warnBefore
        self.revokeWhenUnused = revokeWhenUnused
        self.maxGrace = maxGrace
        self.retention = retention
        self.passBudget = passBudget
        self.rotationBatch = max(1, rotationBatch)
    }
}
