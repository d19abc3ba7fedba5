import Foundation
import RotorCore
import RotorReport
import RotorKeyTable

/// The customer keys page's view: keys by organisation (active, in grace, oldest) and the keys nearest their
/// maximum age. Reads at most ``limit`` active keys, oldest first through the scheduler's index.
struct DashboardKeys {
    static let limit = 20_000
    static let nearest = 50

    struct Org {
        var org: String
        var active: Int
        var oldest: String
        var overdue: Int
        var due: Int
    }

    struct Key {
        var id: String
        var org: String
        var name: String
        var display: String
        var age: String
        var status: String
        var tone: String
    }

    var configured: Bool
    var maxAge: String
    var orgs: [Org]
    var near: [Key]
    var truncated: Bool
    var inGrace: Int
    /// The key age histogram (server-rendered SVG, escaped by its renderer).
    var plot = ""

    static func build(_ dependencies: ServiceDependencies) async throws -> DashboardKeys {
        guard let playbook = dependencies.playbooks.values.first(where: \.isKeyTable) else {
            return DashboardKeys(configured: false, maxAge: "", orgs: [], near: [], truncated: false, inGrace: 0)
        }
        let policy = KeyTableSource.policy(playbook)
        let now = dependencies.clock.now
        let (maxAge, warn) = (policy.maxAge.timeInterval, policy.warnBefore.timeInterval)
        let (keys, inGrace, histogram) = try await dependencies.store.transaction { tx in
            (try tx.activeAPIKeys(createdBefore: now.addingTimeInterval(86_400), limit: limit), try tx.countAPIKeys(status: .grace),
             try PeriodReportBuilder.keyAgeHistogram(maxAge: maxAge, at: now, tx))
        }
        func status(_ key: APIKeyRecord) -> String {
            let age = now.timeIntervalSince(key.createdAt)
            return age > maxAge ? "overdue" : age > maxAge - warn ? "due_soon" : "ok"
        }
        let orgs = Dictionary(grouping: keys, by: \.org).map { org, keys in
            let oldest = keys.map(\.createdAt).min() ?? now
            return Org(org: org, active: keys.count, oldest: DashboardText.days(now.timeIntervalSince(oldest) / 86_400),
                       overdue: keys.filter { status($0) == "overdue" }.count, due: keys.filter { status($0) == "due_soon" }.count)
        }.sorted { ($0.overdue, $0.due, $1.org) > ($1.overdue, $1.due, $0.org) }
        let near = keys.prefix(nearest).filter { status($0) != "ok" }.map { key in
            Key(id: key.id, org: key.org, name: key.name, display: SecretValue.display(prefix: key.prefix, last4: key.last4),
                age: DashboardText.days(now.timeIntervalSince(key.createdAt) / 86_400), status: status(key), tone: DashboardText.tone(status(key)))
        }
        let plot = KeyAgeHistogramPlot.svg(histogram.map { KeyAgeHistogramPlot.Bucket(label: $0.label, count: $0.count, overdue: $0.overdue) })
        return DashboardKeys(configured: true, maxAge: DurationText.format(policy.maxAge), orgs: orgs, near: near,
                             truncated: keys.count >= limit, inGrace: inGrace, plot: plot)
    }
}
