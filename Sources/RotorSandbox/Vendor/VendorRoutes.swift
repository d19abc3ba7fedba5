import Hummingbird
import RotorCrypto

/// The key-issuing vendor under `/vendor`: mint and revoke with the admin token, whoami with a key.
struct VendorRoutes {
    let store: SandboxStore
    let adminToken: String

    func register<Context: RequestContext>(on router: Router<Context>) {
        let store = self.store
        let group = router.group("vendor")
        let admin = BearerAuthMiddleware<Context>(
            token: adminToken,
            missing: .plain(401, "unauthorized", "Send the admin token as Authorization: Bearer <token>."),
            invalid: .plain(401, "unauthorized", "The admin token is not valid."))

        group.group("keys").add(middleware: admin)
            .post { request, context in
                let idempotencyKey = request.header("Idempotency-Key").flatMap { $0.isEmpty ? nil : $0 }
                let body = try await request.jsonBody(context: context, malformed: .plain(400, "invalid_request", "The body is not valid JSON."))
                let (json, replayed) = try await store.withVendor { state, now in
                    try state.mint(body: body, idempotencyKey: idempotencyKey, now: now)
                }
                return Response.json(json, status: .created, headers: replayed ? [("Idempotent-Replayed", "true")] : [])
            }
            .delete("{id}") { _, context in
                let id = context.pathParameter("id")
                return Response.json(try await store.withVendor { state, now in try state.revoke(id: id, now: now) })
            }

        group.get("whoami") { request, _ in
            let presented = request.bearerToken
            let key = await store.withVendor { state, _ in presented.flatMap { state.liveKey(value: $0) } }
            guard let key else {
                throw APIFailure.plain(401, "invalid_api_key", "The API key is missing, unknown or revoked.")
            }
            return Response.json(["id": .string(key.id), "object": "api_key", "name": .optional(key.name)])
        }
    }
}
