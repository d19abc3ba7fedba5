import Foundation
import RotorCore

/// How the dashboard writes times, ages and states: the same words everywhere, UTC times as people read them.
enum DashboardText {
    static func time(_ date: Date?) -> String {
        guard let date else { return "—" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }

    static func day(_ date: Date) -> String {
        String(ISO8601.string(date).prefix(10))
    }

    static func days(_ value: Double?) -> String {
        guard let value else { return "—" }
        return String(format: "%.1f d", value)
    }

    static func percent(_ share: Double) -> String {
        String(format: "%.0f %%", (share * 100).rounded(.down))
    }

    /// The CSS class of a state or compliance status: red, amber or green, never colour alone (the word is shown).
    static func tone(_ state: String) -> String {
        switch state {
        case "failed", "failing", "overdue", "stuck", "invalid", "rolled_back", "orphaned": "bad"
        case "due_soon", "due", "awaiting_value", "awaiting_approval", "rotating", "grace", "not_imported": "warn"
        default: "good"
        }
    }
}
