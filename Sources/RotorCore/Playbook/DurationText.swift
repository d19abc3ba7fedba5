/// The duration syntax of playbooks and the CLI: a whole number and one unit, `30s`, `15m`, `72h`, `90d`, `2w`.
///
/// Durations are exact lengths of time (a day is 86 400 s), never calendar arithmetic.
public enum DurationText {
    /// The accepted forms, for messages.
    public static let forms = "a whole number and one unit: 30s, 15m, 72h, 90d or 2w"

    /// The longest duration accepted: far beyond any rotation policy, short enough never to overflow a date.
    public static let maximum: Duration = .seconds(36_500 * 86_400)

    private static let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]

    /// Parses `30s`, `15m`, `72h`, `90d`, `2w`; `0s` is accepted (callers that need a positive length check).
    public static func parse(_ text: String) throws(DurationTextError) -> Duration {
        guard let unit = text.last, let seconds = units[unit] else {
            throw DurationTextError(text: text, reason: "use \(forms)")
        }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let count = Int64(digits) else {
            throw DurationTextError(text: text, reason: "use \(forms)")
        }
        let duration = Duration.seconds(count * seconds)
        guard duration <= maximum else {
            throw DurationTextError(text: text, reason: "longer than the limit of 36500d")
        }
        return duration
    }

    /// The shortest exact spelling in days, hours, minutes or seconds: `7d`, `36h`, `90m`, `45s`, `0s`.
    public static func format(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        for (unit, size) in [("d", Int64(86_400)), ("h", 3_600), ("m", 60)] where seconds != 0 && seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }
}

extension Duration {
    /// This duration in seconds as a `TimeInterval`, for date arithmetic.
    public var timeInterval: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
