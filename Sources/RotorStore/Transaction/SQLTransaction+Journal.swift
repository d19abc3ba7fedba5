import Foundation
import RotorCore

extension SQLTransaction {
    @discardableResult
    func appendJournal(rotationID: String, step: String, phase: JournalPhase, detail: String?, at: Date) throws -> JournalEntry {
        // Locking the rotation row serialises appenders on PostgreSQL, so two can never compute the same next seq.
        guard try row("SELECT id FROM rotations WHERE id = ?\(dialect.forUpdate)", [.text(rotationID)]) != nil else {
            throw StoreError.notFound("rotation \(rotationID)")
        }
        let next = try row(
            "SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM rotation_steps WHERE rotation_id = ?", [.text(rotationID)]
        )?.int("next") ?? 1
        let entry = JournalEntry(rotationID: rotationID, seq: next, step: step, phase: phase, detail: detail, at: at)
        try execute(
            "INSERT INTO rotation_steps (rotation_id, seq, step, phase, detail, at) VALUES (?, ?, ?, ?, ?, ?)",
            [.text(rotationID), SQLValue(next), .text(step), SQLValue(phase), SQLValue(detail), SQLValue(at)]
        )
        return entry
    }

    func journal(rotationID: String) throws -> [JournalEntry] {
        try rows(
            "SELECT rotation_id, seq, step, phase, detail, at FROM rotation_steps WHERE rotation_id = ? ORDER BY seq",
            [.text(rotationID)]
        ).map { row in
            JournalEntry(
                rotationID: try row.text("rotation_id"),
                seq: try row.int("seq"),
                step: try row.text("step"),
                phase: try row.value("phase", as: JournalPhase.self),
                detail: try row.optionalText("detail"),
                at: try row.date("at")
            )
        }
    }
}
