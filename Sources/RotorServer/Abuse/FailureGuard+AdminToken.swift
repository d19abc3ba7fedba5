import Hummingbird
import RotorCore

extension FailureGuard {
    /// The prologue of every admin route: 429 when `context`'s address has used up its failures, then the admin
    /// bearer token (503 when none is configured, 401 when missing or wrong). A 401 is counted and audited in
    /// aggregate, since a guessed token is an anonymous request; a 503 is not, as it says nothing about the caller.
    func requireAdminToken(_ request: Request, _ context: RotorRequestContext, expected: SecretValue?, endpoint: String) async throws {
        try await admit(.adminToken, context)
        do {
            try BearerToken.require(request, expected: expected, endpoint: endpoint)
        } catch let error as ServerError where error.status == .unauthorized {
            try await failed(.adminToken, context, reason: error.message)
            throw error
        }
    }
}
