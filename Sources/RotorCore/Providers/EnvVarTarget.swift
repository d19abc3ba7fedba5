import Foundation
import Logging

/// A target that holds the secret in an environment variable at a hosting vendor and deploys so the value
/// goes live (Render, Vercel).
///
/// The extension implements `apply`, `restore` and `read` once for every vendor. Before a rotation's first
/// write to the target, `apply` reads what the variable holds (`readPrior`) and journals it sealed through
/// `StepContext.checkpointPrior`; `restore` puts back exactly that (`writeBack`), and does nothing when the
/// rotation never wrote. Getting live resumes the deploy an earlier attempt of the step journaled, and
/// triggers one only when there is none, or it failed or is gone; a triggered deploy is journaled through
/// `StepContext.checkpoint` as soon as it exists, so a step resumed after a crash polls it instead of
/// deploying again.
///
/// A conforming type supplies only what differs per vendor, each against one `Session`: reading, writing,
/// writing back, triggering and awaiting a deploy, and the journal note.
public protocol EnvVarTarget: SecretTarget {
    /// The vendor's API for one operation, with the target's credential resolved and every secret
    /// registered for redaction. It holds a credential, so it lives only as long as the operation.
    associatedtype Session: Sendable
    /// What a write leaves to deploy, such as the services that read the variable.
    associatedtype Rollout: Sendable
    /// The deploy a rollout started, as the journal names it: one deployment, or one deploy per service.
    associatedtype Deploy: Sendable
    /// What the variable held before a rotation's first write: values, and whatever else a restore must
    /// put back (Vercel's type and target lists). Journaled sealed; it holds values.
    associatedtype Prior: Codable & Sendable

    /// Opens a session. `secrets`, the values about to be written or read back, are kept out of logs and
    /// errors like the credential.
    func session(secrets: [SecretValue]) async throws -> Session

    /// Reads what the variable holds now, before anything is written. Throws, before anything is
    /// written, when it could not be put back (`context.hasPreviousVersion` tells whether Rotor's store
    /// holds the value in use), or when the target must not be written now.
    func readPrior(in session: Session, _ context: StepContext) async throws -> Prior

    /// The values `prior` holds, to keep out of logs and errors.
    func secrets(of prior: Prior) -> [SecretValue]

    /// Writes `value` to the variable. Returns what must be deployed for it to go live, or nil when
    /// this target does not deploy (or nothing reads the variable).
    func write(_ value: SecretValue, in session: Session, _ context: StepContext) async throws -> Rollout?

    /// Puts back exactly what `prior` holds, removing only what the rotation created. `previous` is the
    /// value Rotor's store held before the rotation, for what `readPrior` could not read.
    func writeBack(_ prior: Prior, previous: SecretValue?, in session: Session, _ context: StepContext) async throws -> Rollout?

    /// What the variable holds now, read without changing anything.
    func readNow(in session: Session) async throws -> TargetReading

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
    /// Journals what the variable holds (once per rotation), writes `value`, then deploys and waits until
    /// it is live (or resumes the deploy the step journaled).
    public func apply(_ value: SecretValue, _ context: StepContext) async throws {
        let session = try await session(secrets: [value])
        let logger = logger(context)
        // A resumed step may already have written: what it read before its first write is what counts.
        if try await context.priorValue() == nil {
            let prior = try await readPrior(in: session, context)
            try await context.checkpointPrior(Array(try JSONEncoder().encode(prior)))
        }
        let rollout = try await write(value, in: session, context)
        logger.info("\(provider) variable written", metadata: ["fingerprint": "\(value.fingerprint)"])
        guard let rollout else { return }
        try await goLive(rollout, in: session, context, logger: logger)
    }

    /// Puts back what the variable held before this rotation's first write, then deploys and waits the
    /// same way. `previous` serves only for what could not be read then (a Vercel `sensitive` value).
    public func restore(_ previous: SecretValue?, _ context: StepContext) async throws {
        let logger = logger(context)
        guard let bytes = try await context.priorValue() else {
            // The prior value is journaled before the first write, so this rotation never wrote here. The
            // read only makes a target that cannot be reached fail the step rather than pass unseen.
            _ = try await read()
            logger.info("\(provider) variable was never written by this rotation; nothing to put back")
            return
        }
        let prior = try JSONDecoder().decode(Prior.self, from: Data(bytes))
        let session = try await session(secrets: secrets(of: prior) + (previous.map { [$0] } ?? []))
        let rollout = try await writeBack(prior, previous: previous, in: session, context)
        logger.info("\(provider) variable put back as it was before the rotation")
        guard let rollout else { return }
        try await goLive(rollout, in: session, context, logger: logger)
    }

    /// What the variable holds now, read without changing anything.
    public func read() async throws -> TargetReading {
        try await readNow(in: try await session(secrets: []))
    }

    private func logger(_ context: StepContext) -> Logger {
        var logger = context.logger
        logger[metadataKey: "target"] = "\(label)"
        return logger
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
