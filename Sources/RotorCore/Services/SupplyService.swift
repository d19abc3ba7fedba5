import Foundation
import Logging

/// Hands a person's new value to a rotation waiting in `awaiting_value`, for `rotor supply` and the supply link
/// alike: the value is checked (the source's `expect`, then its `test` request) before anything changes, then the
/// rotation goes on in this process: the generate step seals the value, then propagate → verify → grace as usual.
/// A refused value changes nothing: the rotation keeps waiting.
public struct SupplyService: Sendable {
    let store: any Store
    let runner: RotationRunner
    let clock: any RotorClock
    let logger: Logger

    public init(store: any Store, runner: RotationRunner, clock: any RotorClock, logger: Logger) {
        self.store = store
        self.runner = runner
        self.clock = clock
        self.logger = logger
    }

    /// The rotation of `playbook`'s secret that waits for a value; throws ``SupplyError`` when there is none.
    public func waitingRotation(_ playbook: Playbook) async throws -> RotationRecord {
        guard playbook.awaitsValue else { throw SupplyError.notManual(secret: playbook.secret) }
        let active = try await store.transaction { try $0.activeRotation(secretName: playbook.secret) }
        guard let active, active.state == .awaitingValue else { throw SupplyError.nothingRequested(secret: playbook.secret) }
        return active
    }

    /// Checks `value` and, when it passes, drives the waiting rotation (`rotationID`, when given, must be the one
    /// waiting: a supply link is bound to its rotation). `claim` runs between the check and the drive (a supply link
    /// is used up there, so that a refused value leaves it usable); false stops with ``SupplyError/linkUsed``.
    /// Throws ``ValueRefusal`` (the value was refused; nothing changed) or ``SupplyError``.
    public func supply(_ playbook: Playbook, value: SecretValue, actor: String, rotationID: String? = nil,
                       claim: (@Sendable () async throws -> Bool)? = nil) async throws -> RotationOutcome {
        let waiting = try await waitingRotation(playbook)
        if let rotationID, rotationID != waiting.id { throw SupplyError.nothingRequested(secret: playbook.secret) }
        guard let source = try runner.factory.source(for: playbook) as? any SuppliedValueSource else {
            throw SupplyError.notManual(secret: playbook.secret)
        }
        try await source.check(value, clock: clock)
        if let claim, !(try await claim()) { throw SupplyError.linkUsed }
        logger.notice("value supplied", metadata: ["secret": "\(playbook.secret)", "rotation": "\(waiting.id)", "actor": "\(actor)"])
        let supplied = runner.with(factory: SuppliedValueFactory(base: runner.factory, source: source.supplying(value)))
        return try await supplied.drive(rotationID: waiting.id, playbook: playbook, entry: .valueSupplied(actor: actor))
    }
}
