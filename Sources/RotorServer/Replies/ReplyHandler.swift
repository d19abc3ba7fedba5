import Foundation
import Logging
import RotorCore

/// The one path every reply takes, by link or by text: find the token, refuse it (audited) or use it
/// up, then act through ``SkipService`` — the same rule as `rotor skip`.
struct ReplyHandler: Sendable {
    /// A token that passed every check, with its playbook.
    struct Valid: Sendable {
        var token: ReplyTokenRecord
        var playbook: Playbook
        /// When the secret rotates now (before the reply acts).
        var nextRotationAt: Date?
    }

    /// How a token is presented.
    enum Key: Sendable {
        /// The token of a signed link.
        case link(String)
        /// The short code of a text reply.
        case code(String)

        var via: String {
            switch self {
            case .link: "link"
            case .code: "reply"
            }
        }

        /// Whether the request that presents it is authenticated apart from the token: a text reply
        /// comes signed by the bridge; anyone can present a link.
        var isAuthenticated: Bool {
            switch self {
            case .link: false
            case .code: true
            }
        }
    }

    /// What a reply did, as the page and the JSON answer report it.
    struct Answer: Sendable, Encodable {
        var outcome: String
        var secret: String
        var nextRotationAt: Date
        var capped: Bool
        var skipsUsed: Int?
        var maxSkips: Int?
        var message: String

        enum CodingKeys: String, CodingKey {
            case outcome, secret, capped, message
            case nextRotationAt = "next_rotation_at"
            case skipsUsed = "skips_used"
            case maxSkips = "max_skips"
        }
    }

    let dependencies: ServiceDependencies

    init(dependencies: ServiceDependencies) {
        self.dependencies = dependencies
    }

    /// Links carry 32 characters; anything far longer is not a token and is not hashed.
    static let maxTokenLength = 256

    /// Looks the token up without changing anything (the confirmation page).
    func inspect(_ key: Key) async throws -> Result<Valid, ReplyRefusal> {
        let now = dependencies.clock.now
        let lookup = lookupOperation(key)
        let playbooks = dependencies.playbooks
        return try await dependencies.store.transaction { tx in
            try Self.check(try lookup(tx), playbooks: playbooks, now: now, secret: { try tx.secret(named: $0)?.nextRotationAt })
        }
    }

    /// A refused claim: why, and the audit event that tells it.
    struct Refused: Error {
        var refusal: ReplyRefusal
        var event: AuditEvent
    }

    /// Checks the token and marks it used, in one transaction: of two concurrent replies only one gets
    /// `.success`. A refusal of a text reply (the bridge signed it) is audited in the same transaction; a
    /// refused link is anonymous, and its event is left to the caller to audit in aggregate.
    func claim(_ key: Key, actor: String) async throws -> Result<Valid, Refused> {
        let now = dependencies.clock.now
        let lookup = lookupOperation(key)
        let playbooks = dependencies.playbooks
        let via = key.via
        let authenticated = key.isAuthenticated
        return try await dependencies.store.transaction { tx in
            let record = try lookup(tx)
            var result = try Self.check(record, playbooks: playbooks, now: now,
                                    secret: { try tx.secret(named: $0)?.nextRotationAt })
            if case .success(let valid) = result, !(try tx.markReplyTokenUsed(id: valid.token.id, at: now)) {
                result = .failure(.used(nil))
            }
            switch result {
            case .success(let valid):
                return .success(valid)
            case .failure(let refusal):
                let event = Self.refusalEvent(refusal, token: record, via: via, actor: actor, at: now)
                if authenticated { try tx.appendAudit(event) }
                return .failure(Refused(refusal: refusal, event: event))
            }
        }
    }

    /// Acts on a claimed token. A refusal by the skip rule (max skips, not imported) becomes a 409 and an
    /// audit event; the token stays used, because it was used up before acting so that it can act only once.
    func perform(_ command: ReplyCommand, on valid: Valid, actor: String, via: String) async throws -> Answer {
        let skips = SkipService(store: dependencies.store, clock: dependencies.clock)
        let playbook = valid.playbook
        do {
            switch command {
            case .skip(let duration):
                let outcome = try await skips.skip(playbook, for: duration, reason: "SKIP by \(via) from the advance warning",
                                                   actor: actor, via: via)
                return Answer(outcome: "skipped", secret: playbook.secret, nextRotationAt: outcome.newDate, capped: outcome.capped,
                              skipsUsed: outcome.skipsUsed, maxSkips: outcome.maxSkips, message: outcome.message)
            case .rotateNow:
                let due = try await skips.rotateNow(playbook, actor: actor, via: via)
                return Answer(outcome: "rotate-now", secret: playbook.secret, nextRotationAt: due, capped: false,
                              skipsUsed: nil, maxSkips: nil,
                              message: "\(playbook.secret) is due now: the next scheduler pass starts its rotation"
                                + (playbook.schedule?.window.map { " inside its window \($0)" } ?? ""))
            }
        } catch let error as SkipError {
            let refusal = ReplyRefusal.actionRefused("\(error)")
            let event = Self.refusalEvent(refusal, token: valid.token, via: via, actor: actor, at: dependencies.clock.now)
            _ = try await dependencies.store.transaction { try $0.appendAudit(event) }
            throw refusal.error
        }
    }

    // MARK: Checks

    private func lookupOperation(_ key: Key) -> @Sendable (any StoreTransaction) throws -> ReplyTokenRecord? {
        switch key {
        case .link(let token):
            guard !token.isEmpty, token.utf8.count <= Self.maxTokenLength else { return { _ in nil } }
            let hash = dependencies.replyTokens.hash(token)
            return { try $0.replyToken(hash: hash) }
        case .code(let code):
            let normalized = ReplyTokens.normalizedCode(code)
            guard !normalized.isEmpty, normalized.utf8.count <= 64 else { return { _ in nil } }
            let hash = dependencies.replyTokens.codeHash(normalized)
            return { try $0.replyToken(codeHash: hash) }
        }
    }

    private static func check(_ record: ReplyTokenRecord?, playbooks: [String: Playbook], now: Date,
                              secret: (String) throws -> Date?) rethrows -> Result<Valid, ReplyRefusal> {
        guard let record else { return .failure(.unknown) }
        if let used = record.usedAt { return .failure(.used(used)) }
        if record.expiresAt <= now { return .failure(.expired(record.expiresAt)) }
        guard let playbook = playbooks[record.secretName] else { return .failure(.notManaged(record.secretName)) }
        return .success(Valid(token: record, playbook: playbook, nextRotationAt: try secret(record.secretName)))
    }

    static func refusalEvent(_ refusal: ReplyRefusal, token: ReplyTokenRecord?, via: String, actor: String, at now: Date) -> AuditEvent {
        AuditEvent(at: now, subject: token?.secretName ?? "reply", subjectKind: token == nil ? "system" : "secret",
                   action: "reply.refused", actor: actor, reason: refusal.auditReason, outcome: "refused",
                   detail: "via \(via)" + (token.map { "; token \($0.id) (\($0.action))" } ?? ""))
    }

    /// The audit event of a text reply refused before any token was looked at (bad signature, stale timestamp).
    func unauthenticatedEvent(reason: String, actor: String) -> AuditEvent {
        AuditEvent(at: dependencies.clock.now, subject: "reply", subjectKind: "system", action: "reply.refused",
                   actor: actor, reason: reason, outcome: "refused", detail: "via reply")
    }
}
