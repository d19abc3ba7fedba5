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

    public init(grace: Duration = .seconds(72 * 3600), emergencyGrace: Duration = .seconds(4 * 3600),
                maxAge: Duration = .seconds(90 * 86400), warnBefore: Duration = .seconds(7 * 86400),
                revokeWhenUnused: Duration? = nil, maxGrace: Duration? = nil) {
        self.grace = grace
        self.emergencyGrace = emergencyGrace
        self.maxAge = maxAge
        self.warnBefore = warnBefore
        self.revokeWhenUnused = revokeWhenUnused
        self.maxGrace = maxGrace
    }
}
