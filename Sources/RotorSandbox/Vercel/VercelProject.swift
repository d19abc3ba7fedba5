import Foundation

/// A Vercel project: its variables and its deployments (oldest first).
struct VercelProject: Sendable {
    let id: String
    let name: String
    let teamId: String?
    /// The variable its app reads.
    let appKey: String
    var envs: [VercelEnvVar] = []
    var deployments: [VercelDeployment] = []
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

    /// The variables a deployment for `target` (production or preview) sees.
    func snapshot(target: String) -> [String: String] {
        var values: [String: String] = [:]
        for env in envs where env.target.contains(target) && env.gitBranch == nil {
            values[env.key] = env.value
        }
        return values
    }

    /// The production deployment serving traffic: the last to become READY.
    func liveDeployment(at now: Date) -> VercelDeployment? {
        deployments.filter { $0.isLive(at: now) }.max { ($0.finishesAt, $0.createdAt) < ($1.finishesAt, $1.createdAt) }
    }

    /// Deployments made through the API (the one the sandbox starts with does not count).
    var deployCount: Int { deployments.count { !$0.seeded } }
}
