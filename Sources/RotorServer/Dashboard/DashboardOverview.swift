import Foundation
import RotorCore
import RotorReport
import RotorKeyTable

/// The overview page's view: coverage (the share of secrets and of customer keys within their maximum age),
/// secrets counted by state, and every secret, those needing attention first (overdue, failing, awaiting a person,
/// in flight).
struct DashboardOverview {
    struct Row {
        var secret: String
        var state: String
        var stateTone: String
        var compliance: String
        var complianceTone: String
        var age: String
        var maxAge: String
        var nextRotation: String
        var current: String
    }

    struct Count {
        var state: String
        var count: Int
        var tone: String
    }

    var secretCoverage: String
    var secretCoverageValue: Int
    var keyCoverage: String
    var keyCoverageValue: Int
    var hasKeys: Bool
    var keysOverdue: Int
    var counts: [Count]
    var rows: [Row]
    var attention: Int
    /// Age against max age per secret (server-rendered SVG, escaped by its renderer).
    var plot = ""
    /// Finished rotations per month by outcome over the last ``months`` months (server-rendered SVG).
    var monthsPlot = ""

    /// How many calendar months the rotations plot shows, the current one included.
    static let months = 12

    static func build(_ dependencies: ServiceDependencies) async throws -> DashboardOverview {
        let playbooks = Array(dependencies.playbooks.values)
        let now = dependencies.clock.now
        let statuses = try await SecretService(store: dependencies.store, sealer: dependencies.sealer, clock: dependencies.clock)
            .status(playbooks: playbooks, invalid: dependencies.invalidPlaybooks, only: nil)
        let report = try await ComplianceReport.build(store: dependencies.store, playbooks: playbooks, now: now, keyPolicy: nil)
        let months = try await dependencies.store.transaction { try PeriodReportBuilder.recentMonths(Self.months, now: now, $0) }
        let compliance = Dictionary(report.items.map { ($0.subject, $0) }, uniquingKeysWith: { first, _ in first })
        let keyTable = playbooks.first(where: \.isKeyTable)
        var keys: KeyTableSummary?
        if let keyTable {
            let policy = KeyTableSource.policy(keyTable)
            keys = try await dependencies.store.transaction {
                try KeyTableSummary.build($0, maxAge: policy.maxAge, warnBefore: policy.warnBefore, now: now)
            }
        }
        var rows: [Row] = []
        for status in statuses where dependencies.playbooks[status.secret]?.isKeyTable != true {
            let item = compliance[status.secret]
            rows.append(Row(secret: status.secret, state: status.state, stateTone: DashboardText.tone(status.state),
                            compliance: item?.status ?? "—", complianceTone: DashboardText.tone(item?.status ?? "ok"),
                            age: DashboardText.days(item?.ageDays), maxAge: item.map { DashboardText.days($0.maxAgeDays) } ?? "—",
                            nextRotation: DashboardText.time(status.nextRotationAt), current: status.current?.display ?? "—"))
        }
        rows.sort { (rank($0), $0.secret) < (rank($1), $1.secret) }
        let secrets = report.items.filter { $0.kind == "secret" && $0.status != "not_imported" }
        let within = secrets.filter { $0.status == "ok" || $0.status == "due_soon" }.count
        let secretShare = secrets.isEmpty ? 1 : Double(within) / Double(secrets.count)
        var keyShare = 1.0
        if let keys, keys.active > 0 { keyShare = Double(keys.active - keys.overdue) / Double(keys.active) }
        let byState: [Count] = Dictionary(grouping: rows, by: \.state).map { state, rows in
            Count(state: state, count: rows.count, tone: DashboardText.tone(state))
        }
        let attention = rows.filter { rank($0) < 4 }.count
        return DashboardOverview(
            secretCoverage: DashboardText.percent(secretShare), secretCoverageValue: Int((secretShare * 100).rounded(.down)),
            keyCoverage: DashboardText.percent(keyShare), keyCoverageValue: Int((keyShare * 100).rounded(.down)),
            hasKeys: keys != nil, keysOverdue: keys?.overdue ?? 0,
            counts: byState.sorted { $0.state < $1.state }, rows: rows, attention: attention,
            plot: AgePlot.svg(secrets.compactMap { item in
                item.ageDays.map { AgePlot.Bar(label: item.subject, ageDays: $0, maxAgeDays: item.maxAgeDays) }
            }),
            monthsPlot: RotationsPerMonthPlot.svg(months.map {
                RotationsPerMonthPlot.Column(label: $0.month, completed: $0.completed, rolledBack: $0.rolledBack, failed: $0.failed)
            }, id: "months-plot", title: "Rotations per month by outcome, last \(Self.months) months"))
    }

    /// Overdue first, then failing, then awaiting a person, then in flight, then the rest.
    static func rank(_ row: Row) -> Int {
        if row.compliance == "overdue" { return 0 }
        if ["failed", "stuck", "rolled_back", "invalid"].contains(row.state) || row.compliance == "failing" { return 1 }
        if ["awaiting_value", "awaiting_approval"].contains(row.state) { return 2 }
        if row.state == "rotating" { return 3 }
        return 4
    }
}
