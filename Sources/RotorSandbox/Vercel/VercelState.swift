import Foundation

/// The emulated Vercel account and the semantics of its API, without any HTTP.
struct VercelState: Sendable {
    let teams: [SandboxWorld.Team]
    var projects: [VercelProject]
    let deployDuration: TimeInterval

    // MARK: Scope

    /// The team a request is scoped to (`teamId` or `slug`), or nil for the personal account.
    func scope(teamId: String?, slug: String?) throws(APIFailure) -> String? {
        if let teamId, !teamId.isEmpty {
            guard teams.contains(where: { $0.id == teamId }) else { throw Self.teamForbidden }
            return teamId
        }
        if let slug, !slug.isEmpty {
            guard let team = teams.first(where: { $0.slug == slug }) else { throw Self.teamForbidden }
            return team.id
        }
        return nil
    }

    /// The project called `idOrName` in the scope; a project of another team (or of the personal
    /// account when a team is given) is not found, as on Vercel.
    func projectIndex(_ idOrName: String, scope: String?) throws(APIFailure) -> Int {
        guard let index = projects.firstIndex(where: { ($0.id == idOrName || $0.name == idOrName) && $0.teamId == scope }) else {
            throw APIFailure.vercel(404, "not_found", "Project not found")
        }
        return index
    }

    private static let teamForbidden = APIFailure.vercel(403, "forbidden", "Not authorized: the token cannot access this team")

    // MARK: Environment variables

    func listEnv(project p: Int, gitBranch: String?, limit: String?, until: String?) throws(APIFailure) -> JSONValue {
        let limit = try Self.pageLimit(limit)
        let until = try until.map { (text) throws(APIFailure) -> Int in
            guard let value = Int(text) else { throw APIFailure.vercel(400, "bad_request", "Invalid request: `until` should be a number.") }
            return value
        }
        let matching = projects[p].envs
            .filter { gitBranch == nil || $0.gitBranch == nil || $0.gitBranch == gitBranch }
            .sorted { $0.createdAt > $1.createdAt }
        let rest = matching.filter { until == nil || $0.createdAt < until! }
        let page = Array(rest.prefix(limit))
        let next: JSONValue = rest.count > page.count ? .optional(page.last?.createdAt) : nil
        let prev: JSONValue = until != nil && matching.count > rest.count ? .optional(page.first?.createdAt) : nil
        return ["envs": .array(page.map(\.listed)), "pagination": ["count": .int(page.count), "next": next, "prev": prev]]
    }

    func env(project p: Int, id: String) throws(APIFailure) -> JSONValue {
        try projects[p].envs[envIndex(project: p, id: id)].decrypted
    }

    /// `POST /v10/projects/{p}/env`: `body` is one variable or an array of them.
    mutating func createEnv(project p: Int, body: JSONValue?, upsert: Bool, now: Date) throws(APIFailure) -> JSONValue {
        let single: Bool
        let items: [JSONValue]
        switch body {
        case .object?: single = true; items = [body!]
        case .array(let array)?: single = false; items = array
        default: throw APIFailure.vercel(400, "bad_request", "Invalid request: the body should be an object or an array of objects.")
        }
        guard !items.isEmpty else { throw APIFailure.vercel(400, "bad_request", "Invalid request: the array should not be empty.") }
        let inputs = try items.map { (item) throws(APIFailure) in try VercelEnvInput.parse(item, creating: true) }

        if !upsert {
            // Without upsert Vercel refuses the whole request on the first existing variable.
            for input in inputs {
                let branch = input.gitBranch ?? nil
                if let existing = projects[p].envs.first(where: { $0.conflicts(key: input.key!, target: input.target!, gitBranch: branch) }) {
                    throw Self.conflict(key: input.key!, target: existing.target.filter(input.target!.contains), gitBranch: branch)
                }
            }
        }

        var created: [JSONValue] = []
        var failed: [JSONValue] = []
        var touched: Set<String> = []
        for input in inputs {
            let key = input.key!, type = input.type!, target = input.target!, branch = input.gitBranch ?? nil
            if let rule = VercelEnvInput.ruleViolation(key: key, type: type, target: target, gitBranch: branch) {
                failed.append(Self.failure(code: "bad_request", message: rule, key: key, target: target))
                continue
            }
            let clashing = projects[p].envs.indices.filter {
                projects[p].envs[$0].conflicts(key: key, target: target, gitBranch: branch)
            }
            if clashing.count > 1 || clashing.contains(where: { touched.contains(projects[p].envs[$0].id) }) {
                // Several variables (or one already written by this request) would be overwritten: ambiguous.
                failed.append(Self.failure(code: "ENV_CONFLICT", message: Self.conflictMessage(key: key, gitBranch: branch),
                                           key: key, target: target))
                continue
            }
            if let index = clashing.first {
                if projects[p].envs[index].type == .sensitive && type != .sensitive {
                    failed.append(Self.failure(code: "bad_request", message: "A Sensitive Environment Variable cannot be changed to another type.",
                                               key: key, target: target))
                    continue
                }
                projects[p].envs[index].setValue(input.value!)
                projects[p].envs[index].type = type
                projects[p].envs[index].target = target
                if let comment = input.comment { projects[p].envs[index].comment = comment }
                projects[p].envs[index].updatedAt = Timestamp.milliseconds(now)
                touched.insert(projects[p].envs[index].id)
                created.append(projects[p].envs[index].listed)
            } else {
                let env = VercelEnvVar(key: key, value: input.value!, type: type, target: target, gitBranch: branch,
                                       comment: input.comment ?? "", createdAt: projects[p].nextCreatedAt(now))
                projects[p].envs.append(env)
                touched.insert(env.id)
                created.append(env.listed)
            }
        }
        let createdJSON: JSONValue = single && created.count == 1 ? created[0] : .array(created)
        return ["created": createdJSON, "failed": .array(failed)]
    }

