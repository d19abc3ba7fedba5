import Foundation
import Logging
import RotorCore

/// Getting a written variable live: redeploying production and waiting until it is READY.
extension VercelTarget {
    /// A production redeploy in flight.
    public struct Deploy: Sendable {
        /// The deployment id (dpl_…), which the journal holds.
        let id: String
        /// The deployment as the trigger answered it, so the first look needs no request; nil when it
        /// comes from the journal.
        let seen: VercelAPI.Deployment?
    }

    /// The deployment a journal note `{"deploy":"dpl_…"}` names.
    public func deploy(journaledIn note: String, for rollout: Rollout) -> Deploy? {
        Checkpoint.read(note).map { Deploy(id: $0, seen: nil) }
    }

    /// `{"deploy":"dpl_…"}`.
    public func note(for deploy: Deploy, of rollout: Rollout) -> String {
        Checkpoint.write(deploy.id)
    }

    /// Redeploys the latest READY production deployment and journals the new one.
    public func triggerDeploy(_ rollout: Rollout, in vercel: VercelAPI, _ progress: DeployProgress<Deploy>) async throws -> Deploy {
        guard let source = try await vercel.latestProductionDeployment() else {
            throw VercelError(.nothingToRedeploy, "\(label): project \(project) has no READY production deployment to redeploy; "
                              + "deploy it once from git, or set redeploy: false and deploy yourself")
        }
        let deployment = try await vercel.redeploy(source)
        let deploy = Deploy(id: deployment.id, seen: deployment)
        try await progress.journal(deploy)
        progress.logger.info("vercel redeploy triggered", metadata: ["deployment": "\(deployment.id)", "from": "\(source.uid)"])
        return deploy
    }

    /// Waits until the redeploy is READY with its production alias.
    public func awaitLive(_ deploy: Deploy, of rollout: Rollout, in vercel: VercelAPI, _ progress: DeployProgress<Deploy>) async throws {
        let first: VercelAPI.Deployment
        if let seen = deploy.seen { first = seen } else { first = try await vercel.deployment(deploy.id) }
        try await wait(for: first, using: vercel, progress)
        progress.logger.info("vercel deployment ready", metadata: ["deployment": "\(deploy.id)"])
    }

    /// Waits for the journaled deployment; false when it failed (before or while this attempt watches
    /// it) or is gone, so that this attempt deploys once on its own.
    public func resume(_ deploy: Deploy, of rollout: Rollout, in vercel: VercelAPI, _ progress: DeployProgress<Deploy>) async throws -> Bool {
        do {
            let deployment = try await vercel.deployment(deploy.id)
            progress.logger.info("resuming vercel deployment", metadata: ["deployment": "\(deploy.id)", "state": "\(deployment.readyState)"])
            try await wait(for: deployment, using: vercel, progress)
            return true
        } catch let error as VercelError where error.reason == .notFound || error.reason == .deployFailed {
            progress.logger.info("earlier vercel deployment failed or is gone; redeploying", metadata: ["deployment": "\(deploy.id)"])
            return false
        }
    }

    private static let failedStates: Set<String> = ["ERROR", "CANCELED", "BLOCKED"]

    /// Polls until READY (and, for production, alias assigned), a failed state, or `deployTimeout`.
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
            if deployment.readyState == "READY" {
                if let aliasError = deployment.aliasError {
                    throw VercelError(.deployFailed, "\(label): deployment \(deployment.id) is READY but its production alias failed "
                                      + "(\(vercel.http.scrub(aliasError))); check the project's domains")
                }
                if deployment.target != "production" || deployment.aliasAssigned { return }
            }
            if clock.now.timeIntervalSince(progress.started) >= deployTimeout.timeInterval {
                throw VercelError(.deployTimedOut, "\(label): deployment \(deployment.id) is still \(deployment.readyState) after "
                                  + "\(DurationText.format(deployTimeout)) (deploy_timeout); raise it or check the build in Vercel")
            }
            try await clock.sleep(for: pollInterval)
            deployment = try await vercel.deployment(deployment.id)
        }
    }

    /// The journal note naming the deployment a step started: `{"deploy":"dpl_…"}`.
    enum Checkpoint {
        private struct Note: Codable { var deploy: String }

        static func write(_ deployment: String) -> String {
            String(decoding: (try? JSONEncoder().encode(Note(deploy: deployment))) ?? Data(), as: UTF8.self)
        }

        static func read(_ text: String?) -> String? {
            guard let text else { return nil }
            return (try? JSONDecoder().decode(Note.self, from: Data(text.utf8)))?.deploy
        }
    }
}
