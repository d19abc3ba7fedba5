import Hummingbird
import RotorCrypto

/// Lets a request through only with `Authorization: Bearer <token>`; otherwise throws the API's
/// own failure for a missing or a wrong token.
struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String
    let missing: APIFailure
    let invalid: APIFailure

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let presented = request.bearerToken else { throw missing }
        guard ConstantTime.equals(Array(presented.utf8), Array(token.utf8)) else { throw invalid }
        return try await next(request, context)
    }
}
