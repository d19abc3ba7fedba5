import Hummingbird

/// The Vercel REST API endpoints of `reference/vercel-api.md`, under `/vercel`.
struct VercelRoutes {
    let store: SandboxStore
    let token: String

    func register<Context: RequestContext>(on router: Router<Context>) {
        let group = router.group("vercel").add(middleware: VercelAuthMiddleware<Context>(store: store, token: token))
        let store = self.store

        // The Terraform provider pages with v8 (`limit`, `until`); v10 answers the same here.
        for version in ["v8", "v10"] {
            group.get("\(version)/projects/{project}/env") { request, context in
                let project = context.pathParameter("project")
                let (teamId, slug) = (request.query("teamId"), request.query("slug"))
                let (gitBranch, limit, until) = (request.query("gitBranch"), request.query("limit"), request.query("until"))
                return Response.json(try await store.withVercel { state, _, _ in
                    let p = try state.projectIndex(project, scope: try state.scope(teamId: teamId, slug: slug))
                    return try state.listEnv(project: p, gitBranch: gitBranch, limit: limit, until: until)
                })
            }
        }

        group.get("v1/projects/{project}/env/{id}") { request, context in
            let (project, id) = (context.pathParameter("project"), context.pathParameter("id"))
            let (teamId, slug) = (request.query("teamId"), request.query("slug"))
            return Response.json(try await store.withVercel { state, _, _ in
                let p = try state.projectIndex(project, scope: try state.scope(teamId: teamId, slug: slug))
                return try state.env(project: p, id: id)
            })
        }

        group.post("v10/projects/{project}/env") { request, context in
            let project = context.pathParameter("project")
            let (teamId, slug) = (request.query("teamId"), request.query("slug"))
            let upsert = request.query("upsert") == "true"
            let body = try await request.jsonBody(context: context, malformed: Self.malformed)
            return Response.json(try await store.withVercel { state, _, now in
                let p = try state.projectIndex(project, scope: try state.scope(teamId: teamId, slug: slug))
                return try state.createEnv(project: p, body: body, upsert: upsert, now: now)
            }, status: .created)
        }

        group.patch("v9/projects/{project}/env/{id}") { request, context in
            let (project, id) = (context.pathParameter("project"), context.pathParameter("id"))
            let (teamId, slug) = (request.query("teamId"), request.query("slug"))
            let body = try await request.jsonBody(context: context, malformed: Self.malformed)
            return Response.json(try await store.withVercel { state, _, now in
                let p = try state.projectIndex(project, scope: try state.scope(teamId: teamId, slug: slug))
                return try state.editEnv(project: p, id: id, body: body, now: now)
            })
        }

        group.delete("v9/projects/{project}/env/{id}") { request, context in
            let (project, id) = (context.pathParameter("project"), context.pathParameter("id"))
            let (teamId, slug) = (request.query("teamId"), request.query("slug"))
            return Response.json(try await store.withVercel { state, _, _ in
                let p = try state.projectIndex(project, scope: try state.scope(teamId: teamId, slug: slug))
                return try state.deleteEnv(project: p, id: id)
            })
        }

        registerDeployments(on: group)
        registerTokens(on: group)
    }

    private func registerDeployments<Context: RequestContext>(on group: RouterGroup<Context>) {
        let store = self.store
        // The SDK lists with v7 since mid-2026; v6 still answers the same (vercel-api.md "Versions").
        for version in ["v6", "v7"] {
            group.get("\(version)/deployments") { request, _ in
                let query = request.queryDictionary
                return Response.json(try await store.withVercel { state, _, now in
                    let scope = try state.scope(teamId: query["teamId"], slug: query["slug"])
                    return try state.listDeployments(scope: scope, query: { query[$0] }, now: now)
                })
            }
        }

        group.get("v9/projects/{project}") { request, context in
            let project = context.pathParameter("project")
            let (teamId, slug) = (request.query("teamId"), request.query("slug"))
            return Response.json(try await store.withVercel { state, _, now in
                let p = try state.projectIndex(project, scope: try state.scope(teamId: teamId, slug: slug))
                return state.projectJSON(project: p, now: now)
            })
        }

        group.post("v13/deployments") { request, context in
            let (teamId, slug) = (request.query("teamId"), request.query("slug"))
            let forceNew = ["1", "true"].contains(request.query("forceNew") ?? "")
            let body = try await request.jsonBody(context: context, malformed: Self.malformed)
            return Response.json(try await store.withVercel { state, faults, now in
                let scope = try state.scope(teamId: teamId, slug: slug)
                return try state.createDeployment(scope: scope, body: body, forceNew: forceNew, faults: &faults, now: now)
            })
        }

        group.get("v13/deployments/{id}") { request, context in
            let id = context.pathParameter("id")
            let (teamId, slug) = (request.query("teamId"), request.query("slug"))
            return Response.json(try await store.withVercel { state, _, now in
                try state.deployment(id, scope: try state.scope(teamId: teamId, slug: slug), now: now)
            })
        }
    }

    private func registerTokens<Context: RequestContext>(on group: RouterGroup<Context>) {
        let store = self.store
        group.post("v3/user/tokens") { request, context in
            let body = try await request.jsonBody(context: context, malformed: Self.malformed)
            return Response.json(try await store.withVercel { state, _, now in try state.createToken(body: body, now: now) })
        }
        group.delete("v3/user/tokens/{id}") { _, context in
            let id = context.pathParameter("id")
            return Response.json(try await store.withVercel { state, _, now in try state.deleteToken(id: id, now: now) })
        }
    }

    private static let malformed = APIFailure.vercel(400, "bad_request", "Invalid JSON in the request body.")
}
