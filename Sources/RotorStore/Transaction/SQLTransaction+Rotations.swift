import Foundation
import RotorCore

extension SQLTransaction {
    static let rotationColumns = """
        id, secret_name, "trigger", actor, reason, state, old_version_id, new_version_id, grace_ends_at, \
        revoke_immediately, lease_owner, lease_expires_at, fence, error, created_at, updated_at, completed_at
        """

    private var activeStateValues: [SQLValue] { RotationState.activeStates.map { SQLValue($0) } }
    private var activeStatePlaceholders: String { Self.placeholders(RotationState.activeStates.count) }

    func insertRotation(_ rotation: RotationRecord) throws {
        // DO NOTHING instead of an error on the one-active-rotation index: on PostgreSQL an error would abort the
        // transaction, and the caller needs to learn WHICH rotation is active (read below, in the same transaction).
        let result = try execute("""
            INSERT INTO rotations (\(Self.rotationColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """, rotation.sqlValues)
        guard result.affectedRows == 0 else { return }
        if try self.rotation(id: rotation.id) != nil {
            throw StoreError.constraintViolation("a rotation with id \(rotation.id) already exists")
        }
        if rotation.state.isActive, let active = try activeRotation(secretName: rotation.secretName) {
            throw StoreError.activeRotationExists(rotationID: active.id)
        }
        // The conflicting row was deleted between the insert and the reads above (PostgreSQL, read committed).
        throw StoreError.constraintViolation("rotation \(rotation.id) conflicted with a concurrent write; retry")
    }

    func rotation(id: String) throws -> RotationRecord? {
        try row("SELECT \(Self.rotationColumns) FROM rotations WHERE id = ?", [.text(id)]).map(RotationRecord.init(row:))
    }

    func rotations(secretName: String) throws -> [RotationRecord] {
        try rows(
            "SELECT \(Self.rotationColumns) FROM rotations WHERE secret_name = ? ORDER BY created_at DESC, id DESC",
            [.text(secretName)]
        ).map(RotationRecord.init(row:))
    }

    func activeRotation(secretName: String) throws -> RotationRecord? {
        try row(
            "SELECT \(Self.rotationColumns) FROM rotations WHERE secret_name = ? AND state IN (\(activeStatePlaceholders))",
            [.text(secretName)] + activeStateValues
        ).map(RotationRecord.init(row:))
    }

    func activeRotations() throws -> [RotationRecord] {
        try rotations(states: RotationState.activeStates)
    }

    func rotations(states: [RotationState]) throws -> [RotationRecord] {
        guard !states.isEmpty else { return [] }
        return try rows(
            "SELECT \(Self.rotationColumns) FROM rotations WHERE state IN (\(Self.placeholders(states.count))) ORDER BY created_at, id",
            states.map { SQLValue($0) }
        ).map(RotationRecord.init(row:))
    }

    func updateRotation(_ rotation: RotationRecord) throws {
        if rotation.state.isActive {
            let other = try row(
                "SELECT id FROM rotations WHERE secret_name = ? AND id <> ? AND state IN (\(activeStatePlaceholders))",
                [.text(rotation.secretName), .text(rotation.id)] + activeStateValues
            )
            if let other { throw StoreError.activeRotationExists(rotationID: try other.text("id")) }
        }
        let values = rotation.sqlValues
        let result = try execute("""
            UPDATE rotations SET secret_name = ?, "trigger" = ?, actor = ?, reason = ?, state = ?, old_version_id = ?,
                new_version_id = ?, grace_ends_at = ?, revoke_immediately = ?, lease_owner = ?, lease_expires_at = ?,
                fence = ?, error = ?, created_at = ?, updated_at = ?, completed_at = ?
            WHERE id = ?
            """, Array(values.dropFirst()) + [values[0]])
        guard result.affectedRows == 1 else { throw StoreError.notFound("rotation \(rotation.id)") }
    }

