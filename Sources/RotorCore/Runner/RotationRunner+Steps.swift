import Foundation

extension RotationRunner {
    /// Runs a batch of steps concurrently (targets of one provider at most `concurrencyPerProvider`
    /// at a time) and returns each step's failure reason, nil for success, in the order given.
    ///
    /// Throws, once every step of the batch has settled and with nothing about the batch persisted: a
    /// ``SimulatedCrash`` (the "process died" right after the last of them), ``RunnerError/Code/leaseLost``
    /// (another process took the rotation over; the batch was cancelled), or `CancellationError` (an abort that
    /// leaves the rotation resumable, never a failure that starts a rollback).
    func perform(_ steps: [RotationStep], record: RotationRecord, lease: RotationLease, providers: ResolvedProviders,
                 values: StepValues, graceSeconds: Int64, alerting: RotationAlerts? = nil) async throws -> [(RotationStep, String?)] {
        try await withHeartbeat(lease) {
            try await performBatch(steps, record: record, lease: lease, providers: providers, values: values,
                                   graceSeconds: graceSeconds, alerting: alerting)
        }
    }

    private func performBatch(_ steps: [RotationStep], record: RotationRecord, lease: RotationLease,
                              providers: ResolvedProviders, values: StepValues, graceSeconds: Int64,
                              alerting: RotationAlerts?) async throws -> [(RotationStep, String?)] {
        var limiters: [String: AsyncLimiter] = [:]
        for step in steps {
            if let provider = providers.provider(of: step), limiters[provider] == nil {
                limiters[provider] = AsyncLimiter(limit: configuration.concurrencyPerProvider)
            }
        }
        let frozenLimiters = limiters
        let outcomes = await withTaskGroup(of: (Int, Result<String?, any Error>).self) { group in
            for (index, step) in steps.enumerated() {
                group.addTask {
                    let work: @Sendable () async -> Result<String?, any Error> = {
                        await self.performOne(step, record: record, lease: lease, providers: providers,
                                              values: values, graceSeconds: graceSeconds, alerting: alerting)
                    }
                    if let provider = providers.provider(of: step), let limiter = frozenLimiters[provider] {
                        return (index, await limiter.run(work))
                    }
                    return (index, await work())
                }
            }
            var results = [Result<String?, any Error>](repeating: .success(nil), count: steps.count)
            for await (index, outcome) in group { results[index] = outcome }
            return results
        }
        // A lost lease outranks the rest: it says why nothing more may be written.
        for case .failure(let error) in outcomes where (error as? RunnerError)?.code == .leaseLost { throw error }
        return try zip(steps, outcomes).map { ($0, try $1.get()) }
    }

    /// One step, journaled before and after. Returns nil on success, else the reason (scrubbed of values);
    /// a simulated crash, a lost lease or a cancellation comes back as the failure of the result, with nothing
    /// journaled after it.
    private func performOne(_ step: RotationStep, record: RotationRecord, lease: RotationLease,
                            providers: ResolvedProviders, values: StepValues, graceSeconds: Int64,
                            alerting: RotationAlerts?) async -> Result<String?, any Error> {
        let started = ContinuousClock.now
        defer {
            RotorMetrics.stepFinished(provider: providers.metricProvider(of: step), step: RotorMetrics.stepLabel(step),
                                      duration: ContinuousClock.now - started)
        }
        do {
            let lastCheckpoint = try await journalStarted(step, lease: lease)
            try configuration.fault?.trip(.crashBefore, step)
            let context = context(for: step, record: record, lease: lease, values: values, lastCheckpoint: lastCheckpoint)
            let run = StepRun(step: step, record: record, lease: lease, values: values, providers: providers,
                              context: context, graceSeconds: graceSeconds, store: store, sealer: sealer, clock: clock,
                              fault: configuration.fault, alerting: alerting)
            let message = try await step.effect.perform(run)
            let skipped = step == .revokeOld && !providers.source.canRevoke && values.old != nil
                && !(providers.source is any SuppliedValueSource)
            observer(skipped ? .stepSkipped(step, message: message) : .stepSucceeded(step, message: message))
            return .success(nil)
        } catch let crash as SimulatedCrash {
            return .failure(crash)
        } catch where Self.isAbort(error) {
            logger.notice("step aborted", metadata: ["rotation": "\(record.id)", "step": "\(step.key)"])
            if let store = error as? StoreError, store.code == .leaseLost {
                return .failure(RunnerError.leaseLost(rotationID: record.id, owner: "another process"))
            }
            return .failure((error as? RunnerError)?.code == .leaseLost ? error : CancellationError())
        } catch {
            let reason = values.scrub(String(describing: error))
            // A revoke that waits on a person is not a failure to shout about: the rotation says what it waits for.
            let waiting = error is RevokePending
            logger.log(level: waiting ? .info : .warning, waiting ? "step waits on a person" : "step failed",
                       metadata: ["rotation": "\(record.id)", "step": "\(step.key)", "reason": "\(reason)"])
            await journalFailure(step, reason: reason, record: record, lease: lease)
            do throws(SimulatedCrash) {
                try configuration.fault?.trip(.crashAfter, step)
            } catch {
                return .failure(error)
            }
            if !waiting { observer(.stepFailed(step, message: providers.describe(step, reason))) }
            return .success(reason)
        }
    }

