import RotorCore
@testable import RotorStore
import RotorTestSupport

extension PostgresTestServer {
    /// Runs `body` on a RotorStore connection to the admin database, on a thread of its own (libpq calls block).
    /// Here rather than in RotorTestSupport because it needs RotorStore's internal connection types.
    func admin<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        let url = StoreURL.postgres(uri: adminURL)
        let thread = try await ConnectionThread.start(
            name: "rotor-pg-admin", open: { try PostgresConnection(url: url) }, close: { $0.close() })
        do {
            let result = try await thread.run(body)
            await thread.stop()
            return result
        } catch {
            await thread.stop()
            throw error
        }
    }
}