    func updateRotation(_ lease: RotationLease, _ change: RotationChange) throws {
        var assignments: [String] = []
        var values: [SQLValue] = []
        func set(_ column: String, _ value: SQLValue) {
            assignments.append("\(column) = ?")
            values.append(value)
        }
        if let state = change.state { set("state", SQLValue(state)) }
        if let error = change.error { set("error", SQLValue(error)) }
        if let newVersionID = change.newVersionID { set("new_version_id", SQLValue(newVersionID)) }
        if let graceEndsAt = change.graceEndsAt { set("grace_ends_at", SQLValue(graceEndsAt)) }
        switch change.lease {
        case .renew(let until)?: set("lease_expires_at", SQLValue(until))
        case .release?:
            set("lease_owner", .null)
            set("lease_expires_at", .null)
        case nil: break
        }
        if let updatedAt = change.updatedAt { set("updated_at", SQLValue(updatedAt)) }
        if let completedAt = change.completedAt { set("completed_at", SQLValue(completedAt)) }
        if let state = change.state, state.isActive {
            // The lease first (so a lost lease reports as such), then the one-active-rotation rule.
            try updateRotation(lease, RotationChange())
            let other = try row(
                """
                SELECT r.id FROM rotations r JOIN rotations me ON me.id = ? AND r.secret_name = me.secret_name
                WHERE r.id <> me.id AND r.state IN (\(activeStatePlaceholders))
                """,
                [.text(lease.rotationID)] + activeStateValues
            )
            if let other { throw StoreError.activeRotationExists(rotationID: try other.text("id")) }
        }
        // A change of nothing still locks the row and checks the lease: the fence of the transaction's other writes.
        if assignments.isEmpty { assignments.append("fence = fence") }
        // Compare-and-set on owner and fence: on PostgreSQL (read committed) an UPDATE that waited for a concurrent
        // claim re-checks this WHERE against the claimed row and matches nothing.
        let result = try execute(
            "UPDATE rotations SET \(assignments.joined(separator: ", ")) WHERE id = ? AND lease_owner = ? AND fence = ?",
            values + [.text(lease.rotationID), .text(lease.owner), SQLValue(lease.fence)]
        )
        guard result.affectedRows == 1 else { throw StoreError.leaseLost(rotationID: lease.rotationID) }
    }

    func claimRotation(id: String, owner: String, until: Date, now: Date) throws -> RotationRecord? {
        // SKIP LOCKED: a row another daemon is claiming (or working on) right now counts as held.
        guard let current = try row(
            "SELECT lease_owner, lease_expires_at FROM rotations WHERE id = ?\(dialect.forUpdateSkipLocked)", [.text(id)]
        ) else { return nil }
        let holder = try current.optionalText("lease_owner")
        let expires = try current.optionalDate("lease_expires_at")
        let free = holder == nil || holder == owner || expires.map { $0 <= now } ?? true
        guard free else { return nil }
        return try row("""
            UPDATE rotations SET lease_owner = ?, lease_expires_at = ?, fence = fence + 1 WHERE id = ?
            RETURNING \(Self.rotationColumns)
            """, [.text(owner), SQLValue(until), .text(id)]).map(RotationRecord.init(row:))
    }
}

extension RotationRecord {
    init(row: SQLRow) throws {
        self.init(
            id: try row.text("id"),
            secretName: try row.text("secret_name"),
            trigger: try row.value("trigger", as: RotationTrigger.self),
            actor: try row.text("actor"),
            reason: try row.optionalText("reason"),
            state: try row.value("state", as: RotationState.self),
            oldVersionID: try row.optionalText("old_version_id"),
            newVersionID: try row.optionalText("new_version_id"),
            graceEndsAt: try row.optionalDate("grace_ends_at"),
            revokeImmediately: try row.bool("revoke_immediately"),
            leaseOwner: try row.optionalText("lease_owner"),
            leaseExpiresAt: try row.optionalDate("lease_expires_at"),
            fence: try row.int64("fence"),
            error: try row.optionalText("error"),
            createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"),
            completedAt: try row.optionalDate("completed_at")
        )
    }

    /// The values in ``SQLTransaction/rotationColumns`` order.
    var sqlValues: [SQLValue] {
        [
            SQLValue(id), SQLValue(secretName), SQLValue(trigger), SQLValue(actor), SQLValue(reason), SQLValue(state),
            SQLValue(oldVersionID), SQLValue(newVersionID), SQLValue(graceEndsAt), SQLValue(revokeImmediately),
            SQLValue(leaseOwner), SQLValue(leaseExpiresAt), SQLValue(fence), SQLValue(error), SQLValue(createdAt),
            SQLValue(updatedAt), SQLValue(completedAt),
        ]
    }
}
