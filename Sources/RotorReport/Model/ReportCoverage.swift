/// How many subjects stayed within their maximum age over the whole period.
public struct ReportCoverage: Sendable, Equatable {
    public var secretsCounted: Int
    public var secretsWithin: Int
    /// Customer keys active at some time in the period: those active now created before its end, and those
    /// rotated within it.
    public var keysCounted: Int
    public var keysWithin: Int

    public init(secretsCounted: Int = 0, secretsWithin: Int = 0, keysCounted: Int = 0, keysWithin: Int = 0) {
        self.secretsCounted = secretsCounted
        self.secretsWithin = secretsWithin
        self.keysCounted = keysCounted
        self.keysWithin = keysWithin
    }

    /// Share within their maximum age, 0…100; 100 when there is nothing to count.
    public var percent: Double { Self.percent(secretsWithin + keysWithin, of: secretsCounted + keysCounted) }
    public var secretsPercent: Double { Self.percent(secretsWithin, of: secretsCounted) }
    public var keysPercent: Double { Self.percent(keysWithin, of: keysCounted) }

    static func percent(_ part: Int, of whole: Int) -> Double {
        whole == 0 ? 100 : (Double(part) / Double(whole) * 1000).rounded(.down) / 10
    }
}
