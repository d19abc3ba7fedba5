import Foundation

/// `rotor compliance`: every managed secret and every active customer key against its maximum age.
public struct ComplianceReport: Sendable, Codable, Equatable {
    public struct Item: Sendable, Codable, Equatable {
        public var subject: String
        public var kind: String
        /// `ok`, `due_soon` (within the warning period), `overdue` (past max age, or past the deadline of what a rotation
        /// waits on a person for), `failing` (the last rotation failed,
        /// has not been possible, or is stuck past its `step_timeout`), `not_imported`.
        public var status: String
        public var ageDays: Double?
        public var maxAgeDays: Double
        public var lastRotation: Date?
        public var nextRotation: Date?
        public var skipsUsed: Int?

        enum CodingKeys: String, CodingKey {
            case subject, kind, status
            case ageDays = "age_days"
            case maxAgeDays = "max_age_days"
            case lastRotation = "last_rotation"
            case nextRotation = "next_rotation"
            case skipsUsed = "skips_used"
        }
    }

    public var generatedAt: Date
    public var items: [Item]
    /// Share of subjects within their maximum age.
    public var coverage: Double

    enum CodingKeys: String, CodingKey {
        case items, coverage
        case generatedAt = "generated_at"
    }

    public static func build(store: any Store, playbooks: [Playbook], now: Date, keyPolicy: (maxAge: Duration, warnBefore: Duration)?,
                             keyLimit: Int = 100_000) async throws -> ComplianceReport {
        try await store.transaction { tx in
            var items: [Item] = []
            for playbook in playbooks.sorted(by: { $0.secret < $1.secret }) where !playbook.isKeyTable {
                let maxAge = playbook.policy.maxAge.timeInterval
                let secret = try tx.secret(named: playbook.secret)
                let current = try tx.version(secretName: playbook.secret, label: .current)
                let rotations = try tx.rotations(secretName: playbook.secret)
                let lastDone = rotations.first { $0.state == .completed || $0.state == .grace }
                guard let current else {
                    items.append(Item(subject: playbook.secret, kind: "secret", status: "not_imported", ageDays: nil,
                                      maxAgeDays: maxAge / 86400, lastRotation: nil, nextRotation: nil, skipsUsed: nil))
                    continue
                }
                let born = SecretSchedule.cycleStart(of: current)
                let age = now.timeIntervalSince(born)
                let warn = playbook.schedule?.warnBefore.max()?.timeInterval ?? 7 * 86400
                var status = age > maxAge ? "overdue" : age > maxAge - warn ? "due_soon" : "ok"
                let newest = rotations.first
                let stuck = try StuckRotation.since(newest, lastStep: newest.flatMap { try tx.journal(rotationID: $0.id).last },
                                                    policy: playbook.policy, now: now)
                // A rotation waiting on a person is neither failing nor stuck; past the request's deadline it is overdue.
                let waiting = newest.flatMap { PersonRequest.of($0, playbook: playbook) }
                if waiting == nil, newest?.state == .failed || (newest?.state == .revoking && newest?.error != nil) || stuck != nil {
                    status = "failing"
                }
                if let waiting, now >= waiting.deadline { status = "overdue" }
                let synced = secret.map { SecretSchedule.synced($0, playbook: playbook, current: current, now: now) }
                items.append(Item(subject: playbook.secret, kind: "secret", status: status, ageDays: (age / 8640).rounded() / 10,
                                  maxAgeDays: maxAge / 86400, lastRotation: lastDone?.createdAt,
                                  nextRotation: SecretSchedule.nextRotation(secret, playbook: playbook, current: current,
                                                                            history: rotations, now: now),
                                  skipsUsed: synced?.skipsThisCycle))
            }
            if let keyPolicy {
                let maxAge = keyPolicy.maxAge.timeInterval
                var after: String?
                var seen = 0
                while seen < keyLimit {
                    let page = try tx.apiKeys(org: nil, status: .active, limit: 1000, afterID: after)
                    if page.isEmpty { break }
                    for key in page {
                        let age = now.timeIntervalSince(key.createdAt)
                        let status = age > maxAge ? "overdue" : age > maxAge - keyPolicy.warnBefore.timeInterval ? "due_soon" : "ok"
                        items.append(Item(subject: key.id, kind: "api_key", status: status, ageDays: (age / 8640).rounded() / 10,
                                          maxAgeDays: maxAge / 86400, lastRotation: key.rotatedFrom == nil ? nil : key.createdAt,
                                          nextRotation: key.createdAt.addingTimeInterval(maxAge - keyPolicy.warnBefore.timeInterval),
                                          skipsUsed: nil))
                    }
                    seen += page.count
                    after = page.last?.id
                }
            }
            let within = items.filter { $0.status == "ok" || $0.status == "due_soon" }.count
            let counted = items.filter { $0.status != "not_imported" }.count
            return ComplianceReport(generatedAt: now, items: items, coverage: counted == 0 ? 1 : Double(within) / Double(counted))
        }
    }
}
