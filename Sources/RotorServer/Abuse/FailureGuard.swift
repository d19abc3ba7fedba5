import Foundation
import Hummingbird
import Logging
import RotorCore
import Synchronization

/// What the service does about failed attempts: counts them per client address (``FailureLimiter``),
/// answers 429 with `Retry-After` past the limit, and audits refused anonymous requests in aggregate
/// (``RefusalLedger``) so that a flood cannot fill the audit log.
final class FailureGuard: Sendable {
    private let limiter: FailureLimiter
    private let ledger: Mutex<RefusalLedger>
    private let store: any Store
    private let clock: any RotorClock

    init(limits: ServiceLimits, store: any Store, clock: any RotorClock) {
        limiter = FailureLimiter(limit: limits.failuresPerWindow, window: limits.window, capacity: limits.trackedAddresses)
        ledger = Mutex(RefusalLedger(window: limits.window, capacity: limits.trackedAddresses))
        self.store = store
        self.clock = clock
    }

    /// Checked before a request that could be a guess is evaluated: throws 429 when `context`'s address
    /// has used up its failures in this window. Cheap when it has not: no lock (see ``FailureLimiter``).
    func admit(_ kind: RefusalKind, _ context: RotorRequestContext, html: Bool = false) async throws {
        let address = context.client
        let now = clock.now
        guard let wait = limiter.retryAfter(address, now: now) else { return }
        try await audit(kind, from: address, reason: "over the failure limit", first: nil, at: now)
        throw Self.tooManyFailures(retryAfter: wait, html: html)
    }

    /// Counts a failed attempt of `context`'s address and audits it: `event` on its own when it is the
    /// first of its window for this address and kind, otherwise in the window's summary row.
    /// Returns the 429 to answer instead, for endpoints that evaluate before they check: a failure past
    /// the limit gets no answer but "wait".
    @discardableResult
    func failed(_ kind: RefusalKind, _ context: RotorRequestContext, reason: String, event: AuditEvent? = nil,
                html: Bool = false) async throws -> ServerError? {
        let address = context.client
        let now = clock.now
        let wait = limiter.recordFailure(address, now: now)
        try await audit(kind, from: address, reason: reason, first: event, at: now)
        return wait.map { Self.tooManyFailures(retryAfter: $0, html: html) }
    }

    /// Counts a failed attempt without auditing it (a refused link preview, which changes nothing).
    func countFailure(_ context: RotorRequestContext) {
        limiter.recordFailure(context.client, now: clock.now)
    }

    /// Writes the summaries of windows that have ended (run every window by ``RefusalAuditService``).
    func closeWindows() async throws {
        let now = clock.now
        try await write(ledger.withLock { $0.closeWindows(at: now) }.map(Self.summaryEvent), at: now)
    }

    /// Writes every summary, ended or not (the service is stopping).
    func closeAll() async throws {
        let now = clock.now
        try await write(ledger.withLock { $0.closeAll(at: now) }.map(Self.summaryEvent), at: now)
    }

    private func audit(_ kind: RefusalKind, from address: ClientAddress, reason: String, first event: AuditEvent?,
                       at now: Date) async throws {
        guard kind.auditAction != nil else { return }
        let (auditNow, closed) = ledger.withLock { $0.record(kind, from: address, reason: reason, at: now) }
        var events = closed.map(Self.summaryEvent)
        if auditNow, var event = event ?? Self.refusalEvent(kind, from: address, reason: reason, at: now) {
            event.detail = (event.detail.map { $0 + "; " } ?? "") + "from \(address)"
            events.append(event)
        }
        try await write(events, at: now)
    }

    private func write(_ events: [AuditEvent], at now: Date) async throws {
        guard !events.isEmpty else { return }
        _ = try await store.transaction { tx in for event in events { try tx.appendAudit(event) } }
    }

    /// The row of a single refusal when the route has none of its own (a request refused with 429).
    private static func refusalEvent(_ kind: RefusalKind, from address: ClientAddress, reason: String, at now: Date) -> AuditEvent? {
        kind.auditAction.map {
            AuditEvent(at: now, subject: kind.subject, subjectKind: "system", action: $0, actor: kind.actor, reason: reason,
                       outcome: "refused", detail: "\(kind.rawValue)")
        }
    }

    static func summaryEvent(_ summary: RefusalLedger.Summary) -> AuditEvent {
        let kind = summary.kind
        let reasons = summary.reasons.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            .map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        return AuditEvent(at: summary.windowEnd, subject: kind.subject, subjectKind: "system",
                          action: kind.auditAction ?? "request.refused", actor: kind.actor,
                          reason: "\(summary.count) more refused \(kind.rawValue) request\(summary.count == 1 ? "" : "s")",
                          outcome: "refused",
                          detail: "from \(summary.address) between \(ISO8601.string(summary.windowStart)) and "
                            + "\(ISO8601.string(summary.windowEnd)): \(reasons)")
    }

    static func tooManyFailures(retryAfter seconds: Int, html: Bool) -> ServerError {
        ServerError(.tooManyRequests, "too many failed attempts from this address",
                    hint: "wait \(seconds) second\(seconds == 1 ? "" : "s") before trying again; check the link, code, signature, token or key first",
                    format: html ? .html : .json, headers: [.retryAfter: String(seconds)])
    }
}
