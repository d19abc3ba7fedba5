import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import RotorCore
import ServiceLifecycle

/// Rotor's HTTP service: reply links and text replies, the emergency trigger, customer key
/// verification and pickup, and a health check.
///
/// Routes (every GET answers HEAD as well):
/// - `GET /r/{token}`: what the link would do, with a button; changes nothing (chat link previews fetch it).
/// - `POST /r/{token}`: does it, once.
/// - `GET /s/{token}`, `POST /s/{token}`: a one-time supply link: the request for a `manual` source's value, and the value.
/// - `GET /a/{token}`, `POST /a/{token}`: a one-time approval link: what approving a stage does, and the approval.
/// - `POST /v1/replies`: a signed text reply (`SKIP`, `SKIP 14d`, `ROTATE NOW`) from a chat or SMS bridge.
/// - `POST /v1/secrets/{name}/emergency`: rotate now (admin bearer token); answers 202 with the rotation to follow.
/// - `GET /v1/rotations/{id}`: a rotation's state and versions, never values (admin bearer token).
/// - `POST /v1/keys/verify`, `POST /v1/keys/claim`: customer API keys, sent only in the body.
/// - `GET /healthz`: 200 while the store answers; `GET /readyz`: whether this process can do its work now.
/// - `GET /openapi.json`: the OpenAPI document of all of these, which the conformance tests hold the server to.
/// - `GET /metrics`: Prometheus's text format (admin bearer token).
/// - `GET /` and `/ui/…`: the dashboard, for people with a session (see ``DashboardRoutes``); pages, not the API.
/// - `POST /v1/slack/interactions`: a click on a `slack-app` channel's button, signed by Slack.
///
/// Every request is logged at info when it has been answered (``AccessLogMiddleware``), without tokens.
///
/// Under abuse (see ``ServiceLimits``): connections that stall are closed, an oversized body is
/// answered 413 and its connection closed, and an address with too many failed attempts is answered
/// 429 with `Retry-After`; refused anonymous requests are audited in aggregate.
public struct RotorService: Sendable {
    let dependencies: ServiceDependencies
    let limits: ServiceLimits
    let failures: FailureGuard
    /// The dashboard's server-side sessions, in the store: shared by every router this service builds, and by every
    /// service on the same store.
    let sessions: StorePersistDriver
    let slackFollowUps = SlackFollowUps()

    /// A service with `limits`; by default the standard ones, with `ROTOR_HTTP_IDLE_TIMEOUT` and
    /// `ROTOR_HTTP_FAILURE_LIMIT` from the process environment applied.
    public init(dependencies: ServiceDependencies, limits: ServiceLimits? = nil) {
        self.dependencies = dependencies
        if let limits {
            self.limits = limits
        } else {
            let (fromEnvironment, problems) = ServiceLimits.from(environment: ProcessInfo.processInfo.environment)
            for problem in problems { dependencies.logger.warning("\(problem)") }
            self.limits = fromEnvironment
        }
        failures = FailureGuard(limits: self.limits, store: dependencies.store, clock: dependencies.clock)
        sessions = StorePersistDriver(store: dependencies.store, sealer: dependencies.sealer, clock: dependencies.clock,
                                      logger: dependencies.logger)
    }

