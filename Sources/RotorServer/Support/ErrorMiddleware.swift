import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// Turns every failure into the service's error shape: JSON `{"error", "hint"}` (HTML under `/r/`, `/s/`, `/ui`).
///
/// A ``ServerError`` is shown as it is. Hummingbird's own errors (no route, body too large) keep their
/// status with a generic message, except that a path the router knows, asked with a method it does not
/// take, is answered 405 with `Allow` (see ``AllowedMethods``). A client that went away mid-request is
/// logged at notice level and left to Hummingbird: nobody is there to read an answer, and it is not the
/// server's fault. Anything
/// else is logged here as an error and answered with a 500 that says nothing about its cause, because
/// an unexpected error's text was not written to be shown.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger
    let allowed: AllowedMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let html = path.hasPrefix("/r/") || path.hasPrefix("/s/") || path.hasPrefix("/a/") || path == "/ui" || path.hasPrefix("/ui/")
        do {
            return try await next(request, context)
        } catch let error as ServerError {
            return try (html ? error.asHTML() : error).response(from: request, context: context)
        } catch {
            let answer: ServerError
            if let known = error as? any HTTPResponseError {
                let methods = known.status == .notFound ? allowed.methods(for: request.uri.path) : []
                answer = methods.isEmpty ? Self.generic(known.status) : Self.methodNotAllowed(methods)
            } else if Self.isClientAbort(error) {
                logger.notice("the client went away before the request was read", metadata: [
                    "path": "\(Self.redactedPath(request.uri.path))", "error": "\(error)",
                ])
                // Hummingbird answers a parse error itself (400, then closes); anything else finds the connection gone.
                throw error
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
            ServerError(.notFound, "no such endpoint", hint: "see the API at /openapi.json")
        case .contentTooLarge:
            JSONBody.tooLarge
        case .methodNotAllowed:
            ServerError(.methodNotAllowed, "this method is not allowed here", hint: "see the API for the method of each endpoint")
        default:
            ServerError(status, status.reasonPhrase, hint: "check the request against the API")
        }
    }

    static func methodNotAllowed(_ methods: [String]) -> ServerError {
        ServerError(.methodNotAllowed, "this method is not allowed here",
                    hint: "use \(methods.joined(separator: " or ")); see the API at /openapi.json",
                    headers: [.allow: methods.joined(separator: ", ")])
    }

    /// Errors that mean the client closed or broke the connection, or stalled until it was closed
    /// (the request body ended early, the socket was reset), as opposed to a failure of the server.
    static func isClientAbort(_ error: any Error) -> Bool {
        switch error {
        case is HTTPParserError, is CancellationError:
            return true
        case let error as ChannelError:
            return [.ioOnClosedChannel, .alreadyClosed, .eof, .inputClosed, .outputClosed].contains(error)
        case let error as IOError:
            return [ECONNRESET, EPIPE, ETIMEDOUT].contains(error.errnoCode)
        default:
            return false
        }
    }

    /// Reply-link, supply-link and approval-link paths carry a token: log only which kind of link it was.
    static func redactedPath(_ path: String) -> String {
        path.hasPrefix("/r/") ? "/r/<token>" : path.hasPrefix("/s/") ? "/s/<token>" : path.hasPrefix("/a/") ? "/a/<token>" : path
    }
}
