import RotorCore
/// The tamper-evident audit log (``AuditChain``): each row gets `prev_hash`, `hash` and `mac`, and one row,
/// `audit_chain`, holds the chain's head (last id and hash). Appenders lock that row first, so concurrent writers
/// form one chain; a trigger moves the head with every insert of a chained row, so an append costs no statement of its own
/// (a row inserted by hand, without a hash, leaves the head where it was and shows up in verification).
///
/// The rows already there are chained in id order by ``chainExistingRows(_:)``. Their MACs need the chain key, which
/// lives sealed under the master key: the first opening that holds the master key creates the key and adds them.
enum AuditChainMigration {
    static let migration = Migration(version: 8, name: "audit hash chain", sql: sql, after: chainExistingRows)

    private static func sql(_ d: SQLDialect) -> String {
        let start = """
            ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
            ALTER TABLE audit_events ADD COLUMN hash TEXT;
            ALTER TABLE audit_events ADD COLUMN mac TEXT;
            CREATE TABLE audit_chain (
                id         INTEGER PRIMARY KEY CHECK (id = 1),
                last_id    BIGINT NOT NULL,
                head_hash  TEXT NOT NULL
            );
            INSERT INTO audit_chain (id, last_id, head_hash) VALUES (1, 0, '\(AuditChainHead.genesis.hash)');

            """
        switch d {
        case .sqlite:
            // Row-level: SQLite updates the one head row in place, cheaply.
            return start + """
                CREATE TRIGGER audit_chain_advance AFTER INSERT ON audit_events BEGIN
                    UPDATE audit_chain SET last_id = NEW.id, head_hash = NEW.hash WHERE id = 1 AND NEW.id > last_id AND NEW.hash IS NOT NULL;
                END;
                """
        case .postgres:
            // Statement-level with the inserted rows as a table: one head update per statement, not one per row
            // (thousands of updates of one row in one transaction would each walk its growing version chain).
            return start + """
                CREATE FUNCTION audit_chain_advance() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE audit_chain SET last_id = newest.id, head_hash = newest.hash
                    FROM (SELECT id, hash FROM audit_chain_inserted WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1) AS newest
                    WHERE audit_chain.id = 1 AND newest.id > audit_chain.last_id;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER audit_chain_advance AFTER INSERT ON audit_events
                    REFERENCING NEW TABLE AS audit_chain_inserted FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_advance();
                """
        }
    }

    /// Links every existing row, oldest id first, without MACs, and points the head at the last.
    static func chainExistingRows(_ tx: SQLTransaction) throws {
        var head = AuditChainHead.genesis
        while true {
            let page = try tx.rows("SELECT id, \(SQLTransaction.auditColumns) FROM audit_events WHERE id > ? ORDER BY id LIMIT ?",
                                   [.int(head.id), .int(Int64(SQLTransaction.auditPage))]).map(AuditEvent.init(row:))
            guard !page.isEmpty else { break }
            var links: [ChainedAuditEvent] = []
            for event in page {
                let link = AuditChain.link(event, after: head.hash, key: nil)
                links.append(link)
                head = AuditChainHead(id: event.id ?? head.id, hash: link.hash ?? head.hash)
            }
            try tx.updateAuditLinks(links)
        }
        try tx.execute("UPDATE audit_chain SET last_id = ?, head_hash = ? WHERE id = 1", [.int(head.id), .text(head.hash)])
    }
}