    /// Journals `step` as started; returns the progress note an earlier attempt of it left, if any.
    private func journalStarted(_ step: RotationStep, lease: RotationLease) async throws -> String? {
        try await fenced(lease) { tx -> String? in
            try tx.requireLease(lease)
            let previous = try tx.journal(rotationID: lease.rotationID).last {
                $0.step == step.key && $0.detail != nil && $0.phase == .started && !PriorJournal.isPrior($0.detail)
            }
            try tx.appendJournal(lease, step: step.key, phase: .started, detail: nil, at: self.clock.now)
            return previous?.detail
        }
    }

    /// Journals and audits a failed step. A store that fails here is logged: the step's outcome stays
    /// unknown, which a later pass treats as "may have happened".
    private func journalFailure(_ step: RotationStep, reason: String, record: RotationRecord, lease: RotationLease) async {
        let rotationID = record.id
        do {
            try await store.transaction { tx in
                try tx.appendJournal(lease, step: step.key, phase: .failed, detail: reason, at: self.clock.now)
                try tx.appendAudit(AuditEvent(at: self.clock.now, subject: record.secretName, subjectKind: "secret",
                                              action: "step.\(step.key)", trigger: record.trigger.rawValue,
                                              actor: record.actor, reason: reason, outcome: "failed", rotationID: rotationID))
            }
        } catch {
            logger.error("could not journal a failed step", metadata: ["rotation": "\(rotationID)", "step": "\(step.key)"])
        }
    }

    /// What the providers learn about `step`; its checkpoints are journaled as progress notes of the step, and
    /// renew the lease (a provider that checkpoints while it waits keeps it however long the wait).
    private func context(for step: RotationStep, record: RotationRecord, lease: RotationLease, values: StepValues,
                         lastCheckpoint: String?) -> StepContext {
        let rotationID = record.id
        let prior = PriorJournal(store: store, sealer: sealer, clock: clock, rotationID: rotationID, step: step)
        let ttl = configuration.leaseDuration.timeInterval
        return StepContext(
            secret: record.secretName, rotationID: rotationID, step: step,
            idempotencyKey: "\(rotationID):\(step.key)", lastCheckpoint: lastCheckpoint,
            currentHandle: values.old?.summary.sourceHandle, currentValue: step == .generate ? values.old?.value : nil,
            logger: logger, clock: clock,
            checkpoint: { [self] note in
                try await fenced(lease) { tx in
                    try tx.updateRotation(lease, RotationChange(lease: .renew(until: clock.now.addingTimeInterval(ttl))))
                    _ = try tx.appendJournal(lease, step: step.key, phase: .started, detail: note, at: clock.now)
                }
            },
            hasPreviousVersion: values.old != nil,
            checkpointPrior: { try await prior.record($0) }, priorValue: { try await prior.read() })
    }
}
