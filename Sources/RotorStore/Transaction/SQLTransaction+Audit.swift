import Foundation
import RotorCore

extension SQLTransaction {
    static let auditColumns = """
        at, subject, subject_kind, action, old_fingerprint, old_last4, new_fingerprint, new_last4, "trigger", actor, \
        reason, outcome, rotation_id, detail, simulated_now
        """

    /// Appends `event`, marked `simulated_now` when this transaction runs under a time-travelling clock.
    @discardableResult
    func appendAudit(_ event: AuditEvent) throws -> AuditEvent {
        var event = event
        event.simulatedNow = simulatedNow
        guard let row = try row("""
            INSERT INTO audit_events (\(Self.auditColumns)) VALUES (\(Self.placeholders(15))) RETURNING id
            """, auditValues(event)) else {
            throw StoreError.queryFailed("appending an audit event returned no id")
        }
        var stored = event
        stored.id = try row.int64("id")
        return stored
    }

    /// `event`'s values in ``auditColumns`` order, marked as this transaction's clock says.
    func auditValues(_ e: AuditEvent) -> [SQLValue] {
        [SQLValue(e.at), SQLValue(e.subject), SQLValue(e.subjectKind), SQLValue(e.action), SQLValue(e.oldFingerprint),
         SQLValue(e.oldLast4), SQLValue(e.newFingerprint), SQLValue(e.newLast4), SQLValue(e.trigger), SQLValue(e.actor),
         SQLValue(e.reason), SQLValue(e.outcome), SQLValue(e.rotationID), SQLValue(e.detail), .int(simulatedNow ? 1 : 0)]
    }

    func auditEvents(since: Date?, until: Date?, subject: String?, limit: Int?) throws -> [AuditEvent] {
        var conditions: [String] = []
        var parameters: [SQLValue] = []
        if let subject {
            conditions.append("subject = ?")
            parameters.append(.text(subject))
        }
        if let since {
            conditions.append("at >= ?")
            parameters.append(SQLValue(since))
        }
        if let until {
            conditions.append("at < ?")
            parameters.append(SQLValue(until))
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        var sql = "SELECT id, \(Self.auditColumns) FROM audit_events\(filter) ORDER BY at, id"
        if let limit {
            sql += " LIMIT ?"
            parameters.append(SQLValue(max(0, limit)))
        }
        return try rows(sql, parameters).map(AuditEvent.init(row:))
    }
    /// The period report's range scan (`audit_events_by_at`), for `actions` action names.
    static func auditEventsInPeriodQuery(actions: Int) -> String {
        "SELECT id, \(auditColumns) FROM audit_events WHERE at >= ? AND at < ? AND action IN (\(placeholders(actions)))"
            + " ORDER BY at, id LIMIT ?"
    }

    /// The newest (`newest`) or oldest event of a subject on one side of a time (`audit_events_by_subject`).
    static func auditEventOfSubjectQuery(actions: Int, newest: Bool) -> String {
        "SELECT id, \(auditColumns) FROM audit_events WHERE subject = ? AND at \(newest ? "<" : ">=") ?"
            + " AND action IN (\(placeholders(actions))) ORDER BY \(newest ? "at DESC, id DESC" : "at, id") LIMIT 1"
    }

    func auditEvents(since: Date, until: Date, actions: [String], limit: Int) throws -> [AuditEvent] {
        guard !actions.isEmpty else { return [] }
        return try rows(Self.auditEventsInPeriodQuery(actions: actions.count),
                        [SQLValue(since), SQLValue(until)] + actions.map(SQLValue.text) + [SQLValue(max(0, limit))])
            .map(AuditEvent.init(row:))
    }

    func latestAuditEvent(subject: String, before: Date, actions: [String]) throws -> AuditEvent? {
        guard !actions.isEmpty else { return nil }
        return try row(Self.auditEventOfSubjectQuery(actions: actions.count, newest: true),
                       [.text(subject), SQLValue(before)] + actions.map(SQLValue.text)).map(AuditEvent.init(row:))
    }

    func earliestAuditEvent(subject: String, since: Date, actions: [String]) throws -> AuditEvent? {
        guard !actions.isEmpty else { return nil }
        return try row(Self.auditEventOfSubjectQuery(actions: actions.count, newest: false),
                       [.text(subject), SQLValue(since)] + actions.map(SQLValue.text)).map(AuditEvent.init(row:))
    }
}

extension AuditEvent {
    init(row: SQLRow) throws {
        self.init(
            id: try row.int64("id"),
            at: try row.date("at"),
            subject: try row.text("subject"),
            subjectKind: try row.text("subject_kind"),
            action: try row.text("action"),
            oldFingerprint: try row.optionalText("old_fingerprint"),
            oldLast4: try row.optionalText("old_last4"),
            newFingerprint: try row.optionalText("new_fingerprint"),
            newLast4: try row.optionalText("new_last4"),
            trigger: try row.optionalText("trigger"),
            actor: try row.text("actor"),
            reason: try row.optionalText("reason"),
            outcome: try row.text("outcome"),
            rotationID: try row.optionalText("rotation_id"),
            detail: try row.optionalText("detail"),
            simulatedNow: try row.int64("simulated_now") != 0
        )
    }
}
