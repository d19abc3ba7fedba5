import Foundation

extension RotationRunner {
    /// Audits who supplied the value of a rotation waiting in `awaiting_value` (never the value: the generate step
    /// that follows records its fingerprint and last 4).
    func recordSupply(_ record: RotationRecord, actor: String) async throws {
        let now = clock.now
        try await store.transaction { tx in
            try tx.appendAudit(AuditEvent(at: now, subject: record.secretName, subjectKind: "secret", action: "value.supplied",
                                          trigger: record.trigger.rawValue, actor: actor, outcome: "accepted",
                                          rotationID: record.id))
        }
    }

    /// This runner with the providers of `factory` (the one drive that follows a supply hands the value over so).
    func with(factory: any ProviderFactory) -> RotationRunner {
        RotationRunner(store: store, sealer: sealer, factory: factory, clock: clock, logger: logger,
                       configuration: configuration, observer: observer)
    }
}