    /// The router with every route and the error middleware; drive it with HummingbirdTesting or an ``Application``.
    public func buildRouter() -> Router<RotorRequestContext> {
        let router = Router(context: RotorRequestContext.self, options: .autoGenerateHeadEndpoints)
        let allowed = AllowedMethods()
        router.middlewares.add(AccessLogMiddleware(logger: dependencies.logger))
        router.middlewares.add(ErrorMiddleware(logger: dependencies.logger, allowed: allowed))
        let replies = ReplyHandler(dependencies: dependencies)
        let links = ReplyLinkRoutes(replies: replies, failures: failures)
        router.get("/r/:token") { request, context in try await links.confirm(request, context: context) }
        router.post("/r/:token") { request, context in try await links.act(request, context: context) }
        let supplies = SupplyLinkRoutes(dependencies: dependencies, replies: replies, failures: failures)
        router.get("/s/:token") { request, context in try await supplies.page(request, context: context) }
        router.post("/s/:token") { request, context in try await supplies.supply(request, context: context) }
        let approvals = ApprovalLinkRoutes(dependencies: dependencies, replies: replies, failures: failures)
        router.get("/a/:token") { request, context in try await approvals.page(request, context: context) }
        router.post("/a/:token") { request, context in try await approvals.approve(request, context: context) }
        let texts = TextReplyRoutes(replies: replies, failures: failures)
        router.post("/v1/replies") { request, context in try await texts.reply(request, context: context) }
        let emergency = EmergencyRoutes(dependencies: dependencies, failures: failures)
        router.post("/v1/secrets/:name/emergency") { request, context in try await emergency.trigger(request, context: context) }
        let slack = SlackInteractionRoutes(dependencies: dependencies, failures: failures, replays: SlackReplayGuard(),
                                           followUps: slackFollowUps)
        router.post("/v1/slack/interactions") { request, context in try await slack.interact(request, context: context) }
        let rotations = RotationStatusRoutes(dependencies: dependencies, failures: failures)
        router.get("/v1/rotations/:id") { request, context in try await rotations.status(request, context: context) }
        let keys = KeyRoutes(keyTable: dependencies.keyTable, failures: failures)
        router.post("/v1/keys/verify") { request, context in try await keys.verify(request, context: context) }
        router.post("/v1/keys/claim") { request, context in try await keys.claim(request, context: context) }
        let metrics = MetricsRoute(metrics: dependencies.metrics, adminToken: dependencies.adminToken, failures: failures,
                                   logger: dependencies.logger)
        router.get("/metrics") { request, context in try await metrics.answer(request, context: context) }
        let store = dependencies.store
        let logger = dependencies.logger
        router.get("/readyz") { [readiness = ReadinessRoute(store: store, keyring: dependencies.sealer.keyring)] _, _ in await readiness.answer() }
        router.get("/healthz") { _, _ -> Response in
            do {
                _ = try await store.transaction { try $0.schemaVersion() }
            } catch {
                logger.warning("health check: the store does not answer", metadata: ["error": "\(error)"])
                throw ServerError(.serviceUnavailable, "the store does not answer",
                                  hint: "check the database the server was started with")
            }
            return JSONBody.response(["status": "ok"])
        }
        router.get("/openapi.json") { _, _ in OpenAPIRoute.answer() }
        DashboardRoutes(dependencies: dependencies, failures: failures, sessions: sessions).register(on: router)
        allowed.record(router.routes)
        return router
    }

    /// The HTTP/1 server: Hummingbird's idle timeout (a connection silent for `idleTimeout`, even half-way
    /// through its headers, is closed) and ``ConnectionGuard`` (a body not complete in that time, and the
    /// rest of a request answered with `Connection: close`).
    func server() -> HTTPServerBuilder {
        let timeout = TimeAmount.nanoseconds(Int64(limits.idleTimeout / .nanoseconds(1)))
        return .http1(configuration: .init(additionalChannelHandlers: [ConnectionGuard(readTimeout: timeout)],
                                           idleTimeout: timeout))
    }

    /// An application serving the router on `host:port`, to run on its own or hand to a `ServiceGroup`.
    /// `onServerRunning` learns the bound port (useful with port 0).
    public func application(host: String, port: Int,
                            onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> Application<RouterResponder<RotorRequestContext>> {
        let logger = dependencies.logger
        let audit = RefusalAuditService(failures: failures, interval: limits.window) { error in
            logger.error("could not write the audit rows of refused requests", metadata: ["error": "\(error)"])
        }
        let keyIndex: [any Service] = dependencies.keyTable.index.map { [KeyIndexService(index: $0)] } ?? []
        return Application(router: buildRouter(), server: server(),
                           configuration: .init(address: .hostname(host, port: port), serverName: "rotor"),
                           services: [audit] + keyIndex,
                           onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
                           logger: dependencies.logger)
    }

    /// Serves until the task is cancelled or the process is asked to stop (SIGTERM, SIGINT).
    public func run(host: String, port: Int) async throws {
        try await application(host: host, port: port).runService()
    }

    /// Writes the audit rows of refused requests counted so far, ended windows or not (tests, and
    /// callers that drive ``buildRouter()`` without ``application(host:port:onServerRunning:)``).
    public func flushRefusalAudit() async throws {
        try await failures.closeAll()
    }

    /// Waits until the work Slack clicks started has finished (a rotation, and the message update after it).
    public func settleSlackFollowUps() async {
        await slackFollowUps.settle()
    }
}
