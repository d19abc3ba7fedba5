import Hummingbird

/// The OpenAI Admin API endpoints of vendor-keys.md "OpenAI", under `/openai/v1`: project service
/// accounts and project API keys (Admin key auth), and `GET /models`, which a health check calls with
/// an ordinary key (200 while the key is live, 401 otherwise).
struct OpenAIRoutes {
    let store: SandboxStore
    let adminKey: String

    func register<Context: RequestContext>(on router: Router<Context>) {
        let store = self.store
        let base = router.group("openai/v1")
        base.get("models") { request, _ in
            guard let presented = request.bearerToken, await store.isKeyLive(presented) else { throw Self.invalidKey }
            return Response.json(["object": "list", "data": [
                ["id": "gpt-4o-mini", "object": "model", "created": 1_721_172_741, "owned_by": "system"],
            ]])
        }
        let projects = base.group("organization/projects/{project}").add(middleware: BearerAuthMiddleware(
            token: adminKey,
            missing: .openAI(401, "invalid_request_error", "You didn't provide an API key. Provide it in the Authorization header (Bearer auth)."),
            invalid: Self.invalidKey))
        registerServiceAccounts(on: projects)
        registerKeys(on: projects)
    }

    private func registerServiceAccounts<Context: RequestContext>(on group: RouterGroup<Context>) {
        let store = self.store
        group.post("service_accounts") { request, context in
            let project = context.pathParameter("project")
            let body = try await request.jsonBody(context: context, malformed: Self.malformed)
            return Response.json(try await store.withOpenAI { state, now in
                try state.createServiceAccount(project: project, body: body, now: now)
            })
        }
        group.get("service_accounts") { request, context in
            let project = context.pathParameter("project")
            let (after, limit) = (request.query("after"), request.query("limit"))
            return Response.json(try await store.withOpenAI { state, _ in
                try state.listServiceAccounts(project: project, after: after, limit: limit)
            })
        }
        group.get("service_accounts/{id}") { _, context in
            let (project, id) = (context.pathParameter("project"), context.pathParameter("id"))
            return Response.json(try await store.withOpenAI { state, _ in try state.serviceAccount(project: project, id: id) })
        }
        group.delete("service_accounts/{id}") { _, context in
            let (project, id) = (context.pathParameter("project"), context.pathParameter("id"))
            return Response.json(try await store.withOpenAI { state, _ in try state.deleteServiceAccount(project: project, id: id) })
        }
    }

    private func registerKeys<Context: RequestContext>(on group: RouterGroup<Context>) {
        let store = self.store
        group.get("api_keys") { request, context in
            let project = context.pathParameter("project")
            let (after, limit) = (request.query("after"), request.query("limit"))
            return Response.json(try await store.withOpenAI { state, _ in try state.listKeys(project: project, after: after, limit: limit) })
        }
        group.get("api_keys/{id}") { _, context in
            let (project, id) = (context.pathParameter("project"), context.pathParameter("id"))
            return Response.json(try await store.withOpenAI { state, _ in try state.key(project: project, id: id) })
        }
        group.delete("api_keys/{id}") { _, context in
            let (project, id) = (context.pathParameter("project"), context.pathParameter("id"))
            return Response.json(try await store.withOpenAI { state, _ in try state.deleteKey(project: project, id: id) })
        }
    }

    private static let invalidKey = APIFailure.openAI(401, "invalid_request_error", "Incorrect API key provided.", code: "invalid_api_key")
    private static let malformed = APIFailure.openAI(400, "invalid_request_error", "We could not parse the JSON body of your request.")
}
