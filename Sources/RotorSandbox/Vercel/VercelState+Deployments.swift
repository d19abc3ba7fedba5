import Foundation

/// Deployments: list (v6 and v7), redeploy, read; what a project serves (`GET /v9/projects/{p}`),
/// Instant Rollbacks and preview deployments.
extension VercelState {
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
        return ["deployments": .array(page.map { $0.v6(at: now, served: isServed($0, at: now)) }), "pagination": ["count": .int(page.count), "next": next, "prev": prev]]
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
        guard forceNew else { return v13(projects[p].deployments[source], at: now) }

        let sourceBranch = projects[p].deployments[source].gitBranch
        // A redeploy keeps the source's git metadata (such as `githubCommitRef`); the body's meta adds to it.
        var inherited: [(String, JSONValue)] = []
        if case .object(let sourceMeta) = projects[p].deployments[source].meta {
            inherited = sourceMeta.filter { name, _ in !metaMembers.contains { $0.0 == name } }
        }
        let deployment = makeDeployment(
            project: p, target: target, gitBranch: target == nil ? sourceBranch : nil,
            failure: faults.takeDeployFailure(projectId: project.id), meta: .object(inherited + metaMembers), seeded: false, now: now)
        projects[p].deployments.append(deployment)
        return v13(deployment, at: now)
    }

    /// A new deployment of project `p` capturing its variables now. While an Instant Rollback is in
    /// force a production deployment is not promoted (vercel-api.md "Corrections": which deployment is served).
    func makeDeployment(
        project p: Int, target: String?, gitBranch: String?, failure: VercelDeployment.Failure?, meta: JSONValue, seeded: Bool,
        now: Date
    ) -> VercelDeployment {
        let project = projects[p]
        let id = SandboxID.make("dpl_", length: 24)
        return VercelDeployment(
            id: id, projectId: project.id, name: project.name,
            url: "\(project.name)-\(id.dropFirst(4).prefix(9).lowercased()).vercel.app", target: target, gitBranch: gitBranch,
            createdAt: now, duration: deployDuration, failure: failure, autoPromote: project.rollback == nil,
            snapshot: project.snapshot(target: target ?? "preview", gitBranch: gitBranch), meta: meta, seeded: seeded)
    }

    /// `GET /v13/deployments/{idOrUrl}`.
    func deployment(_ idOrUrl: String, scope: String?, now: Date) throws(APIFailure) -> JSONValue {
        let (p, d) = try deploymentLocation(idOrUrl, scope: scope)
        return v13(projects[p].deployments[d], at: now)
    }

    /// Whether `deployment` holds its project's production alias now.
    func isServed(_ deployment: VercelDeployment, at now: Date) -> Bool {
        projects.first { $0.id == deployment.projectId }?.isServed(deployment, at: now) ?? false
    }

    private func v13(_ deployment: VercelDeployment, at now: Date) -> JSONValue {
        deployment.v13(at: now, served: isServed(deployment, at: now))
    }

    private func deploymentLocation(_ idOrUrl: String, scope: String?) throws(APIFailure) -> (Int, Int) {
        let host = idOrUrl.replacingOccurrences(of: "https://", with: "")
        for p in projects.indices where projects[p].teamId == scope {
            if let d = projects[p].deployments.firstIndex(where: { $0.id == idOrUrl || $0.url == host }) { return (p, d) }
        }
        throw APIFailure.vercel(404, "not_found", "Deployment not found")
    }


    // MARK: Projects and rollbacks

    /// `GET /v9/projects/{idOrName}`: `targets.production` is the deployment served, and
    /// `lastRollbackTarget` is set while an Instant Rollback is in force.
    func projectJSON(project p: Int, now: Date) -> JSONValue {
        let project = projects[p]
        let served = project.liveDeployment(at: now)
        let latest = project.deployments.sorted { $0.createdAt > $1.createdAt }.prefix(5)
        return [
            "id": .string(project.id), "name": .string(project.name), "accountId": .string(project.teamId ?? "usr_sandbox"),
            "framework": nil, "createdAt": .int(Timestamp.milliseconds(project.deployments.first?.createdAt ?? now)),
            "updatedAt": .int(Timestamp.milliseconds(now)), "live": .bool(served != nil),
            "targets": ["production": served.map { $0.v13(at: now, served: true) } ?? nil],
            "latestDeployments": .array(latest.map { $0.v13(at: now, served: project.isServed($0, at: now)) }),
            "lastRollbackTarget": project.rollback?.json ?? nil,
        ]
    }

    /// Performs an Instant Rollback: production serves `deploymentId` (by default the READY production
    /// deployment before the one served) and new production deployments stop being promoted.
    mutating func rollback(project p: Int, to deploymentId: String?, now: Date) throws(APIFailure) {
        let served = projects[p].liveDeployment(at: now)
        let candidates = projects[p].deployments.filter { $0.target == "production" && $0.readyState(at: now) == "READY" }
        let target: VercelDeployment?
        if let deploymentId {
            target = candidates.first { $0.id == deploymentId }
        } else {
            target = candidates.filter { $0.id != served?.id && $0.createdAt < (served?.createdAt ?? now) }.max { $0.createdAt < $1.createdAt }
        }
        guard let target else {
            throw APIFailure.plain(400, "bad_request", "No READY production deployment of \(projects[p].name) to roll back to.")
        }
        projects[p].rollback = .init(fromDeploymentId: served?.id, toDeploymentId: target.id, requestedAt: now)
    }

    /// Ends an Instant Rollback (as promoting a deployment does): the newest promoted deployment is served again.
    mutating func undoRollback(project p: Int) {
        projects[p].rollback = nil
    }

    /// Creates a READY-in-due-course preview deployment of `branch` with the variables as they are now,
    /// as a push to that branch would; its app is `{project}-preview-{branch}`.
    mutating func createPreview(project p: Int, branch: String, now: Date) -> JSONValue {
        let deployment = makeDeployment(project: p, target: nil, gitBranch: branch, failure: nil, meta: ["githubCommitRef": .string(branch)],
                                        seeded: true, now: now)
        projects[p].deployments.append(deployment)
        return deployment.v13(at: now, served: false)
    }
}
