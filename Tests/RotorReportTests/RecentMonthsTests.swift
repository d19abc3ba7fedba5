import Foundation
import RotorCore
import RotorReport
import Testing

/// The rotations per month the dashboard's overview plots: finished rotations by outcome in each of the last twelve
/// calendar months (UTC), counted in the store, never from a whole report.
@Suite("Rotations per month of the overview")
struct RecentMonthsTests {
    static func at(_ text: String) -> Date { ISO8601.parse(text)! }

    static func row(_ action: String, _ when: String) -> AuditEvent {
        AuditEvent(at: at(when), subject: "alpha", subjectKind: "secret", action: action, actor: "rotor", outcome: "success")
    }

    @Test(arguments: ReportBackend.allCases)
    func countsEachOutcomeInEachOfTheLastTwelveMonths(_ backend: ReportBackend) async throws {
        try await backend.withStores { store, rehearsal in
            try await store.transaction { tx in
                for (action, when) in [
                    ("rotation.completed", "2025-12-31T23:59:59.999Z"),  // the month before the twelve: not counted
                    ("rotation.completed", "2026-01-01T00:00:00Z"), ("rotation.completed", "2026-01-31T23:59:59Z"),
                    ("rotation.failed", "2026-01-15T00:00:00Z"), ("rotation.rolled_back", "2026-06-15T00:00:00Z"),
                    ("rotation.started", "2026-06-15T00:00:00Z"), ("step.promote", "2026-06-15T00:00:00Z"),
                    ("rotation.completed", "2026-12-01T00:00:00Z"), ("rotation.failed", "2026-12-31T23:59:59Z"),
                    ("rotation.completed", "2027-01-01T00:00:00Z"),  // the next month: not counted
                ] {
                    try tx.appendAudit(Self.row(action, when))
                }
            }
            // A `--now` rehearsal is not what happened.
            try await rehearsal.transaction { try $0.appendAudit(Self.row("rotation.completed", "2026-06-01T00:00:00Z")) }
            let months = try await store.transaction { try PeriodReportBuilder.recentMonths(12, now: Self.at("2026-12-10T12:00:00Z"), $0) }
            #expect(months.map(\.month) == (1...12).map { String(format: "2026-%02d", $0) })
            #expect(months[0].completed == 2 && months[0].failed == 1 && months[0].rolledBack == 0)
            #expect(months[5].completed == 0 && months[5].failed == 0 && months[5].rolledBack == 1)
            #expect(months[11].completed == 1 && months[11].failed == 1)
            #expect(months[1...4].allSatisfy { $0.completed + $0.failed + $0.rolledBack == 0 })
            // Across a year's end, and nothing asked for nothing.
            let spanning = try await store.transaction { try PeriodReportBuilder.recentMonths(3, now: Self.at("2026-01-02T00:00:00Z"), $0) }
            #expect(spanning.map(\.month) == ["2025-11", "2025-12", "2026-01"])
            #expect(spanning.map(\.completed) == [0, 1, 2])
            #expect(try await store.transaction { try PeriodReportBuilder.recentMonths(0, now: Self.at("2026-01-02T00:00:00Z"), $0) }.isEmpty)
        }
    }
}
