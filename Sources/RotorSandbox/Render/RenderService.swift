import Foundation

/// A Render service: its own variables and its deploys (oldest first).
struct RenderService: Sendable {
    let id: String
    let name: String
    /// The variable its app reads.
    let appKey: String
    var envVars: [RenderEnvVar] = []
    var deploys: [RenderDeploy] = []
    /// The image an image-backed service pulls (`imageUrl`), or nil for a service built from its repository.
    let image: String?
    /// The branch a repository-backed service deploys from.
    let branch: String
    /// The head of `branch`: newer than the live deploy's commit, so a deploy without `commitId` ships
    /// unreleased code (render-api.md "Corrections").
    var branchHead: String
    /// Every commit a deploy may name: the branch's history, oldest first.
    var commits: [String]

    init(id: String, name: String, appKey: String, image: String? = nil, branch: String = "main", commits: [String]) {
        self.id = id
        self.name = name
        self.appKey = appKey
        self.image = image
        self.branch = branch
        self.commits = commits
        self.branchHead = commits.last ?? RenderDeploySource.newCommitId()
    }

    /// Moves the branch head to `commit` (a new commit pushed to the branch).
    mutating func push(_ commit: String) {
        if !commits.contains(commit) { commits.append(commit) }
        branchHead = commit
    }

    /// When a deploy newer than `deploy` went live, if one did.
    func supersededAt(_ deploy: RenderDeploy) -> Date? {
        guard let live = deploy.liveAt else { return nil }
        return deploys.compactMap { other -> Date? in
            guard let otherLive = other.liveAt, other.id != deploy.id else { return nil }
            return (otherLive, other.createdAt) > (live, deploy.createdAt) ? otherLive : nil
        }.min()
    }

    /// The deploy serving the app: the last to have gone live.
    func liveDeploy(at now: Date) -> RenderDeploy? {
        deploys.filter { $0.liveAt.map { $0 <= now } == true }.max { ($0.liveAt!, $0.createdAt) < ($1.liveAt!, $1.createdAt) }
    }

    /// Deploys made through the API (the one the sandbox starts with does not count).
    var deployCount: Int { deploys.count { !$0.seeded } }

    func json(_ deploy: RenderDeploy, at now: Date) -> JSONValue {
        deploy.json(at: now, supersededAt: supersededAt(deploy))
    }
}
