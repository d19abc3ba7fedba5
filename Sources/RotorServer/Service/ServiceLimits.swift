import Foundation
import RotorCore

/// How long one connection may keep the service waiting, and how many failed attempts one client
/// address may make before it is answered 429.
public struct ServiceLimits: Sendable, Equatable {
    /// A connection that sends nothing for this long (half-way through its headers, half-way through
    /// a body, or between requests) is closed; so is a request whose body is not complete within it.
    public var idleTimeout: Duration
    /// Failed attempts one address may make per ``window``: refused reply links, bad text-reply
    /// signatures, wrong admin tokens, customer keys that do not verify. Valid requests do not count.
    public var failuresPerWindow: Int
    /// The window failures are counted in, and the period of the aggregated refusal audit rows.
    public var window: Duration
    /// The most client addresses tracked at once, so that a flood from many addresses stays bounded in memory.
    public var trackedAddresses: Int

    public init(idleTimeout: Duration = .seconds(30), failuresPerWindow: Int = 20, window: Duration = .seconds(60),
                trackedAddresses: Int = 10_000) {
        self.idleTimeout = idleTimeout
        self.failuresPerWindow = failuresPerWindow
        self.window = window
        self.trackedAddresses = trackedAddresses
    }

    /// The environment variables that override the defaults.
    public static let idleTimeoutVariable = "ROTOR_HTTP_IDLE_TIMEOUT"
    public static let failureLimitVariable = "ROTOR_HTTP_FAILURE_LIMIT"

    /// The defaults, with `ROTOR_HTTP_IDLE_TIMEOUT` (seconds, such as `30` or `0.5`, or a duration such
    /// as `2m`) and `ROTOR_HTTP_FAILURE_LIMIT` (failures per minute) applied when set.
    /// Returns the problems with values that could not be used; those keep their defaults.
    public static func from(environment: [String: String]) -> (limits: ServiceLimits, problems: [String]) {
        var limits = ServiceLimits()
        var problems: [String] = []
        if let text = environment[idleTimeoutVariable], !text.isEmpty {
            if let seconds = Double(text), seconds > 0, seconds <= 86_400 {
                limits.idleTimeout = .milliseconds(Int64(seconds * 1000))
            } else if let duration = try? DurationText.parse(text), duration > .zero {
                limits.idleTimeout = duration
            } else {
                problems.append("\(idleTimeoutVariable) is not a number of seconds or \(DurationText.forms); using 30s")
            }
        }
        if let text = environment[failureLimitVariable], !text.isEmpty {
            if let count = Int(text), count > 0 {
                limits.failuresPerWindow = count
            } else {
                problems.append("\(failureLimitVariable) is not a positive whole number; using 20 per minute")
            }
        }
        return (limits, problems)
    }
}
