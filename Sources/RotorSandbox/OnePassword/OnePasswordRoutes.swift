import Hummingbird

/// The 1Password Connect endpoints of vendor-keys.md "1Password Connect", under `/onepassword/v1`.
struct OnePasswordRoutes {
    let store: SandboxStore
    let token: String

    func register<Context: RequestContext>(on router: Router<Context>) {
        let store = self.store
        let group = router.group("onepassword/v1/vaults/{vault}/items").add(middleware: BearerAuthMiddleware(
            token: token, missing: .onePassword(401, "Invalid token signature"), invalid: .onePassword(401, "Invalid token signature")))
        group.get { request, context in
            let (vault, filter) = (context.pathParameter("vault"), request.query("filter"))
            return Response.json(try await store.withOnePassword { state, _ in try state.list(vault: vault, filter: filter) })
        }
        group.get("{item}") { _, context in
            let (vault, item) = (context.pathParameter("vault"), context.pathParameter("item"))
            return Response.json(try await store.withOnePassword { state, _ in try state.item(vault: vault, id: item) })
        }
        group.patch("{item}") { request, context in
            let (vault, item) = (context.pathParameter("vault"), context.pathParameter("item"))
            let body = try await request.jsonBody(context: context, malformed: Self.malformed)
            return Response.json(try await store.withOnePassword { state, now in
                try state.patch(vault: vault, id: item, body: body, now: now)
            })
        }
        group.put("{item}") { request, context in
            let (vault, item) = (context.pathParameter("vault"), context.pathParameter("item"))
            let body = try await request.jsonBody(context: context, malformed: Self.malformed)
            return Response.json(try await store.withOnePassword { state, now in
                try state.replace(vault: vault, id: item, body: body, now: now)
            })
        }
    }

    private static let malformed = APIFailure.onePassword(400, "Invalid request body: not valid JSON")
}
