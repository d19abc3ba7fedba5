/// A `schedule.window` Rotor cannot accept. Carries the text as written (a window is never secret).
public struct TimeWindowError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The window as written.
    public let text: String
    /// What is wrong and what is accepted.
    public let reason: String

    public var description: String { "window \"\(text)\": \(reason)" }
}
