import Hummingbird

/// Lets a `/vercel` request through with the world's token or a token minted through
/// `POST /v3/user/tokens` that is neither deleted nor expired; otherwise 403 `forbidden`, as Vercel
/// answers a missing or invalid token.
struct VercelAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let store: SandboxStore
    let token: String

    static var missing: APIFailure {
        .vercel(403, "forbidden", "The request is missing an authentication token", extra: [("missingToken", true)])
    }

    static var invalid: APIFailure {
        .vercel(403, "forbidden", "Not authorized", extra: [("invalidToken", true)])
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let presented = request.bearerToken else { throw Self.missing }
        let token = self.token
        guard await store.withVercel({ state, _, now in state.accepts(presented, worldToken: token, now: now) }) else {
            throw Self.invalid
        }
        return try await next(request, context)
    }
}
