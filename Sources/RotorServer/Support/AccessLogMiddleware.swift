import Hummingbird
import Logging
import NIOCore

/// The access log: one info line per answered request with its method, path, status, duration and client
/// address. The path is the matched route's pattern (`/r/{token}`, `/v1/secrets/{name}/emergency`), so a token,
/// a reply code or a key in a URL never reaches the log; a path that matched no route keeps at most a first
/// segment of Rotor's own (`/s/…`), since a mistyped link still carries its token. No query string, no header, no body.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = RotorRequestContext
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Below info nothing is logged: the request costs one comparison, not a clock read.
        guard logger.logLevel <= .info else { return try await next(request, context) }
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context: context, status: response.status.code, started: started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            log(request, context: context, status: status, started: started)
            throw error
        }
    }

    private func log(_ request: Request, context: Context, status: Int, started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        logger.info("http request", metadata: [
            "http.method": "\(request.method.rawValue)",
            "http.path": "\(Self.loggedPath(route: context.endpointPath, path: request.uri.path))",
            "http.status": "\(status)",
            "http.duration_ms": "\((milliseconds * 10).rounded() / 10)",
            "http.client": "\(context.remoteAddress?.ipAddress ?? "unknown")",
        ])
    }

    /// The route pattern when a route matched; otherwise only a first segment of Rotor's own (`/r/…`, `/v1/…`),
    /// and `/…` for anything else, which may be a token pasted in the wrong place.
    static func loggedPath(route: String?, path: String) -> String {
        if let route, route.hasPrefix("/") { return route }
        let segments = path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: true)
        guard let first = segments.first else { return "/" }
        guard knownSegments.contains(String(first)) else { return "/…" }
        return segments.count > 1 ? "/\(first)/…" : "/\(first)"
    }

    private static let knownSegments: Set<String> = ["r", "s", "a", "v1", "healthz", "readyz", "metrics", "openapi.json"]
}
