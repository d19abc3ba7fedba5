import Foundation
import Logging
import RotorCore

/// Gets a set of Render services live on deploys created after a variable was written.
///
/// Triggers run one after another, each journaled at once through `DeployProgress.journal`, so a crash
/// between two triggers loses nothing; polls run concurrently, so an env group linked to many services
/// takes about as long as its slowest deploy. A deploy an earlier attempt journaled is polled, not
/// repeated; only if it failed or was superseded is the service deployed anew.
struct RenderDeployer: Sendable {
    let render: RenderAPI
    let label: String
    let deployTimeout: Duration
    let pollInterval: Duration
    /// The services to get live, and when the variable was written.
    let rollout: RenderTarget.Rollout
    let progress: DeployProgress<RenderTarget.Deploy>

    private var context: StepContext { progress.context }
    private var logger: Logger { progress.logger }

    /// How often one service is deployed anew after its deploy was superseded, before giving up.
    private static let maxTriggersPerService = 3
    /// How many successive newer deploys are followed before deploying anew.
    private static let maxFollowsPerService = 10

    private enum Outcome: Sendable {
        case live
        /// `deactivated` before this step saw it live, or gone: another deploy replaced it.
        case superseded
        case failed(status: String)
    }

    /// What the loop knows about each service's deploy.
    private struct State {
        /// The deploy each service is waiting for; none yet for a service still to trigger.
        var current: [String: String]
        /// Services whose deploy an earlier attempt journaled and this one has not seen end yet.
        var inherited: Set<String>
        var triggers: [String: Int] = [:]
        var follows: [String: Int] = [:]
    }

    /// Triggers a deploy of every service, one after another, journaling each at once.
    func triggerAll() async throws -> [String: String] {
        var state = State(current: [:], inherited: [])
        try await triggerMissing(rollout.services, &state)
        return state.current
    }

    /// Waits until every service is live on a deploy. `deploys` are those triggered so far, `inherited`
    /// the ones of them an earlier attempt journaled; a service without one is deployed first.
    func awaitLive(_ deploys: [String: String], inherited: Set<String>) async throws {
        var state = State(current: deploys, inherited: inherited)
        // A deploy this attempt triggered counts against the service's limit.
        for service in deploys.keys where !inherited.contains(service) { state.triggers[service] = 1 }
        var pending = rollout.services
        while !pending.isEmpty {
            try await triggerMissing(pending, &state)
            if !state.inherited.isEmpty {
                logger.info("resuming render deploys", metadata: ["deploys": "\(state.current.filter { state.inherited.contains($0.key) })"])
            }
            let current = state.current
            let inherited = state.inherited
            let outcomes = try await withThrowingTaskGroup(of: (String, Outcome).self) { group in
                for service in pending {
                    let id = current[service]!
                    let resumed = inherited.contains(service)
                    group.addTask { (service, try await self.wait(service: service, deploy: id, resumed: resumed)) }
                }
                var outcomes: [String: Outcome] = [:]
                for try await (service, outcome) in group { outcomes[service] = outcome }
                return outcomes
            }
            pending = try await settle(pending, outcomes, &state)
        }
    }

    /// Triggers and journals a deploy of each service in `services` that has none.
    private func triggerMissing(_ services: [String], _ state: inout State) async throws {
        for service in services where state.current[service] == nil {
            state.triggers[service, default: 0] += 1
            guard state.triggers[service]! <= Self.maxTriggersPerService else {
                throw RenderError(.deployFailed, "\(label): every deploy of \(service) was superseded by another one "
                                  + "(\(Self.maxTriggersPerService) tries); check what else deploys it and run again")
            }
            state.current[service] = try await trigger(service)
            try await progress.journal(state.current)
        }
    }

