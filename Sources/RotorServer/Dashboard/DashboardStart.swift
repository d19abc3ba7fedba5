import Foundation
import Logging
import RotorCore
import Synchronization

/// Starts a rotation that goes on in the server after the response (it takes as long as its deploys), and answers
/// only once it has begun: its record is in the store (the progress page can follow it, from any daemon), or it was
/// refused before that — then the refusal goes back to the confirmation page instead of a progress page that would
/// wait for a rotation that never comes.
struct DashboardStart {
    let store: any Store
    let logger: Logger

    /// How long the response waits for the rotation's record before following it anyway.
    static let patience: Duration = .seconds(10)
    static let poll: Duration = .milliseconds(50)

    /// Runs `work` detached; returns when rotation `id` exists, or throws ``DashboardRefusal`` with why `work` ended
    /// without it. Rotor's errors name no value.
    func start(rotation id: String, what: String, secret: String,
               _ work: @escaping @Sendable () async throws -> Void) async throws {
        let failure = Mutex<String?>(nil)
        let logger = logger
        Task.detached {
            do {
                try await work()
            } catch {
                failure.withLock { $0 = "\(error)" }
                logger.error("\(what) from the dashboard failed", metadata: ["secret": "\(secret)", "error": "\(error)"])
            }
        }
        let deadline = ContinuousClock.now.advanced(by: Self.patience)
        while ContinuousClock.now < deadline {
            if try await store.transaction({ try $0.rotation(id: id) }) != nil { return }
            if let why = failure.withLock({ $0 }) {
                throw DashboardRefusal("Rotor did not start the \(what): \(why)")
            }
            try await Task.sleep(for: Self.poll)
        }
    }
}
