import Foundation

/// The emulated Render account and the semantics of its API, without any HTTP.
struct RenderState: Sendable {
    /// What a request's budget looked like when it was admitted (or refused).
    struct Admission: Sendable {
        let allowed: Bool
        let limit: Int
        let remaining: Int
        let reset: Int
    }

    var services: [RenderService]
    var groups: [RenderEnvGroup]
    let limits: SandboxWorld.RateLimits
    let deployDuration: TimeInterval
    private var windows: [RenderBucket: RateWindow] = [:]
    /// Requests refused with a 429 because their budget was spent (injected faults not counted).
    private(set) var rateLimited = 0

    init(services: [RenderService], groups: [RenderEnvGroup], limits: SandboxWorld.RateLimits, deployDuration: TimeInterval) {
        self.services = services
        self.groups = groups
        self.limits = limits
        self.deployDuration = deployDuration
    }

    // MARK: Rate limits

    /// Spends one request of `bucket` when `spend` is true; either way describes the budget.
    mutating func admit(_ bucket: RenderBucket, spend: Bool, now: Date) -> Admission {
        let limit = switch bucket {
        case .read: limits.readsPerMinute
        case .write: limits.writesPerMinute
        case .deploy: limits.deploysPerMinute
        }
        var window = windows[bucket] ?? RateWindow(limit: limit)
        let allowed = spend ? window.take(now: now) : true
        windows[bucket] = window
        if !allowed { rateLimited += 1 }
        return Admission(allowed: allowed, limit: limit, remaining: window.remaining(now: now), reset: window.reset(now: now))
    }

    // MARK: Lookup

    func serviceIndex(_ id: String) throws(APIFailure) -> Int {
        guard let index = services.firstIndex(where: { $0.id == id }) else {
            throw APIFailure.render(404, "not_found", "not found: \(id)")
        }
        return index
    }

    func groupIndex(_ id: String) throws(APIFailure) -> Int {
        guard let index = groups.firstIndex(where: { $0.id == id }) else {
            throw APIFailure.render(404, "not_found", "not found: \(id)")
        }
        return index
    }

    /// What a new deploy of a service sees: its env groups' variables, overlaid by its own.
    func snapshot(service s: Int) -> [String: String] {
        var values: [String: String] = [:]
        for group in groups where group.serviceIds.contains(services[s].id) {
            for envVar in group.envVars { values[envVar.key] = envVar.value }
        }
        for envVar in services[s].envVars { values[envVar.key] = envVar.value }
        return values
    }

    // MARK: Service variables

    /// `GET /services/{id}/env-vars?limit=&cursor=`.
    func listEnvVars(service s: Int, limit: String?, cursor: String?) throws(APIFailure) -> JSONValue {
        let items = services[s].envVars
        let limit = try Self.pageLimit(limit)
        var start = 0
        if let cursor {
            guard let index = items.firstIndex(where: { $0.cursor == cursor }) else {
                throw APIFailure.render(400, "bad_request", "invalid cursor")
            }
            start = index + 1
        }
        return .array(items[start...].prefix(limit).map(\.listItem))
    }

    func envVar(service s: Int, key: String) throws(APIFailure) -> JSONValue {
        guard let envVar = services[s].envVars.first(where: { $0.key == key }) else {
            throw APIFailure.render(404, "not_found", "env var not found: \(key)")
        }
        return envVar.json
    }

    /// `PUT /services/{id}/env-vars/{key}` with `{"value":…}` or `{"generateValue":true}`.
    mutating func putEnvVar(service s: Int, key: String, body: JSONValue?) throws(APIFailure) -> JSONValue {
        let value = try Self.value(of: body, key: key, allowKey: false)
        if let index = services[s].envVars.firstIndex(where: { $0.key == key }) {
            services[s].envVars[index].value = value
            return services[s].envVars[index].json
        }
        let envVar = RenderEnvVar(key: key, value: value)
        services[s].envVars.append(envVar)
        return envVar.json
    }

    /// `PUT /services/{id}/env-vars`: the body becomes the service's whole set of variables; every
    /// variable not in it is deleted, which is why a rotator must never use it.
    mutating func replaceEnvVars(service s: Int, body: JSONValue?) throws(APIFailure) -> JSONValue {
        guard let items = body?.arrayValue else {
            throw APIFailure.render(400, "bad_request", "the body must be an array of {\"key\",\"value\"} objects")
        }
        var replacement: [RenderEnvVar] = []
        for item in items {
            guard let key = item["key"]?.stringValue else {
                throw APIFailure.render(400, "bad_request", "every env var needs a \"key\" string")
            }
            guard !replacement.contains(where: { $0.key == key }) else {
                throw APIFailure.render(400, "bad_request", "duplicate env var key: \(key)")
            }
            let value = try Self.value(of: item, key: key, allowKey: true)
            var envVar = services[s].envVars.first(where: { $0.key == key }) ?? RenderEnvVar(key: key, value: value)
            envVar.value = value
            replacement.append(envVar)
        }
        services[s].envVars = replacement
        return .array(replacement.map(\.listItem))
    }

    mutating func deleteEnvVar(service s: Int, key: String) throws(APIFailure) {
        guard let index = services[s].envVars.firstIndex(where: { $0.key == key }) else {
            throw APIFailure.render(404, "not_found", "env var not found: \(key)")
        }
        services[s].envVars.remove(at: index)
    }

    // MARK: Env groups

    func group(_ g: Int) -> JSONValue {
        groups[g].json(services: services)
    }

    func groupEnvVar(_ g: Int, key: String) throws(APIFailure) -> JSONValue {
        guard let envVar = groups[g].envVars.first(where: { $0.key == key }) else {
            throw APIFailure.render(404, "not_found", "env var not found: \(key)")
        }
        return envVar.json
    }

