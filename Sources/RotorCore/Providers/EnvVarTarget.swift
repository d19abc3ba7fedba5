import Foundation
import Logging

/// A target that holds the secret in an environment variable at a hosting vendor and deploys so the value
/// goes live (Render, Vercel).
///
/// The extension implements `apply` and `restore` once for every vendor: write the value (restore: write
/// the previous one back, or remove the variable when there was none), then get it live. Getting live
/// resumes the deploy an earlier attempt of the step journaled, and triggers one only when there is none,
/// or it failed or is gone; a triggered deploy is journaled through `StepContext.checkpoint` as soon as
/// it exists, so a step resumed after a crash polls it instead of deploying again.
///
/// A conforming type supplies only what differs per vendor, each against one `Session`: writing,
/// removing, triggering and awaiting a deploy, and the journal note. Reading what the variable holds now
/// fits the same shape, as one more requirement taking a `Session`.
public protocol EnvVarTarget: SecretTarget {
    /// The vendor's API for one operation, with the target's credential resolved and every secret
    /// registered for redaction. It holds a credential, so it lives only as long as the operation.
    associatedtype Session: Sendable
    /// What a write leaves to deploy, such as the services that read the variable.
    associatedtype Rollout: Sendable
    /// The deploy a rollout started, as the journal names it: one deployment, or one deploy per service.
    associatedtype Deploy: Sendable

    /// Opens a session. `value`, the value about to be written (nil for a removal), is kept out of logs
    /// and errors like the credential.
    func session(writing value: SecretValue?) async throws -> Session

    /// Writes `value` to the variable. Returns what must be deployed for it to go live, or nil when
    /// this target does not deploy (or nothing reads the variable).
    func write(_ value: SecretValue, in session: Session, _ context: StepContext) async throws -> Rollout?

    /// Removes the variable; one already absent counts as removed. Returns what must be deployed for the
    /// removal to go live, or nil.
    func remove(in session: Session, _ context: StepContext) async throws -> Rollout?

    /// The deploy a journal note names for `rollout`, or nil when it names none (or cannot be read).
    func deploy(journaledIn note: String, for rollout: Rollout) -> Deploy?

    /// The journal note naming `deploy`: JSON, never a secret.
    func note(for deploy: Deploy, of rollout: Rollout) -> String

    /// Triggers the deploy of `rollout`, journaling it through `progress.journal` as soon as it exists
    /// (for a deploy per service: after each service's).
    func triggerDeploy(_ rollout: Rollout, in session: Session, _ progress: DeployProgress<Deploy>) async throws -> Deploy

    /// Polls the deploy `triggerDeploy` returned until it is live; throws when it failed, or when it is
    /// still not live after the target's deploy timeout, counted from `progress.started`.
    func awaitLive(_ deploy: Deploy, of rollout: Rollout, in session: Session, _ progress: DeployProgress<Deploy>) async throws

    /// Like `awaitLive`, for a deploy an earlier attempt of this step journaled. Returns false when that
    /// deploy failed or is gone, so that the rollout is deployed anew; true once it is live.
    func resume(_ deploy: Deploy, of rollout: Rollout, in session: Session, _ progress: DeployProgress<Deploy>) async throws -> Bool
}

extension EnvVarTarget {
    /// Writes `value`, then deploys and waits until it is live (or resumes the deploy the step journaled).
    public func apply(_ value: SecretValue, _ context: StepContext) async throws {
        try await converge(to: value, context)
    }

    /// Writes `previous` back (nil: removes the variable), then deploys and waits the same way.
    public func restore(_ previous: SecretValue?, _ context: StepContext) async throws {
        try await converge(to: previous, context)
    }

    /// Writes (or with nil removes) the variable, then gets the change live.
    private func converge(to value: SecretValue?, _ context: StepContext) async throws {
        let session = try await session(writing: value)
        var logger = context.logger
        logger[metadataKey: "target"] = "\(label)"
        let rollout: Rollout?
        if let value {
            rollout = try await write(value, in: session, context)
            logger.info("\(provider) variable written", metadata: ["fingerprint": "\(value.fingerprint)"])
        } else {
            rollout = try await remove(in: session, context)
            logger.info("\(provider) variable removed")
        }
        guard let rollout else { return }
        try await goLive(rollout, in: session, context, logger: logger)
    }

    /// Resumes the journaled deploy, or triggers one and waits for it.
    private func goLive(_ rollout: Rollout, in session: Session, _ context: StepContext, logger: Logger) async throws {
        let progress = DeployProgress<Deploy>(context: context, logger: logger, started: context.clock.now) { deploy in
            try await context.checkpoint(note(for: deploy, of: rollout))
        }
        // The earlier attempt's deploy gets its chance to finish; if it failed or is gone, this attempt
        // deploys on its own.
        if let earlier = context.lastCheckpoint.flatMap({ deploy(journaledIn: $0, for: rollout) }),
           try await resume(earlier, of: rollout, in: session, progress) {
            return
        }
        let triggered = try await triggerDeploy(rollout, in: session, progress)
        try await awaitLive(triggered, of: rollout, in: session, progress)
    }
}
