import Testing

/// Polls `condition` every `interval` until it holds. If it still does not hold after `timeout`, records an
/// issue naming `what` at the caller and throws, so that a hang ends as a failing test with a message instead
/// of a test run that never finishes. The timeout is generous on purpose: it tells a hang from a slow, loaded
/// machine, not fast from slow.
public func eventually(
    _ what: String, timeout: Duration = .seconds(30), every interval: Duration = .milliseconds(10),
    isolation: isolated (any Actor)? = #isolation, sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out after \(timeout) waiting until \(what)", sourceLocation: sourceLocation)
            throw EventuallyTimedOut(what: what)
        }
        try await Task.sleep(for: interval)
    }
}

/// What `eventually` throws after recording its timeout, to stop the test where it waited.
public struct EventuallyTimedOut: Error, CustomStringConvertible {
    public let what: String
    public var description: String { "timed out waiting until \(what)" }
}
