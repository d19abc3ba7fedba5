import Foundation

/// Verifies an audit export offline (`rotor audit verify --file`): the JSON Lines or CSV that `rotor audit export`
/// writes, with its chain columns. Without the chain key only the hashes can be checked; the result's head hash is
/// what to compare with the one `rotor audit verify` printed on the server.
///
/// JSON Lines keeps every value exactly. CSV cannot tell an empty value from none (both are an empty field, read as
/// none) and guards formulas with a leading `'` (removed again here); a CSV printed to a terminal has control
/// characters escaped, so verify a CSV written with `--out`.
public enum AuditChainFile {
    /// Checks every row of `data`, in id order.
    public static func verify(_ data: Data) -> AuditChainVerification {
        var verifier = AuditChainVerifier(key: nil)
        let text = String(decoding: data, as: UTF8.self)
        let parsed: [(line: Int, row: Result<ChainedAuditEvent, FileProblem>)]
        let first = text.unicodeScalars.first { !CharacterSet.whitespacesAndNewlines.contains($0) }
        parsed = first == "{" ? jsonLines(text) : csv(text)
        var rows: [ChainedAuditEvent] = []
        for (line, row) in parsed {
            switch row {
            case .success(let row): rows.append(row)
            case .failure(let problem):
                verifier.fail(id: nil, problem: "line \(line): \(problem.message)")
                return verifier.result
            }
        }
        if rows.isEmpty {
            verifier.fail(id: nil, problem: "the file holds no audit rows (is it an export of `rotor audit export`?)")
            return verifier.result
        }
        // An export is ordered by time; the chain by id.
        rows.sort { ($0.event.id ?? .min) < ($1.event.id ?? .min) }
        var seen: Int64?
        for row in rows {
            if let id = row.event.id, id == seen {
                verifier.fail(id: id, problem: "two rows have id \(id): one of them was inserted")
                break
            }
            seen = row.event.id
            if !verifier.check(row) { break }
        }
        return verifier.result
    }

    struct FileProblem: Error {
        let message: String
    }

    /// One object per line; blank lines are skipped.
    static func jsonLines(_ text: String) -> [(line: Int, row: Result<ChainedAuditEvent, FileProblem>)] {
        var out: [(Int, Result<ChainedAuditEvent, FileProblem>)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                out.append((index + 1, .failure(FileProblem(message: "not a JSON object"))))
                return out
            }
            let value: (String) -> Any? = { object[$0].flatMap { $0 is NSNull ? nil : $0 } }
            out.append((index + 1, row(value, line: index + 1)))
        }
        return out
    }

    /// RFC 4180 with a header row naming the columns.
    static func csv(_ text: String) -> [(line: Int, row: Result<ChainedAuditEvent, FileProblem>)] {
        let records = CSVRecords.parse(text)
        guard let header = records.first?.fields else { return [] }
        var out: [(Int, Result<ChainedAuditEvent, FileProblem>)] = []
        for record in records.dropFirst() where record.fields != [""] {
            guard record.fields.count == header.count else {
                out.append((record.line, .failure(FileProblem(message: "\(record.fields.count) fields, the header has \(header.count)"))))
                return out
            }
            var object: [String: String] = [:]
            for (name, field) in zip(header, record.fields) where !field.isEmpty { object[name] = unguarded(field) }
            out.append((record.line, row({ object[$0] }, line: record.line)))
        }
        return out
    }

    /// Removes the `'` the export puts before a value a spreadsheet would run as a formula.
    static func unguarded(_ field: String) -> String {
        guard field.hasPrefix("'"), let next = field.unicodeScalars.dropFirst().first, "=+-@\t\r".unicodeScalars.contains(next) else {
            return field
        }
        return String(field.dropFirst())
    }

    private static func row(_ value: (String) -> Any?, line: Int) -> Result<ChainedAuditEvent, FileProblem> {
        func text(_ name: String) -> String? { value(name).map { $0 as? String ?? "\($0)" } }
        func integer(_ name: String) -> Int64? {
            if let number = value(name) as? NSNumber, !(value(name) is Bool) { return number.int64Value }
            return text(name).flatMap { Int64($0) }
        }
        guard let id = integer("id"), let at = integer("at_ms") else {
            return .failure(FileProblem(message: "no id or at_ms: export again with this version of rotor"))
        }
        guard let subject = text("subject"), let kind = text("subject_kind"), let action = text("action"),
              let actor = text("actor"), let outcome = text("outcome") else {
            return .failure(FileProblem(message: "subject, subject_kind, action, actor and outcome are required"))
        }
        let simulated = (value("simulated_now") as? Bool) ?? (text("simulated_now") == "true")
        let event = AuditEvent(id: id, at: Date(timeIntervalSince1970: Double(at) / 1000), subject: subject, subjectKind: kind,
                               action: action, oldFingerprint: text("old_fingerprint"), oldLast4: text("old_last4"),
                               newFingerprint: text("new_fingerprint"), newLast4: text("new_last4"), trigger: text("trigger"),
                               actor: actor, reason: text("reason"), outcome: outcome, rotationID: text("rotation_id"),
                               detail: text("detail"), simulatedNow: simulated)
        return .success(ChainedAuditEvent(event: event, prevHash: text("prev_hash"), hash: text("hash"), mac: text("mac")))
    }
}
