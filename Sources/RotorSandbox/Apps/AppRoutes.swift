import Hummingbird

/// The simulated apps under `/apps`: one per Vercel project (by name) and Render service (by id).
struct AppRoutes {
    let store: SandboxStore

    func register<Context: RequestContext>(on router: Router<Context>) {
        let store = self.store
        router.get("apps") { _, _ in
            let names = await store.appNames
            var apps: [JSONValue] = []
            for name in names {
                if let status = await store.appStatus(name) { apps.append(status.json) }
            }
            return Response.json(["apps": .array(apps)])
        }
        router.get("apps/{name}") { _, context in
            Response.json(try await Self.status(context.pathParameter("name"), store: store).json)
        }
        router.get("apps/{name}/health") { _, context in
            let status = try await Self.status(context.pathParameter("name"), store: store)
            return Response.json(status.healthJSON, status: status.isHealthy ? .ok : .serviceUnavailable)
        }
    }

    private static func status(_ name: String, store: SandboxStore) async throws -> AppStatus {
        guard let status = await store.appStatus(name) else {
            throw APIFailure.plain(404, "not_found", "No app called \(name); GET /apps lists them.")
        }
        return status
    }
}
