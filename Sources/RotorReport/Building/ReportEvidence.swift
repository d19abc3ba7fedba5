import RotorCore

/// The audit rows a report cites, collected while it is built: each once, in id order for the appendix.
struct ReportEvidence {
    private var byID: [Int64: AuditEvent] = [:]

    /// Records `event` as cited and returns its id (nil for an event the store never numbered).
    @discardableResult
    mutating func cite(_ event: AuditEvent?) -> Int64? {
        guard let event, let id = event.id else { return nil }
        byID[id] = event
        return id
    }

    var rows: [AuditEvent] { byID.values.sorted { ($0.id ?? 0) < ($1.id ?? 0) } }
}
