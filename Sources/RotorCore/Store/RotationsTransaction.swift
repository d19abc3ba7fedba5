import Foundation

/// The rotations and their journals, inside one store transaction (see ``StoreTransaction``).
public protocol RotationsTransaction {
    // MARK: Rotations

    /// Inserts a rotation. A second active rotation for one secret throws
    /// ``StoreError/activeRotationExists(rotationID:)`` naming the active one.
    func insertRotation(_ rotation: RotationRecord) throws
    func rotation(id: String) throws -> RotationRecord?
    /// Every rotation of the secret, newest first.
    func rotations(secretName: String) throws -> [RotationRecord]
    /// The secret's active rotation (see ``RotationState/isActive``), if any.
    func activeRotation(secretName: String) throws -> RotationRecord?
    /// Every active rotation, oldest first.
    func activeRotations() throws -> [RotationRecord]
    /// Every rotation in one of `states`, oldest first.
    func rotations(states: [RotationState]) throws -> [RotationRecord]
    /// Replaces the rotation with the same id; ``StoreError/Code/notFound`` if there is none,
    /// ``StoreError/activeRotationExists(rotationID:)`` if it would make a second active rotation.
    func updateRotation(_ rotation: RotationRecord) throws
    /// Takes the lease if it is free, expired, or already ours: sets owner/expiry, fence += 1, returns the updated
    /// record; nil if held by another (or if the rotation does not exist).
    /// On PostgreSQL the row is selected with `FOR UPDATE SKIP LOCKED`, so a row another daemon is claiming
    /// right now counts as held.
    func claimRotation(id: String, owner: String, until: Date, now: Date) throws -> RotationRecord?
    /// Sets only the columns `change` names, if `lease` still holds the rotation (same lease owner and fence:
    /// compare-and-set); else throws ``StoreError/leaseLost(rotationID:)`` and changes nothing. Locks the row
    /// until the transaction ends, so the transaction's other writes are fenced too. Making the rotation
    /// active beside another active one throws ``StoreError/activeRotationExists(rotationID:)``.
    func updateRotation(_ lease: RotationLease, _ change: RotationChange) throws

    // MARK: Journal

    /// Appends a journal entry with the next `seq` of that rotation (1 for the first).
    @discardableResult
    func appendJournal(rotationID: String, step: String, phase: JournalPhase, detail: String?, at: Date) throws -> JournalEntry
    /// The rotation's journal, by `seq`.
    func journal(rotationID: String) throws -> [JournalEntry]
}

extension RotationsTransaction {
    /// Throws ``StoreError/leaseLost(rotationID:)`` unless `lease` still holds its rotation, and keeps the row
    /// locked until the transaction ends: call it first in a transaction whose writes belong to the lease holder.
    public func requireLease(_ lease: RotationLease) throws {
        try updateRotation(lease, RotationChange())
    }

    /// ``appendJournal(rotationID:step:phase:detail:at:)`` for the holder of `lease` only.
    @discardableResult
    public func appendJournal(_ lease: RotationLease, step: String, phase: JournalPhase, detail: String?,
                              at: Date) throws -> JournalEntry {
        try requireLease(lease)
        return try appendJournal(rotationID: lease.rotationID, step: step, phase: phase, detail: detail, at: at)
    }
}
