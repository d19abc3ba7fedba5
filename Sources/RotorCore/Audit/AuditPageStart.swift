/// Where a page of the audit log starts, by the id of a row already shown (keyset paging: rows appended meanwhile
/// never shift a page, and no page costs more than its rows).
public enum AuditPageStart: Sendable, Equatable {
    /// The newest rows.
    case newest
    /// The rows just older than row `id` (the next page).
    case olderThan(Int64)
    /// The rows just newer than row `id` (the previous page).
    case newerThan(Int64)
}