    /// `PATCH /v9/projects/{p}/env/{id}`.
    mutating func editEnv(project p: Int, id: String, body: JSONValue?, now: Date) throws(APIFailure) -> JSONValue {
        let index = try envIndex(project: p, id: id)
        guard let body else { throw APIFailure.vercel(400, "bad_request", "Invalid request: the body should be an object.") }
        let input = try VercelEnvInput.parse(body, creating: false)
        var env = projects[p].envs[index]
        if env.type == .sensitive, let type = input.type, type != .sensitive {
            throw APIFailure.vercel(400, "bad_request", "A Sensitive Environment Variable cannot be changed to another type.")
        }
        if let key = input.key { env.key = key }
        if let type = input.type { env.type = type }
        if let target = input.target { env.target = target }
        if let branch = input.gitBranch { env.gitBranch = branch }
        if let comment = input.comment { env.comment = comment }
        if let rule = VercelEnvInput.ruleViolation(key: env.key, type: env.type, target: env.target, gitBranch: env.gitBranch) {
            throw APIFailure.vercel(400, "bad_request", rule)
        }
        if let other = projects[p].envs.first(where: { $0.id != id && $0.conflicts(key: env.key, target: env.target, gitBranch: env.gitBranch) }) {
            throw Self.conflict(key: env.key, target: other.target.filter(env.target.contains), gitBranch: env.gitBranch)
        }
        if let value = input.value { env.setValue(value) }
        env.updatedAt = Timestamp.milliseconds(now)
        projects[p].envs[index] = env
        return env.listed
    }

    /// `DELETE /v9/projects/{p}/env/{id}`.
    mutating func deleteEnv(project p: Int, id: String) throws(APIFailure) -> JSONValue {
        let index = try envIndex(project: p, id: id)
        return projects[p].envs.remove(at: index).listed
    }

    private func envIndex(project p: Int, id: String) throws(APIFailure) -> Int {
        guard let index = projects[p].envs.firstIndex(where: { $0.id == id }) else {
            throw APIFailure.vercel(404, "not_found", "Environment Variable not found")
        }
        return index
    }

    private static func conflictMessage(key: String, gitBranch: String?) -> String {
        "A variable with the name `\(key)` already exists for the target environments on branch \(gitBranch ?? "undefined")."
    }

    private static func conflict(key: String, target: [String], gitBranch: String?) -> APIFailure {
        .vercel(400, "ENV_CONFLICT", conflictMessage(key: key, gitBranch: gitBranch),
                extra: [("key", .string(key)), ("envVarKey", .string(key)), ("target", .strings(target)),
                        ("gitBranch", .optional(gitBranch))])
    }

    private static func failure(code: String, message: String, key: String, target: [String]) -> JSONValue {
        ["error": ["code": .string(code), "message": .string(message), "key": .string(key), "envVarKey": .string(key),
                   "target": .strings(target)]]
    }

    // MARK: Deployments

