import Foundation
import Logging

/// What an `EnvVarTarget`'s deploy requirements share within one step: the step, its logger naming the
/// target, when getting live began, and the journal.
public struct DeployProgress<Deploy: Sendable>: Sendable {
    /// The step the deploy serves.
    public let context: StepContext
    /// The step's logger, with the target in its metadata.
    public let logger: Logger
    /// When getting live began: the deploy timeout counts from here, across a resumed deploy and a new one.
    public let started: Date
    private let record: @Sendable (Deploy) async throws -> Void

    /// - Parameter record: journals a deploy; `EnvVarTarget` passes one that writes the target's note
    ///   through `StepContext.checkpoint`.
    public init(context: StepContext, logger: Logger, started: Date, record: @escaping @Sendable (Deploy) async throws -> Void) {
        self.context = context
        self.logger = logger
        self.started = started
        self.record = record
    }

    /// Journals `deploy` (all of it: every deploy started so far), so that a step resumed after a crash
    /// polls it instead of deploying again.
    public func journal(_ deploy: Deploy) async throws {
        try await record(deploy)
    }
}
