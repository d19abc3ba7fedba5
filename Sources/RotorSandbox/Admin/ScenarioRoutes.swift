import Hummingbird

/// Admin calls under `/_sandbox` that make the emulated services do what their operators or their
/// own machinery would: an Instant Rollback, a preview deployment, a push to a branch, an API quirk.
///
/// - `POST /_sandbox/vercel/options` `{"env_list_ids": false}`: env list entries lack `id` (the SDK allows it).
/// - `POST /_sandbox/vercel/projects/{p}/rollback` `{"deployment_id"?}`: an Instant Rollback to that READY
///   production deployment (default: the one before the deployment served); `DELETE` ends it.
/// - `POST /_sandbox/vercel/projects/{p}/previews` `{"branch"}`: a preview deployment of the branch with
///   the variables as they are now; its app is `/apps/{project}-preview-{branch}`.
/// - `POST /_sandbox/render/services/{id}/push` `{"commit"?}`: a new head of the service's branch.
struct ScenarioRoutes {
    let store: SandboxStore

    func register<Context: RequestContext>(on router: Router<Context>) {
        let store = self.store
        let group = router.group("_sandbox")
        group.post("vercel/options") { request, context in
            let body = try await AdminRoutes.requireObject(request, context: context)
            guard let listIds = body["env_list_ids"]?.boolValue, body.keys == ["env_list_ids"] else {
                throw APIFailure.plain(400, "bad_request", "Send {\"env_list_ids\": true|false}.")
            }
            await store.withVercel { state, _, _ in state.listsEnvIds = listIds }
            return Response.json(["env_list_ids": .bool(listIds)])
        }
        group.post("vercel/projects/{project}/rollback") { request, context in
            let project = context.pathParameter("project")
            let body = try await AdminRoutes.requireObject(request, context: context)
            let target = body["deployment_id"]?.stringValue
            return Response.json(try await store.withVercel { state, _, now in
                let p = try state.anyProjectIndex(project)
                try state.rollback(project: p, to: target, now: now)
                return state.projectJSON(project: p, now: now)
            })
        }
        group.delete("vercel/projects/{project}/rollback") { _, context in
            let project = context.pathParameter("project")
            return Response.json(try await store.withVercel { state, _, now in
                let p = try state.anyProjectIndex(project)
                state.undoRollback(project: p)
                return state.projectJSON(project: p, now: now)
            })
        }
        group.post("vercel/projects/{project}/previews") { request, context in
            let project = context.pathParameter("project")
            let body = try await AdminRoutes.requireObject(request, context: context)
            guard let branch = body["branch"]?.stringValue, WorldValidator.isBranchName(branch) else {
                throw APIFailure.plain(400, "bad_request", "Send {\"branch\": \"name\"} (letters, digits, - and _).")
            }
            return Response.json(try await store.withVercel { state, _, now in
                state.createPreview(project: try state.anyProjectIndex(project), branch: branch, now: now)
            }, status: .created)
        }
        group.post("render/services/{service}/push") { request, context in
            let service = context.pathParameter("service")
            let body = try await AdminRoutes.requireObject(request, context: context)
            let commit = body["commit"]?.stringValue
            return Response.json(try await store.withRender { state, _, _ in
                try state.push(service: try state.serviceIndex(service), commit: commit)
            })
        }
    }
}
