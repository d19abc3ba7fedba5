import Foundation

/// What a reader of the audit log asks for (the dashboard's audit page and its CSV): each field that is set narrows
/// the rows, and every value is compared literally (no wildcards): `%`, `_` and quotes are just characters.
public struct AuditFilter: Sendable, Equatable {
    /// Rows about this subject only.
    public var subject: String?
    /// Rows of this action or of an action under it: `secret.skipped` also matches
    /// `secret.skipped.override-compliance`, never `secret.skippedx`.
    public var action: String?
    /// Rows by this actor only.
    public var actor: String?
    /// Rows at or after this time.
    public var since: Date?
    /// Rows before this time.
    public var until: Date?

    public init(subject: String? = nil, action: String? = nil, actor: String? = nil, since: Date? = nil, until: Date? = nil) {
        self.subject = subject
        self.action = action
        self.actor = actor
        self.since = since
        self.until = until
    }

    /// Whether `event` passes the filter: what the store's query selects, spelled in Swift (for checks and tests).
    public func matches(_ event: AuditEvent) -> Bool {
        (subject.map { event.subject == $0 } ?? true)
            && (action.map { event.action == $0 || event.action.hasPrefix($0 + ".") } ?? true)
            && (actor.map { event.actor == $0 } ?? true)
            && (since.map { event.at >= $0 } ?? true) && (until.map { event.at < $0 } ?? true)
    }
}
