/// Indexes for reading the audit log by action and by actor (the dashboard's audit filters, the overview's rotations
/// per month), each ordered by time and id so a filtered page is one index range. The action index compares bytes
/// (see ``SQLDialect/binaryCollation``): "the actions under `a`" is then the range from "a." to "a/". On SQLite every
/// index already ends with the row id.
enum AuditFilterIndexesMigration {
    static let migration = Migration(version: 11, name: "audit filter indexes", sql: { d in
        let id = d == .postgres ? ", id" : ""
        return """
            CREATE INDEX audit_events_by_action ON audit_events (action\(d.binaryCollation), at\(id));
            CREATE INDEX audit_events_by_actor ON audit_events (actor, at\(id));
            """
    })
}