    /// Acts on one round's outcomes; returns the services to wait for again, or throws when a deploy failed.
    private func settle(_ pending: [String], _ outcomes: [String: Outcome], _ state: inout State) async throws -> [String] {
        var again: [String] = []
        var failures: [String] = []
        for service in pending {
            switch outcomes[service]! {
            case .live:
                logger.info("render deploy live", metadata: ["service": "\(service)", "deploy": "\(state.current[service]!)"])
            case .superseded:
                // Another deploy replaced ours (a second target of this rotation, such as an env group linked to
                // this service, deployed it too). A deploy created after our write carries our value: follow it
                // rather than deploying again, which would only supersede the other one in turn.
                let replaced = state.current[service]!
                if state.follows[service, default: 0] < Self.maxFollowsPerService,
                   let successor = try await successor(of: replaced, service: service, since: rollout.writtenBy) {
                    state.follows[service, default: 0] += 1
                    logger.info("render deploy superseded; following the newer deploy",
                                metadata: ["service": "\(service)", "deploy": "\(replaced)", "successor": "\(successor)"])
                    state.current[service] = successor
                    try await progress.journal(state.current)
                } else {
                    logger.info("render deploy superseded; deploying anew", metadata: ["service": "\(service)", "deploy": "\(replaced)"])
                    state.current[service] = nil
                }
                again.append(service)
            case .failed(let status) where state.inherited.contains(service):
                logger.info("earlier render deploy failed; deploying anew",
                            metadata: ["service": "\(service)", "deploy": "\(state.current[service]!)", "status": "\(status)"])
                state.current[service] = nil
                again.append(service)
            case .failed(let status):
                failures.append("deploy \(state.current[service]!) of \(service) ended \(status)")
            }
            state.inherited.remove(service)
        }
        if !failures.isEmpty {
            throw RenderError(.deployFailed, "\(label): \(failures.joined(separator: "; ")); the new value is stored "
                              + "but not live there; see the deploy logs in Render")
        }
        return again
    }

    /// Triggers a deploy and returns its id, finding it by listing when Render answers 202.
    private func trigger(_ service: String) async throws -> String {
        // Render's timestamps come from Render's clock, so the search below compares them with the wall
        // clock, not the injectable one (which may be shifted for `rotor tick --now`).
        let triggeredAt = Date()
        switch try await render.triggerDeploy(service: service) {
        case .created(let deploy):
            logger.info("render deploy triggered", metadata: ["service": "\(service)", "deploy": "\(deploy.id)"])
            return deploy.id
        case .queued:
            // Allow a little clock skew between Rotor and Render; a deploy created that close to the trigger
            // was created after the variable was written, so it carries the new value either way.
            let since = triggeredAt.addingTimeInterval(-1)
            for attempt in 0..<10 {
                if attempt > 0 { try await context.clock.sleep(for: pollInterval) }
                let newestFirst = try await render.recentDeploys(service: service)
                if let deploy = newestFirst.first(where: { ($0.created ?? .distantPast) >= since }) {
                    logger.info("render deploy queued", metadata: ["service": "\(service)", "deploy": "\(deploy.id)"])
                    return deploy.id
                }
            }
            throw RenderError(.unexpectedResponse, status: 202,
                              "\(label): Render accepted a deploy of \(service) (202) but it never appeared in the service's "
                              + "deploy list; check the service in Render and run again")
        }
    }

    /// The newest deploy of `service` other than `replaced` that was created after the variable was written.
    private func successor(of replaced: String, service: String, since written: Date) async throws -> String? {
        try await render.recentDeploys(service: service)
            .first { $0.id != replaced && ($0.created ?? .distantPast) >= written && !Self.failedStatuses.contains($0.status) }?.id
    }

    private static let failedStatuses: Set<String> = ["build_failed", "update_failed", "pre_deploy_failed", "canceled"]

    /// Polls one deploy until it is live, failed or superseded, or `deployTimeout` has passed.
    private func wait(service: String, deploy id: String, resumed: Bool) async throws -> Outcome {
        while true {
            let deploy: RenderAPI.Deploy
            do {
                deploy = try await render.deploy(service: service, id: id)
            } catch let error as RenderError where error.reason == .notFound && resumed {
                return .superseded
            }
            switch deploy.status {
            case "live": return .live
            case "deactivated": return .superseded
            case let status where Self.failedStatuses.contains(status): return .failed(status: status)
            default: break
            }
            if context.clock.now.timeIntervalSince(progress.started) >= deployTimeout.timeInterval {
                throw RenderError(.deployTimedOut, "\(label): deploy \(id) of \(service) is still \(deploy.status) after "
                                  + "\(DurationText.format(deployTimeout)) (deploy_timeout); raise it or check the deploy in Render")
            }
            try await context.clock.sleep(for: pollInterval)
        }
    }
}
