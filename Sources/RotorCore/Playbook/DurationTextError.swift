/// A duration written in a form Rotor does not accept. Carries the text as written (durations are never secret).
public struct DurationTextError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The text as written.
    public let text: String
    /// What is wrong, and the accepted forms.
    public let reason: String

    public var description: String { "\"\(text)\" is not a duration: \(reason)" }
}
