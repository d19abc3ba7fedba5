import Foundation
import RotorCore
import RotorCrypto

/// Linking audit rows into the chain (``AuditChain``) as they are appended, and checking the chain.
///
/// The first append of a transaction locks the head row (`audit_chain`, FOR UPDATE on PostgreSQL; SQLite's
/// BEGIN IMMEDIATE already admits one writer) and reads the head; this transaction's rows then get the next ids and
/// are hashed in memory, a whole batch at once, and written with one multi-row INSERT whose trigger moves the head.
/// Other writers' first appends wait at the head until this transaction ends, so every row follows the row
/// committed before it. Callers append audit rows last in their transactions, so the head is held briefly and
/// never while waiting for another lock.
extension SQLTransaction {
    /// Rows read per statement when verifying or re-linking the chain.
    static let auditPage = 2_000

    static let auditChainColumns = "id, prev_hash, hash, mac"

    /// Links `events` after the head (stamped with this transaction's clock mark) and inserts them; returns them
    /// with their ids.
    func appendChained(_ events: [AuditEvent]) throws -> [AuditEvent] {
        guard !events.isEmpty else { return [] }
        var head = try lockedAuditHead()
        var links: [ChainedAuditEvent] = []
        links.reserveCapacity(events.count)
        for var event in events {
            event.simulatedNow = simulatedNow
            event.id = head.id + 1
            let link = AuditChain.link(event, after: head.hash, key: auditChainKey)
            links.append(link)
            head = AuditChainHead(id: head.id + 1, hash: link.hash ?? head.hash)
        }
        // Twice the usual values per statement (still far below both backends' limits): the chain's four columns
        // then cost no more statements than the row alone did.
        try insertRows(into: "audit_events", columns: Self.auditColumns + ", " + Self.auditChainColumns, width: 19, links.map { link in
            auditValues(link.event) + [SQLValue(link.event.id), SQLValue(link.prevHash), SQLValue(link.hash), SQLValue(link.mac)]
        }, valuesPerStatement: 2 * Self.valuesPerStatement)
        auditHead = head
        return links.map(\.event)
    }

    /// The head, locked for this transaction on first use and followed in memory after that.
    func lockedAuditHead() throws -> AuditChainHead {
        if let auditHead { return auditHead }
        guard let row = try row("SELECT last_id, head_hash FROM audit_chain WHERE id = 1" + dialect.forUpdate) else {
            throw StoreError.queryFailed("the audit_chain row is missing; the schema was altered by hand")
        }
        let head = AuditChainHead(id: try row.int64("last_id"), hash: try row.text("head_hash"))
        auditHead = head
        return head
    }

    /// Sets the chain fields of existing rows, many per statement (re-linking at migration, MACs when the key is new).
    func updateAuditLinks(_ links: [ChainedAuditEvent]) throws {
        try updateAuditRows(setting: ["prev_hash", "hash", "mac"], links.map { link in
            (link.event.id ?? 0, [SQLValue(link.prevHash), SQLValue(link.hash), SQLValue(link.mac)])
        })
    }