    /// `GET /v6/deployments`: newest first, filtered by project, target and state.
    func listDeployments(scope: String?, query: (String) -> String?, now: Date) throws(APIFailure) -> JSONValue {
        let limit = try Self.pageLimit(query("limit"))
        var visible = projects.indices.filter { projects[$0].teamId == scope }
        if let project = query("projectId") {
            visible = [try projectIndex(project, scope: scope)]
        }
        let target = query("target")
        if let target, target != "production", target != "preview" {
            throw APIFailure.vercel(400, "bad_request", "Invalid request: `target` should be \"production\" or \"preview\".")
        }
        let states = query("state").map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() } }
        let known: Set<String> = ["BUILDING", "ERROR", "INITIALIZING", "QUEUED", "READY", "CANCELED"]
        if let states, let bad = states.first(where: { !known.contains($0) }) {
            throw APIFailure.vercel(400, "bad_request", "Invalid request: `state` has an unknown value \"\(bad)\".")
        }
        let until = query("until").flatMap(Int.init)
        let all = visible.flatMap { projects[$0].deployments }
            .filter { target == nil || ($0.target ?? "preview") == target }
            .filter { states == nil || states!.contains($0.readyState(at: now)) }
            .sorted { $0.createdAt > $1.createdAt }
        let rest = all.filter { until == nil || Timestamp.milliseconds($0.createdAt) < until! }
        let page = Array(rest.prefix(limit))
        let next: JSONValue = rest.count > page.count ? .optional(page.last.map { Timestamp.milliseconds($0.createdAt) }) : nil
        let prev: JSONValue = until != nil && all.count > rest.count ? .optional(page.first.map { Timestamp.milliseconds($0.createdAt) }) : nil
        return ["deployments": .array(page.map { $0.v6(at: now) }), "pagination": ["count": .int(page.count), "next": next, "prev": prev]]
    }

    /// `POST /v13/deployments`, as the Vercel CLI redeploys: `{"deploymentId","name","target","meta"}`.
    ///
    /// The sandbox emulates redeploys only. Without `forceNew=1` it answers with the existing
    /// deployment and builds nothing: the strictest reading of Vercel's "forces a new deployment even
    /// if there is a previous similar deployment", so an adapter that forgets it never goes live.
    mutating func createDeployment(
        scope: String?, body: JSONValue?, forceNew: Bool, faults: inout FaultBook, now: Date
    ) throws(APIFailure) -> JSONValue {
        guard case .object? = body else { throw APIFailure.vercel(400, "bad_request", "Invalid request: the body should be an object.") }
        guard let sourceId = body?["deploymentId"]?.stringValue else {
            throw APIFailure.vercel(400, "bad_request",
                                    "Invalid request: missing `deploymentId` (the sandbox emulates redeploys of an existing deployment only).")
        }
        guard let name = body?["name"]?.stringValue else {
            throw APIFailure.vercel(400, "bad_request", "Invalid request: missing required property `name`.")
        }
        let target: String?
        switch body?["target"] {
        case nil, .null?: target = nil
        case .string("production")?: target = "production"
        case .string("preview")?: target = nil
        default: throw APIFailure.vercel(400, "bad_request", "Invalid request: `target` should be \"production\" or \"preview\".")
        }
        let meta = body?["meta"] ?? [:]
        guard case .object(let metaMembers) = meta, metaMembers.allSatisfy({ $0.1.stringValue != nil }) else {
            throw APIFailure.vercel(400, "bad_request", "Invalid request: `meta` should be an object of strings.")
        }
        let (p, source) = try deploymentLocation(sourceId, scope: scope)
        let project = projects[p]
        guard name == project.name else {
            // Vercel would create (or pick) the project called `name`: refusing catches an id sent as a name.
            throw APIFailure.vercel(400, "bad_request",
                                    "Invalid request: `name` \"\(name)\" is not the name of the project of deployment \(sourceId) (\(project.name)).")
        }
        guard forceNew else { return projects[p].deployments[source].v13(at: now) }

        let id = SandboxID.make("dpl_", length: 24)
        let deployment = VercelDeployment(
            id: id, projectId: project.id, name: project.name,
            url: "\(project.name)-\(id.dropFirst(4).prefix(9).lowercased()).vercel.app", target: target, createdAt: now,
            duration: deployDuration, fails: faults.takeDeployFailure(projectId: project.id),
            snapshot: project.snapshot(target: target ?? "preview"), meta: meta, seeded: false)
        projects[p].deployments.append(deployment)
        return deployment.v13(at: now)
    }

    /// `GET /v13/deployments/{idOrUrl}`.
    func deployment(_ idOrUrl: String, scope: String?, now: Date) throws(APIFailure) -> JSONValue {
        let (p, d) = try deploymentLocation(idOrUrl, scope: scope)
        return projects[p].deployments[d].v13(at: now)
    }

    private func deploymentLocation(_ idOrUrl: String, scope: String?) throws(APIFailure) -> (Int, Int) {
        let host = idOrUrl.replacingOccurrences(of: "https://", with: "")
        for p in projects.indices where projects[p].teamId == scope {
            if let d = projects[p].deployments.firstIndex(where: { $0.id == idOrUrl || $0.url == host }) { return (p, d) }
        }
        throw APIFailure.vercel(404, "not_found", "Deployment not found")
    }

    private static func pageLimit(_ text: String?) throws(APIFailure) -> Int {
        guard let text else { return 20 }
        guard let limit = Int(text), (1...100).contains(limit) else {
            throw APIFailure.vercel(400, "bad_request", "Invalid request: `limit` should be a number from 1 to 100.")
        }
        return limit
    }
}
