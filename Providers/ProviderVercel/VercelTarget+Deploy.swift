import Foundation
import Logging
import RotorCore

/// Getting a written variable live: redeploying what production serves (and, with `previews: redeploy`,
/// each active branch's latest preview) and waiting until every redeploy is READY.
extension VercelTarget {
    /// The redeploys in flight.
    public struct Deploy: Sendable {
        /// The production redeploy (dpl_…), if the rollout has one.
        var production: String?
        /// The preview redeploys; nil until the rollout's previews were looked at (a note without them,
        /// journaled before, does not cover them).
        var previews: [String]?
        /// The deployments as their triggers answered, so the first look needs no request; empty when
        /// they come from the journal.
        var seen: [String: VercelAPI.Deployment] = [:]

        var all: [String] { (production.map { [$0] } ?? []) + (previews ?? []) }
    }

    /// The deployments a journal note `{"deploy":"dpl_…","previews":[…]}` names.
    public func deploy(journaledIn note: String, for rollout: Rollout) -> Deploy? {
        Checkpoint.read(note).map { Deploy(production: $0.deploy, previews: $0.previews) }
    }

    /// `{"deploy":"dpl_…"}`, with `"previews":[…]` when the rollout redeploys previews.
    public func note(for deploy: Deploy, of rollout: Rollout) -> String {
        Checkpoint.write(.init(deploy: deploy.production, previews: rollout.previews ? deploy.previews : nil))
    }

    /// Redeploys what production serves, then each active branch's latest preview, journaling each at once.
    public func triggerDeploy(_ rollout: Rollout, in vercel: VercelAPI, _ progress: DeployProgress<Deploy>) async throws -> Deploy {
        var deploy = Deploy()
        if rollout.production {
            let source = try await servedProduction(vercel)
            let deployment = try await vercel.redeploy(id: source.id, name: source.name ?? project, target: "production", meta: [:])
            deploy.production = deployment.id
            deploy.seen[deployment.id] = deployment
            try await progress.journal(deploy)
            progress.logger.info("vercel redeploy triggered", metadata: ["deployment": "\(deployment.id)", "from": "\(source.id)"])
        }
        if rollout.previews {
            deploy.previews = []
            let sources = try await activePreviews(vercel)
            if sources.isEmpty { try await progress.journal(deploy) }
            for source in sources {
                let deployment = try await vercel.redeploy(id: source.uid, name: source.name ?? project, target: nil, meta: [:])
                deploy.previews?.append(deployment.id)
                deploy.seen[deployment.id] = deployment
                try await progress.journal(deploy)
                progress.logger.info("vercel preview redeploy triggered",
                                     metadata: ["deployment": "\(deployment.id)", "branch": "\(source.branch ?? "?")"])
            }
        }
        return deploy
    }

    /// Waits until every redeploy is READY (production also with its alias).
    public func awaitLive(_ deploy: Deploy, of rollout: Rollout, in vercel: VercelAPI, _ progress: DeployProgress<Deploy>) async throws {
        for id in deploy.all {
            let first = if let seen = deploy.seen[id] { seen } else { try await vercel.deployment(id) }
            try await wait(for: first, using: vercel, progress)
            progress.logger.info("vercel deployment ready", metadata: ["deployment": "\(id)"])
        }
    }

    /// Waits for the journaled deployments; false when one failed (before or while this attempt watches
    /// it) or is gone, so that this attempt redeploys once on its own.
    public func resume(_ deploy: Deploy, of rollout: Rollout, in vercel: VercelAPI, _ progress: DeployProgress<Deploy>) async throws -> Bool {
        // A note journaled before every redeploy of the rollout was triggered does not cover it.
        if rollout.production && deploy.production == nil || rollout.previews && deploy.previews == nil { return false }
        do {
            for id in deploy.all {
                let deployment = try await vercel.deployment(id)
                progress.logger.info("resuming vercel deployment", metadata: ["deployment": "\(id)", "state": "\(deployment.readyState)"])
                try await wait(for: deployment, using: vercel, progress)
            }
            return true
        } catch let error as VercelError where error.reason == .notFound || error.reason == .deployFailed {
            progress.logger.info("earlier vercel deployment failed or is gone; redeploying")
            return false
        }
    }

