import Foundation

/// A Render service: its own variables and its deploys (oldest first).
struct RenderService: Sendable {
    let id: String
    let name: String
    /// The variable its app reads.
    let appKey: String
    var envVars: [RenderEnvVar] = []
    var deploys: [RenderDeploy] = []

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
