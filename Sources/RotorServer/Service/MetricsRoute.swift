import Hummingbird
import Logging
import RotorCore

/// `GET /metrics`: Prometheus's text format, behind the admin bearer token like the other admin routes (metrics
/// name every secret and its age). Prometheus sends the token with `authorization: {credentials_file: …}`.
/// 404 when the process serves no metrics (a router built without them).
struct MetricsRoute: Sendable {
    let metrics: MetricsExposition?
    let adminToken: SecretValue?
    let failures: FailureGuard
    let logger: Logger

    func answer(_ request: Request, context: RotorRequestContext) async throws -> Response {
        try await failures.requireAdminToken(request, context, expected: adminToken, endpoint: "metrics")
        guard let metrics else {
            throw ServerError(.notFound, "this process serves no metrics", hint: "scrape `rotor serve` or `rotor run`")
        }
        do {
            try await metrics.refresh()
        } catch {
            // The counters are still worth serving; the stale gauges and the log say the store did not answer.
            logger.warning("metrics: the store-derived gauges could not be read", metadata: ["error": "\(error)"])
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: .init(bytes: metrics.registry.emitToBuffer())))
    }
}
