import Synchronization

/// Holds one provider call until the test opens it, and tells the test when the call arrived: a slow deploy
/// or a slow check without any sleep. A waiting call honours task cancellation, as a real HTTP call does.
final class Gate: Sendable {
    private let arrivals = AsyncStream<Void>.makeStream()
    private let release = AsyncStream<Void>.makeStream()

    /// Called by the provider: announces the call and waits until ``open()`` (or the task is cancelled).
    func pass() async throws {
        arrivals.continuation.yield()
        for await _ in release.stream {}
        try Task.checkCancellation()
    }

    /// Waits until a call is held at the gate.
    func arrival() async {
        for await _ in arrivals.stream { return }
    }

    /// Lets the held call (and every later one) through.
    func open() { release.continuation.finish() }
}