    /// `PUT /env-groups/{id}/env-vars/{key}`: answers with the whole group.
    mutating func putGroupEnvVar(_ g: Int, key: String, body: JSONValue?, now: Date) throws(APIFailure) -> JSONValue {
        let value = try Self.value(of: body, key: key, allowKey: false)
        if let index = groups[g].envVars.firstIndex(where: { $0.key == key }) {
            groups[g].envVars[index].value = value
        } else {
            groups[g].envVars.append(RenderEnvVar(key: key, value: value))
        }
        groups[g].updatedAt = now
        return group(g)
    }

    mutating func deleteGroupEnvVar(_ g: Int, key: String, now: Date) throws(APIFailure) {
        guard let index = groups[g].envVars.firstIndex(where: { $0.key == key }) else {
            throw APIFailure.render(404, "not_found", "env var not found: \(key)")
        }
        groups[g].envVars.remove(at: index)
        groups[g].updatedAt = now
    }

    // MARK: Deploys

    /// `POST /services/{id}/deploys`. Returns the new deploy, and whether a fault asks for the
    /// 202-with-no-body answer (the deploy exists either way).
    mutating func createDeploy(
        service s: Int, body: JSONValue?, faults: inout FaultBook, now: Date
    ) throws(APIFailure) -> (deploy: JSONValue, accepted: Bool) {
        let source = try deploySource(service: s, body: body, now: now)
        let service = services[s]
        let deploy = RenderDeploy(
            id: SandboxID.render("dep-"), createdAt: now, duration: deployDuration,
            failure: faults.takeDeployFailure(service: service.id), snapshot: snapshot(service: s), seeded: false, source: source)
        services[s].deploys.append(deploy)
        // render-api.md "Deploys": the 201 answer shows `"commit": null`; the deploy's commit (or image)
        // appears when it is read or listed.
        let answer = services[s].json(deploy, at: now).setting("commit", nil).setting("image", nil)
        return (answer, faults.takeAccept202(service: service.id))
    }

    func deploy(service s: Int, id: String, now: Date) throws(APIFailure) -> JSONValue {
        guard let deploy = services[s].deploys.first(where: { $0.id == id }) else {
            throw APIFailure.render(404, "not_found", "not found: \(id)")
        }
        return services[s].json(deploy, at: now)
    }

    /// `GET /services/{id}/deploys?limit=&cursor=&status=`: newest first.
    func listDeploys(service s: Int, limit: String?, cursor: String?, statuses: [String], now: Date) throws(APIFailure) -> JSONValue {
        let limit = try Self.pageLimit(limit)
        let known: Set<String> = ["created", "queued", "build_in_progress", "update_in_progress", "pre_deploy_in_progress", "live",
                                  "deactivated", "build_failed", "update_failed", "pre_deploy_failed", "canceled"]
        if let bad = statuses.first(where: { !known.contains($0) }) {
            throw APIFailure.render(400, "bad_request", "invalid status: \(bad)")
        }
        let service = services[s]
        var newestFirst = Array(service.deploys.reversed())
        if let cursor {
            guard let index = newestFirst.firstIndex(where: { $0.cursor == cursor }) else {
                throw APIFailure.render(400, "bad_request", "invalid cursor")
            }
            newestFirst = Array(newestFirst[(index + 1)...])
        }
        let items: [JSONValue] = newestFirst.compactMap { deploy in
            let json = service.json(deploy, at: now)
            guard statuses.isEmpty || statuses.contains(json["status"]?.stringValue ?? "") else { return nil }
            return ["deploy": json, "cursor": .string(deploy.cursor)]
        }
        return .array(Array(items.prefix(limit)))
    }

    /// `POST /services/{id}/deploys/{deployId}/cancel`: only a deploy in progress can be cancelled.
    mutating func cancelDeploy(service s: Int, id: String, now: Date) throws(APIFailure) -> JSONValue {
        guard let index = services[s].deploys.firstIndex(where: { $0.id == id }) else {
            throw APIFailure.render(404, "not_found", "not found: \(id)")
        }
        guard services[s].deploys[index].isInProgress(at: now) else {
            throw APIFailure.render(409, "conflict", "deploy \(id) is not in progress")
        }
        services[s].deploys[index].canceledAt = now
        return services[s].json(services[s].deploys[index], at: now)
    }

    // MARK: Helpers

    /// The value a variable write asks for: `value`, or a generated one for `generateValue: true`.
    private static func value(of body: JSONValue?, key: String, allowKey: Bool) throws(APIFailure) -> String {
        guard WorldValidator.isVariableName(key) else {
            throw APIFailure.render(400, "bad_request", "invalid env var key: \(key)")
        }
        guard case .object? = body, let body else { throw APIFailure.render(400, "bad_request", "the body must be a JSON object") }
        let allowed: Set<String> = allowKey ? ["key", "value", "generateValue"] : ["value", "generateValue"]
        if let unknown = body.keys.first(where: { !allowed.contains($0) }) {
            throw APIFailure.render(400, "bad_request", "unknown field: \(unknown)")
        }
        switch (body["value"], body["generateValue"]) {
        case (.string(let value)?, nil), (.string(let value)?, .bool(false)?):
            return value
        case (nil, .bool(true)?):
            return RenderEnvVar.generatedValue()
        default:
            throw APIFailure.render(400, "bad_request", "send either a \"value\" string or \"generateValue\": true")
        }
    }

    private static func pageLimit(_ text: String?) throws(APIFailure) -> Int {
        guard let text else { return 20 }
        guard let limit = Int(text), (1...100).contains(limit) else {
            throw APIFailure.render(400, "bad_request", "limit must be a number from 1 to 100")
        }
        return limit
    }
}
