/// A cron expression Rotor cannot accept: says which field is wrong, what is allowed there, and the expression.
public struct CronError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The expression as written.
    public let expression: String
    /// The field at fault (`minute`, `hour`, `day-of-month`, `month`, `day-of-week`), or nil for the whole expression.
    public let field: String?
    /// What is wrong and what would be accepted, without the expression itself.
    public let reason: String

    init(_ expression: String, field: String? = nil, _ reason: String) {
        self.expression = expression
        self.field = field
        self.reason = reason
    }

    /// `reason` prefixed with the field, e.g. `day-of-month: 32 is out of range (allowed 1-31)`.
    public var message: String {
        field.map { "\($0): \(reason)" } ?? reason
    }

    public var description: String {
        "cron expression \"\(expression)\": \(message)"
    }
}
