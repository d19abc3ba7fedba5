import Foundation

/// A Vercel project: its variables, its deployments (oldest first) and the Instant Rollback in force.
struct VercelProject: Sendable {
    /// An Instant Rollback: production serves `toDeploymentId` until it is undone.
    struct Rollback: Sendable {
        let fromDeploymentId: String?
        let toDeploymentId: String
        let requestedAt: Date

        /// `lastRollbackTarget` of `GET /v9/projects/{p}` (vercel/sdk `getprojectresponsebody.ts`).
        var json: JSONValue {
            ["fromDeploymentId": .optional(fromDeploymentId), "toDeploymentId": .string(toDeploymentId),
             "jobStatus": "succeeded", "requestedAt": .int(Timestamp.milliseconds(requestedAt))]
        }
    }

    let id: String
    let name: String
    let teamId: String?
    /// The variable its app reads.
    let appKey: String
    var envs: [VercelEnvVar] = []
    var deployments: [VercelDeployment] = []
    /// Set while an Instant Rollback is in force: new production deployments are not promoted.
    var rollback: Rollback?
    private var lastCreatedAt = 0

    init(id: String, name: String, teamId: String?, appKey: String) {
        self.id = id
        self.name = name
        self.teamId = teamId
        self.appKey = appKey
    }

    /// A creation time in milliseconds later than every earlier one, so the `until` cursor never
    /// skips or repeats a variable.
    mutating func nextCreatedAt(_ now: Date) -> Int {
        lastCreatedAt = max(Timestamp.milliseconds(now), lastCreatedAt + 1)
        return lastCreatedAt
    }

    /// The variables a deployment for `target` (production or preview) of `gitBranch` sees: a
    /// variable of that branch wins over a branch-less one.
    func snapshot(target: String, gitBranch: String? = nil) -> [String: String] {
        var values: [String: String] = [:]
        for env in envs where env.target.contains(target) && env.gitBranch == nil {
            values[env.key] = env.value
        }
        if let gitBranch {
            for env in envs where env.target.contains(target) && env.gitBranch == gitBranch {
                values[env.key] = env.value
            }
        }
        return values
    }

    /// The production deployment serving traffic: the rollback's target while one is in force, else
    /// the last promoted deployment to become READY.
    func liveDeployment(at now: Date) -> VercelDeployment? {
        if let rollback, let target = deployments.first(where: { $0.id == rollback.toDeploymentId }) { return target }
        return deployments.filter { $0.isPromotable(at: now) }
            .max { ($0.finishesAt, $0.createdAt) < ($1.finishesAt, $1.createdAt) }
    }

    /// Whether `deployment` has its production alias: it was promoted, or a rollback serves it.
    func isServed(_ deployment: VercelDeployment, at now: Date) -> Bool {
        if let rollback { return rollback.toDeploymentId == deployment.id }
        return deployment.isPromotable(at: now)
    }

    /// The newest READY preview deployment of `branch`: what the app `{name}-preview-{branch}` runs.
    func livePreview(branch: String, at now: Date) -> VercelDeployment? {
        deployments.filter { $0.target == nil && $0.gitBranch == branch && $0.readyState(at: now) == "READY" }
            .max { $0.createdAt < $1.createdAt }
    }

    /// The branches with preview deployments, in the order they first appeared.
    var previewBranches: [String] {
        var branches: [String] = []
        for deployment in deployments where deployment.target == nil {
            if let branch = deployment.gitBranch, !branches.contains(branch) { branches.append(branch) }
        }
        return branches
    }

    /// Deployments made through the API (the one the sandbox starts with does not count).
    var deployCount: Int { deployments.count { !$0.seeded } }
}