    /// Sets text `columns` of the rows with the given ids: one `UPDATE … FROM (VALUES …)` per few thousand values.
    func updateAuditRows(setting columns: [String], _ rows: [(id: Int64, values: [SQLValue])]) throws {
        let width = columns.count + 1
        let perStatement = Self.valuesPerStatement / width
        // VALUES columns are named column1… on both backends; the id is cast so PostgreSQL compares bigints.
        let assignments = columns.enumerated().map { "\($1) = v.column\($0 + 2)" }.joined(separator: ", ")
        let tuple = "(CAST(? AS BIGINT), " + Self.placeholders(columns.count) + ")"
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + perStatement, rows.count)]
            try execute("UPDATE audit_events SET \(assignments) FROM (VALUES "
                        + Array(repeating: tuple, count: chunk.count).joined(separator: ", ") + ") AS v WHERE audit_events.id = v.column1",
                        chunk.flatMap { [SQLValue.int($0.id)] + $0.values })
            start += perStatement
        }
    }

    /// Rows with `id > after`, oldest first, with their chain fields.
    func auditChainPage(after: Int64, limit: Int) throws -> [ChainedAuditEvent] {
        try rows("SELECT id, \(Self.auditColumns), prev_hash, hash, mac FROM audit_events WHERE id > ? ORDER BY id LIMIT ?",
                 [.int(after), SQLValue(limit)]).map(ChainedAuditEvent.init(row:))
    }

    func chainedAuditEvents(since: Date?, until: Date?) throws -> [ChainedAuditEvent] {
        var conditions: [String] = []
        var parameters: [SQLValue] = []
        if let since { conditions.append("at >= ?"); parameters.append(SQLValue(since)) }
        if let until { conditions.append("at < ?"); parameters.append(SQLValue(until)) }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try rows("SELECT id, \(Self.auditColumns), prev_hash, hash, mac FROM audit_events\(filter) ORDER BY at, id",
                        parameters).map(ChainedAuditEvent.init(row:))
    }

    /// Checks every row with `verifier`, oldest id first, a page at a time, until one fails; `visit` sees each row that
    /// passed.
    func walkAuditChain(_ verifier: inout AuditChainVerifier, visit: (ChainedAuditEvent) -> Void = { _ in }) throws {
        var after: Int64 = 0
        while verifier.isIntact {
            let page = try auditChainPage(after: after, limit: Self.auditPage)
            guard let last = page.last?.event.id else { break }
            for row in page {
                guard verifier.check(row) else { break }
                visit(row)
            }
            after = last
        }
    }

    func verifyAuditChain() throws -> AuditChainVerification {
        var verifier = AuditChainVerifier(key: auditChainKey)
        try walkAuditChain(&verifier)
        guard verifier.isIntact else { return verifier.result }
        guard let row = try row("SELECT last_id, head_hash FROM audit_chain WHERE id = 1") else {
            verifier.fail(id: nil, problem: "the chain head (table audit_chain) is missing: it was deleted")
            return verifier.result
        }
        let recorded = AuditChainHead(id: try row.int64("last_id"), hash: try row.text("head_hash"))
        let found = verifier.head.map { AuditChainHead(id: $0.id, hash: $0.hash) } ?? .genesis
        if recorded != found {
            verifier.fail(id: recorded.id, problem: recorded.id > found.id
                ? "the chain head records row \(recorded.id), but the log ends at row \(found.id): the newest rows were deleted"
                : "the chain head records row \(recorded.id) with another hash than the log's last row: the head or the rows were edited")
        }
        return verifier.result
    }

    /// Adds MACs under a chain key made just now to the rows that have none: the rows chained at migration, before
    /// any key existed. Only the transaction that ran that migration does this (see ``loadAuditChainKey``).
    /// Returns how many rows got one.
    @discardableResult
    func macUnkeyedAuditRows(key: HMACSHA256Key) throws -> Int {
        var after: Int64 = 0
        var count = 0
        while true {
            let page = try rows("SELECT id, hash FROM audit_events WHERE id > ? AND mac IS NULL ORDER BY id LIMIT ?",
                                [.int(after), SQLValue(Self.auditPage)])
            guard let last = page.last else { return count }
            after = try last.int64("id")
            let macs = try page.compactMap { row -> (id: Int64, values: [SQLValue])? in
                guard let hash = try row.optionalText("hash") else { return nil }
                return (try row.int64("id"), [.text(AuditChain.mac(hash: hash, key: key))])
            }
            try updateAuditRows(setting: ["mac"], macs)
            count += macs.count
        }
    }
}

extension ChainedAuditEvent {
    init(row: SQLRow) throws {
        self.init(event: try AuditEvent(row: row), prevHash: try row.optionalText("prev_hash"), hash: try row.optionalText("hash"),
                  mac: try row.optionalText("mac"))
    }
}
