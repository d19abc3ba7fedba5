import Hummingbird
import Logging

/// Turns every failure into the service's error shape: JSON `{"error", "hint"}` (HTML under `/r/`).
///
/// A ``ServerError`` is shown as it is. Hummingbird's own errors (no route, body too large) keep their
/// status with a generic message. Anything else is logged here and answered with a 500 that says
/// nothing about its cause, because an unexpected error's text was not written to be shown.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let html = request.uri.path.hasPrefix("/r/")
        do {
            return try await next(request, context)
        } catch let error as ServerError {
            return try (html ? error.asHTML() : error).response(from: request, context: context)
        } catch {
            let answer: ServerError
            if let known = error as? any HTTPResponseError {
                answer = Self.generic(known.status)
            } else {
                logger.error("request failed", metadata: ["path": "\(Self.redactedPath(request.uri.path))", "error": "\(error)"])
                answer = ServerError(.internalServerError, "the server could not answer this request",
                                     hint: "try again; if it persists, the operator finds the cause in the server log")
            }
            return try (html ? answer.asHTML() : answer).response(from: request, context: context)
        }
    }

    static func generic(_ status: HTTPResponse.Status) -> ServerError {
        switch status {
        case .notFound:
            ServerError(.notFound, "no such endpoint", hint: "see the API: /r/{token}, /v1/replies, /v1/secrets/{name}/emergency, /v1/keys/verify, /v1/keys/claim, /healthz")
        case .contentTooLarge:
            ServerError(.contentTooLarge, "the request body is too large", hint: "send a small JSON object")
        case .methodNotAllowed:
            ServerError(.methodNotAllowed, "this method is not allowed here", hint: "see the API for the method of each endpoint")
        default:
            ServerError(status, status.reasonPhrase, hint: "check the request against the API")
        }
    }

    /// Reply-link paths carry a token: log only that it was a reply link.
    static func redactedPath(_ path: String) -> String {
        path.hasPrefix("/r/") ? "/r/<token>" : path
    }
}
