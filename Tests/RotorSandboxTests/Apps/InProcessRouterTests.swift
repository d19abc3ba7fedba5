import HummingbirdTesting
import Hummingbird
import Testing
@testable import RotorSandbox

/// `Sandbox.buildRouter()` serves the same API without a socket, for HummingbirdTesting.
@Suite("In-process router")
struct InProcessRouterTests {
    @Test func theRouterServesHealthAndRenderHeadersWithoutASocket() async throws {
        let sandbox = Sandbox()
        let app = Application(router: sandbox.buildRouter())
        try await app.test(.router) { client in
            try await client.execute(uri: "/apps/srv-worker/health", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/render/v1/services/srv-worker/env-vars/LOG_LEVEL", method: .get,
                                     headers: [.authorization: "Bearer sandbox-render-token"]) { response in
                #expect(response.status == .notFound) // LOG_LEVEL lives in the env group, not the service
                #expect(response.headers[.init("Ratelimit-Limit")!] == "400")
            }
        }
    }
}
