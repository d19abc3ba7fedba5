import Hummingbird
import Logging
import RotorCore

/// Rotor's HTTP service: reply links and text replies, the emergency trigger, customer key
/// verification and pickup, and a health check.
///
/// Routes:
/// - `GET /r/{token}`: what the link would do, with a button; changes nothing (chat link previews fetch it).
/// - `POST /r/{token}`: does it, once.
/// - `POST /v1/replies`: a signed text reply (`SKIP`, `SKIP 14d`, `ROTATE NOW`) from a chat or SMS bridge.
/// - `POST /v1/secrets/{name}/emergency`: rotate now (admin bearer token); answers 202 with the rotation to follow.
/// - `GET /v1/rotations/{id}`: a rotation's state and versions, never values (admin bearer token).
/// - `POST /v1/keys/verify`, `POST /v1/keys/claim`: customer API keys, sent only in the body.
/// - `GET /healthz`: 200 while the store answers.
public struct RotorService: Sendable {
    let dependencies: ServiceDependencies

    public init(dependencies: ServiceDependencies) {
        self.dependencies = dependencies
    }

    /// The router with every route and the error middleware; drive it with HummingbirdTesting or an ``Application``.
    public func buildRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.middlewares.add(ErrorMiddleware(logger: dependencies.logger))
        let replies = ReplyHandler(dependencies: dependencies)
        let links = ReplyLinkRoutes(replies: replies)
        router.get("/r/:token") { request, context in try await links.confirm(request, context: context) }
        router.post("/r/:token") { request, context in try await links.act(request, context: context) }
        let texts = TextReplyRoutes(replies: replies)
        router.post("/v1/replies") { request, _ in try await texts.reply(request) }
        let emergency = EmergencyRoutes(dependencies: dependencies)
        router.post("/v1/secrets/:name/emergency") { request, context in try await emergency.trigger(request, context: context) }
        let rotations = RotationStatusRoutes(dependencies: dependencies)
        router.get("/v1/rotations/:id") { request, context in try await rotations.status(request, context: context) }
        let keys = KeyRoutes(keyTable: dependencies.keyTable)
        router.post("/v1/keys/verify") { request, _ in try await keys.verify(request) }
        router.post("/v1/keys/claim") { request, _ in try await keys.claim(request) }
        let store = dependencies.store
        let logger = dependencies.logger
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
        return router
    }

    /// An application serving the router on `host:port`, to run on its own or hand to a `ServiceGroup`.
    /// `onServerRunning` learns the bound port (useful with port 0).
    public func application(host: String, port: Int,
                            onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> Application<RouterResponder<BasicRequestContext>> {
        Application(router: buildRouter(),
                    configuration: .init(address: .hostname(host, port: port), serverName: "rotor"),
                    onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
                    logger: dependencies.logger)
    }

    /// Serves until the task is cancelled or the process is asked to stop (SIGTERM, SIGINT).
    public func run(host: String, port: Int) async throws {
        try await application(host: host, port: port).runService()
    }
}
