import Foundation

extension RotationRunner {
    /// Runs a batch of steps concurrently (targets of one provider at most `concurrencyPerProvider`
    /// at a time) and returns each step's failure reason, nil for success, in the order given.
    ///
    /// Throws only a ``SimulatedCrash``, once every step of the batch has settled: the "process died"
    /// right after the last of them, and nothing about the batch is persisted.
    func perform(_ steps: [RotationStep], record: RotationRecord, providers: ResolvedProviders, values: StepValues,
                 graceSeconds: Int64) async throws -> [(RotationStep, String?)] {
        var limiters: [String: AsyncLimiter] = [:]
        for step in steps {
            if let provider = providers.provider(of: step), limiters[provider] == nil {
                limiters[provider] = AsyncLimiter(limit: configuration.concurrencyPerProvider)
            }
        }
        let frozenLimiters = limiters
        let outcomes = await withTaskGroup(of: (Int, Result<String?, SimulatedCrash>).self) { group in
            for (index, step) in steps.enumerated() {
                group.addTask {
                    let work: @Sendable () async -> Result<String?, SimulatedCrash> = {
                        await self.performOne(step, record: record, providers: providers, values: values,
                                              graceSeconds: graceSeconds)
                    }
                    if let provider = providers.provider(of: step), let limiter = frozenLimiters[provider] {
                        return (index, await limiter.run(work))
                    }
                    return (index, await work())
                }
            }
            var results = [Result<String?, SimulatedCrash>](repeating: .success(nil), count: steps.count)
            for await (index, outcome) in group { results[index] = outcome }
            return results
        }
        return try zip(steps, outcomes).map { ($0, try $1.get()) }
    }

    /// One step, journaled before and after. Returns nil on success, else the reason (scrubbed of values);
    /// a simulated crash comes back as the failure of the result, with nothing journaled after it.
    private func performOne(_ step: RotationStep, record: RotationRecord, providers: ResolvedProviders,
                            values: StepValues, graceSeconds: Int64) async -> Result<String?, SimulatedCrash> {
        do {
            let lastCheckpoint = try await journalStarted(step, rotationID: record.id)
            try configuration.fault?.trip(.crashBefore, step)
            let run = StepRun(step: step, record: record, values: values, providers: providers,
                              context: context(for: step, record: record, values: values, lastCheckpoint: lastCheckpoint),
                              graceSeconds: graceSeconds, store: store, sealer: sealer, clock: clock,
                              fault: configuration.fault)
            let message = try await step.effect.perform(run)
            observer(.stepSucceeded(step, message: message))
            return .success(nil)
        } catch let crash as SimulatedCrash {
            return .failure(crash)
        } catch {
            let reason = values.scrub(String(describing: error))
            logger.warning("step failed", metadata: ["rotation": "\(record.id)", "step": "\(step.key)", "reason": "\(reason)"])
            await journalFailure(step, reason: reason, record: record)
            do throws(SimulatedCrash) {
                try configuration.fault?.trip(.crashAfter, step)
            } catch {
                return .failure(error)
            }
            observer(.stepFailed(step, message: "\(providers.label(of: step)): \(reason)"))
            return .success(reason)
        }
    }

    /// Journals `step` as started; returns the progress note an earlier attempt of it left, if any.
    private func journalStarted(_ step: RotationStep, rotationID: String) async throws -> String? {
        try await store.transaction { tx -> String? in
            let previous = try tx.journal(rotationID: rotationID).last {
                $0.step == step.key && $0.detail != nil && $0.phase == .started && !PriorJournal.isPrior($0.detail)
            }
            try tx.appendJournal(rotationID: rotationID, step: step.key, phase: .started, detail: nil, at: self.clock.now)
            return previous?.detail
        }
    }

    /// Journals and audits a failed step. A store that fails here is logged: the step's outcome stays
    /// unknown, which a later pass treats as "may have happened".
    private func journalFailure(_ step: RotationStep, reason: String, record: RotationRecord) async {
        let rotationID = record.id
        do {
            try await store.transaction { tx in
                try tx.appendJournal(rotationID: rotationID, step: step.key, phase: .failed, detail: reason, at: self.clock.now)
                try tx.appendAudit(AuditEvent(at: self.clock.now, subject: record.secretName, subjectKind: "secret",
                                              action: "step.\(step.key)", trigger: record.trigger.rawValue,
                                              actor: record.actor, reason: reason, outcome: "failed", rotationID: rotationID))
            }
        } catch {
            logger.error("could not journal a failed step", metadata: ["rotation": "\(rotationID)", "step": "\(step.key)"])
        }
    }

    /// What the providers learn about `step`; its checkpoints are journaled as progress notes of the step.
    private func context(for step: RotationStep, record: RotationRecord, values: StepValues,
                         lastCheckpoint: String?) -> StepContext {
        let rotationID = record.id
        let prior = PriorJournal(store: store, sealer: sealer, clock: clock, rotationID: rotationID, step: step)
        return StepContext(
            secret: record.secretName, rotationID: rotationID, step: step,
            idempotencyKey: "\(rotationID):\(step.key)", lastCheckpoint: lastCheckpoint,
            currentHandle: values.old?.summary.sourceHandle, logger: logger, clock: clock,
            checkpoint: { [store, clock] note in
                try await store.transaction { tx in
                    _ = try tx.appendJournal(rotationID: rotationID, step: step.key, phase: .started, detail: note, at: clock.now)
                }
            },
            hasPreviousVersion: values.old != nil,
            checkpointPrior: { try await prior.record($0) }, priorValue: { try await prior.read() })
    }
}
