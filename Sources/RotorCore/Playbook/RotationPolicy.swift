/// Limits on postponing and on the life of a credential (`policy:` in a playbook).
public struct RotationPolicy: Sendable, Equatable {
    /// A credential never lives longer than this; skips are cut to it.
    public var maxAge: Duration
    /// Skips allowed per rotation cycle.
    public var maxSkips: Int
    /// How far one skip postpones a rotation.
    public var skipFor: Duration
    /// For customer keys: an old key used within this time before its grace end keeps its grace a while longer.
    public var revokeWhenUnused: Duration?
    /// The longest a grace period may be extended to.
    public var maxGrace: Duration?
    /// Rotations the scheduler may start per 24 hours (each mints a value at the source), however many fail.
    public var maxAttemptsPerDay: Int
    /// A rotation that has not progressed for this long (and whose lease ran out) counts as stuck.
    public var stepTimeout: Duration
    /// For customer keys: how long a revoked key is kept before it is deleted (its audit rows stay).
    public var retention: Duration = .seconds(30 * 86_400)
    /// For customer keys: how long one scheduler pass may spend rotating due keys; the rest waits for the next pass.
    public var passBudget: Duration = .seconds(20)

    /// A policy; the defaults are those of a playbook without `policy:`.
    public init(maxAge: Duration = .seconds(90 * 86_400), maxSkips: Int = 2, skipFor: Duration = .seconds(30 * 86_400),
                revokeWhenUnused: Duration? = nil, maxGrace: Duration? = nil, maxAttemptsPerDay: Int = 3,
                stepTimeout: Duration = .seconds(30 * 60)) {
        self.maxAge = maxAge
        self.maxSkips = maxSkips
        self.skipFor = skipFor
        self.revokeWhenUnused = revokeWhenUnused
        self.maxGrace = maxGrace
        self.maxAttemptsPerDay = maxAttemptsPerDay
        self.stepTimeout = stepTimeout
    }
}
