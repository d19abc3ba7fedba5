import Foundation

/// The emulated Vercel account and the semantics of its API, without any HTTP.
struct VercelState: Sendable {
    let teams: [SandboxWorld.Team]
    var projects: [VercelProject]
    let deployDuration: TimeInterval
    /// Access tokens minted through `POST /v3/user/tokens`.
    var tokens: [VercelToken] = []
    /// Whether list entries carry `id` (the SDK's schema makes it optional; an admin option drops it so
    /// adapters are tested for tolerance).
    var listsEnvIds = true

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

    /// The project with this id or name in any scope (for the sandbox's admin calls).
    func anyProjectIndex(_ idOrName: String) throws(APIFailure) -> Int {
        guard let index = projects.firstIndex(where: { $0.id == idOrName || $0.name == idOrName }) else {
            throw APIFailure.plain(404, "not_found", "No Vercel project '\(idOrName)'.")
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
        let envs: [JSONValue] = page.map { listsEnvIds ? $0.listed : $0.listed.removing("id") }
        return ["envs": .array(envs), "pagination": ["count": .int(page.count), "next": next, "prev": prev]]
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

        try refuseConflicts(project: p, inputs: inputs, upsert: upsert)

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

    /// The conflicts that refuse the whole request (a top-level 400, before anything is written).
    private func refuseConflicts(project p: Int, inputs: [VercelEnvInput], upsert: Bool) throws(APIFailure) {
        for input in inputs {
            let branch = input.gitBranch ?? nil
            let clashing = projects[p].envs.filter { $0.conflicts(key: input.key!, target: input.target!, gitBranch: branch) }
            if !upsert, let existing = clashing.first {
                // Without upsert Vercel refuses the whole request on the first existing variable.
                throw Self.conflict(key: input.key!, target: existing.target.filter(input.target!.contains), gitBranch: branch)
            }
            // vercel-api.md "Corrections": upsert keeps the existing target list or fails, as a top-level
            // 400 (not inside `failed`); it never rewrites the target list. A variable that breaks a rule
            // on its own is reported in `failed` below without being compared with what exists.
            let brokenRule = VercelEnvInput.ruleViolation(key: input.key!, type: input.type!, target: input.target!, gitBranch: branch)
            if upsert, brokenRule == nil, let existing = clashing.first(where: { Set($0.target) != Set(input.target!) }) {
                throw Self.conflict(key: input.key!, target: existing.target, gitBranch: branch)
            }
        }
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

    static func pageLimit(_ text: String?) throws(APIFailure) -> Int {
        guard let text else { return 20 }
        guard let limit = Int(text), (1...100).contains(limit) else {
            throw APIFailure.vercel(400, "bad_request", "Invalid request: `limit` should be a number from 1 to 100.")
        }
        return limit
    }
}