    /// The deployment production serves (`targets.production`), which a redeploy rebuilds; refuses while
    /// an Instant Rollback is in force.
    func servedProduction(_ vercel: VercelAPI) async throws -> VercelAPI.Deployment {
        let serving = try await vercel.projectServing()
        if let rollback = serving.lastRollbackTarget {
            throw VercelError(.rollbackInForce, "\(label): project \(project) is under an Instant Rollback (production serves "
                              + "\(rollback.toDeploymentId ?? "an earlier deployment")); a redeploy would not go live, and promoting it "
                              + "would undo the rollback. Nothing was written. Promote a deployment in Vercel to end the rollback, "
                              + "then rotate again")
        }
        guard var served = serving.targets?.production else {
            throw VercelError(.nothingToRedeploy, "\(label): project \(project) serves no production deployment to redeploy; "
                              + "deploy it once from git, or set redeploy: false and deploy yourself")
        }
        if served.name == nil { served.name = serving.name }
        return served
    }

    /// The latest preview deployment of each branch (of `git_branch` only, when set) created within
    /// `previews_within`, newest first.
    private func activePreviews(_ vercel: VercelAPI) async throws -> [VercelAPI.DeploymentSummary] {
        // Vercel's timestamps come from Vercel's clock: compare with the wall clock, not the injectable one.
        let since = Date().addingTimeInterval(-previewsWithin.timeInterval)
        var branches: Set<String> = []
        var latest: [VercelAPI.DeploymentSummary] = []
        for deployment in try await vercel.previewDeployments(since: since) {
            guard let branch = deployment.branch, gitBranch == nil || branch == gitBranch, branches.insert(branch).inserted else { continue }
            latest.append(deployment)
        }
        return latest
    }

    private static let failedStates: Set<String> = ["ERROR", "CANCELED", "BLOCKED"]

    /// Polls until READY (and, for production, alias assigned), a failed state, failed checks, a staged or
    /// rolling release, or `endpoint.deployTimeout`.
    private func wait(for first: VercelAPI.Deployment, using vercel: VercelAPI, _ progress: DeployProgress<Deploy>) async throws {
        let clock = progress.context.clock
        var deployment = first
        while true {
            if Self.failedStates.contains(deployment.readyState) {
                let cause = [deployment.errorCode, deployment.errorMessage].compactMap { $0 }.joined(separator: ": ")
                throw VercelError(.deployFailed, "\(label): deployment \(deployment.id) ended \(deployment.readyState)"
                                  + (cause.isEmpty ? "" : " (\(vercel.http.scrub(cause)))")
                                  + "; the new value is stored in the project but not live; see the deployment in Vercel")
            }
            if deployment.checksConclusion == "failed" {
                throw VercelError(.deployFailed, "\(label): deployment \(deployment.id) failed its deployment checks (checksConclusion: "
                                  + "failed), so Vercel does not promote it; the new value is stored in the project but not live; "
                                  + "see the checks in Vercel")
            }
            if deployment.readyState == "READY", deployment.target == "production",
               let substate = deployment.readySubstate, ["STAGED", "ROLLING"].contains(substate) {
                let how = substate == "STAGED" ? "staged, not promoted to production" : "in a rolling release, serving part of the traffic"
                throw VercelError(.deployFailed, "\(label): deployment \(deployment.id) is READY but \(how); Rotor does not promote "
                                  + "deployments: promote it in Vercel, then run again")
            }
            if deployment.readyState == "READY" {
                if let aliasError = deployment.aliasError {
                    throw VercelError(.deployFailed, "\(label): deployment \(deployment.id) is READY but its production alias failed "
                                      + "(\(vercel.http.scrub(aliasError))); check the project's domains")
                }
                if deployment.target != "production" || deployment.aliasAssigned { return }
            }
            if clock.now.timeIntervalSince(progress.started) >= endpoint.deployTimeout.timeInterval {
                throw VercelError(.deployTimedOut, "\(label): deployment \(deployment.id) is still \(deployment.readyState) after "
                                  + "\(DurationText.format(endpoint.deployTimeout)) (deploy_timeout); raise it or check the build in Vercel")
            }
            try await clock.sleep(for: endpoint.pollInterval)
            deployment = try await vercel.deployment(deployment.id)
        }
    }

    /// The journal note naming the deployment a step started: `{"deploy":"dpl_…"}`.
    enum Checkpoint {
        struct Note: Codable {
            var deploy: String?
            var previews: [String]?
        }

        static func write(_ note: Note) -> String {
            String(decoding: (try? JSONEncoder().encode(note)) ?? Data(), as: UTF8.self)
        }

        static func read(_ text: String?) -> Note? {
            guard let text, let note = try? JSONDecoder().decode(Note.self, from: Data(text.utf8)),
                  note.deploy != nil || note.previews != nil else { return nil }
            return note
        }
    }
}
