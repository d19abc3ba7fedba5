import Hummingbird

/// The Render REST API endpoints of `reference/render-api.md`, under `/render/v1`.
struct RenderRoutes {
    let store: SandboxStore
    let token: String

    func register<Context: RequestContext>(on router: Router<Context>) {
        let group = router.group("render/v1").add(middleware: BearerAuthMiddleware(
            token: token,
            missing: .render(401, "unauthorized", "unauthorized: send the API key as Authorization: Bearer <key>"),
            invalid: .render(401, "unauthorized", "unauthorized: the API key is not valid")))
        registerEnvVars(on: group)
        registerEnvGroups(on: group)
        registerDeploys(on: group)
    }

    private func registerEnvVars<Context: RequestContext>(on group: RouterGroup<Context>) {
        let store = self.store
        group.get("services/{service}/env-vars") { request, context in
            let service = context.pathParameter("service")
            let (limit, cursor) = (request.query("limit"), request.query("cursor"))
            return Response.json(try await store.withRender { state, _, _ in
                try state.listEnvVars(service: try state.serviceIndex(service), limit: limit, cursor: cursor)
            })
        }
        group.put("services/{service}/env-vars") { request, context in
            let service = context.pathParameter("service")
            let body = try await request.jsonBody(context: context, malformed: Self.malformed)
            return Response.json(try await store.withRender { state, _, _ in
                try state.replaceEnvVars(service: try state.serviceIndex(service), body: body)
            })
        }
        group.get("services/{service}/env-vars/{key}") { _, context in
            let (service, key) = (context.pathParameter("service"), context.pathParameter("key"))
            return Response.json(try await store.withRender { state, _, _ in
                try state.envVar(service: try state.serviceIndex(service), key: key)
            })
        }
        group.put("services/{service}/env-vars/{key}") { request, context in
            let (service, key) = (context.pathParameter("service"), context.pathParameter("key"))
            let body = try await request.jsonBody(context: context, malformed: Self.malformed)
            return Response.json(try await store.withRender { state, _, _ in
                try state.putEnvVar(service: try state.serviceIndex(service), key: key, body: body)
            })
        }
        group.delete("services/{service}/env-vars/{key}") { _, context in
            let (service, key) = (context.pathParameter("service"), context.pathParameter("key"))
            try await store.withRender { state, _, _ in
                try state.deleteEnvVar(service: try state.serviceIndex(service), key: key)
            }
            return Response.json(nil, status: .noContent)
        }
    }

    private func registerEnvGroups<Context: RequestContext>(on group: RouterGroup<Context>) {
        let store = self.store
        group.get("env-groups/{group}") { _, context in
            let id = context.pathParameter("group")
            return Response.json(try await store.withRender { state, _, _ in state.group(try state.groupIndex(id)) })
        }
        group.get("env-groups/{group}/env-vars/{key}") { _, context in
            let (id, key) = (context.pathParameter("group"), context.pathParameter("key"))
            return Response.json(try await store.withRender { state, _, _ in
                try state.groupEnvVar(try state.groupIndex(id), key: key)
            })
        }
        group.put("env-groups/{group}/env-vars/{key}") { request, context in
            let (id, key) = (context.pathParameter("group"), context.pathParameter("key"))
            let body = try await request.jsonBody(context: context, malformed: Self.malformed)
            return Response.json(try await store.withRender { state, _, now in
                try state.putGroupEnvVar(try state.groupIndex(id), key: key, body: body, now: now)
            })
        }
        group.delete("env-groups/{group}/env-vars/{key}") { _, context in
            let (id, key) = (context.pathParameter("group"), context.pathParameter("key"))
            try await store.withRender { state, _, now in
                try state.deleteGroupEnvVar(try state.groupIndex(id), key: key, now: now)
            }
            return Response.json(nil, status: .noContent)
        }
    }

    private func registerDeploys<Context: RequestContext>(on group: RouterGroup<Context>) {
        let store = self.store
        group.post("services/{service}/deploys") { request, context in
            let service = context.pathParameter("service")
            let body = try await request.jsonBody(context: context, malformed: Self.malformed)
            let (deploy, accepted) = try await store.withRender { state, faults, now in
                try state.createDeploy(service: try state.serviceIndex(service), body: body, faults: &faults, now: now)
            }
            return accepted ? Response.json(nil, status: .accepted) : Response.json(deploy, status: .created)
        }
        group.get("services/{service}/deploys") { request, context in
            let service = context.pathParameter("service")
            let (limit, cursor) = (request.query("limit"), request.query("cursor"))
            let statuses = request.uri.queryParameters.getAll("status").flatMap { $0.split(separator: ",").map(String.init) }
            return Response.json(try await store.withRender { state, _, now in
                try state.listDeploys(service: try state.serviceIndex(service), limit: limit, cursor: cursor, statuses: statuses, now: now)
            })
        }
        group.get("services/{service}/deploys/{deploy}") { _, context in
            let (service, id) = (context.pathParameter("service"), context.pathParameter("deploy"))
            return Response.json(try await store.withRender { state, _, now in
                try state.deploy(service: try state.serviceIndex(service), id: id, now: now)
            })
        }
        group.post("services/{service}/deploys/{deploy}/cancel") { _, context in
            let (service, id) = (context.pathParameter("service"), context.pathParameter("deploy"))
            return Response.json(try await store.withRender { state, _, now in
                try state.cancelDeploy(service: try state.serviceIndex(service), id: id, now: now)
            })
        }
    }

    private static let malformed = APIFailure.render(400, "bad_request", "the request body is not valid JSON")
}
