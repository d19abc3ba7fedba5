import Foundation
import RotorCore

extension SQLTransaction {
    static let replyTokenColumns = "id, token_hash, code_hash, secret_name, action, created_at, expires_at, used_at"

    func insertReplyToken(_ token: ReplyTokenRecord) throws {
        try execute("INSERT INTO reply_tokens (\(Self.replyTokenColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
            SQLValue(token.id), SQLValue(token.tokenHash), token.codeHash.map(SQLValue.blob) ?? .null, SQLValue(token.secretName),
            SQLValue(token.action), SQLValue(token.createdAt), SQLValue(token.expiresAt), SQLValue(token.usedAt),
        ])
    }

    func replyToken(hash: [UInt8]) throws -> ReplyTokenRecord? {
        try row("SELECT \(Self.replyTokenColumns) FROM reply_tokens WHERE token_hash = ?", [.blob(hash)]).map(ReplyTokenRecord.init(row:))
    }

    func replyToken(codeHash: [UInt8]) throws -> ReplyTokenRecord? {
        try row("SELECT \(Self.replyTokenColumns) FROM reply_tokens WHERE code_hash = ?", [.blob(codeHash)])
            .map(ReplyTokenRecord.init(row:))
    }

    func markReplyTokenUsed(id: String, at: Date) throws -> Bool {
        // One conditional UPDATE: on PostgreSQL a concurrent second update waits, re-reads used_at, and changes nothing.
        try execute(
            "UPDATE reply_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL", [SQLValue(at), .text(id)]
        ).affectedRows == 1
    }
}

extension ReplyTokenRecord {
    init(row: SQLRow) throws {
        self.init(
            id: try row.text("id"),
            tokenHash: try row.blob("token_hash"),
            codeHash: try row.optionalBlob("code_hash"),
            secretName: try row.text("secret_name"),
            action: try row.text("action"),
            createdAt: try row.date("created_at"),
            expiresAt: try row.date("expires_at"),
            usedAt: try row.optionalDate("used_at")
        )
    }
}
