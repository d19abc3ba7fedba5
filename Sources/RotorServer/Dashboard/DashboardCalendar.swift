import Foundation
import RotorCore
import RotorKeyTable

/// The calendar page's view: the next `days` days, one line per day that has something: scheduled rotations, the
/// warnings sent before them, and customer keys that reach their rotation point.
struct DashboardCalendar {
    struct Day {
        var date: String
        var items: [Item]
    }

    struct Item {
        var kind: String
        var tone: String
        var text: String
        var secret: String?
    }

    var days: [Day]
    var span: Int

    static func build(_ dependencies: ServiceDependencies, days span: Int) async throws -> DashboardCalendar {
        let now = dependencies.clock.now
        let end = now.addingTimeInterval(Double(span) * 86_400)
        let playbooks = dependencies.playbooks.values.filter { !$0.isKeyTable }
        let statuses = try await SecretService(store: dependencies.store, sealer: dependencies.sealer, clock: dependencies.clock)
            .status(playbooks: Array(playbooks), invalid: [:], only: nil)
        var items: [(Date, Item)] = []
        for status in statuses {
            guard let playbook = dependencies.playbooks[status.secret], var next = status.nextRotationAt else { continue }
            if next < now {
                // An overdue rotation stays on the calendar, on today, until it happens.
                items.append((now, Item(kind: "overdue", tone: "bad", text: "\(status.secret) is overdue: it was due \(DashboardText.time(next))",
                                        secret: status.secret)))
            }
            var guardCount = 0
            while next < end, guardCount < 400 {
                guardCount += 1
                if next >= now {
                    items.append((next, Item(kind: "rotation", tone: "good", text: "\(status.secret) rotates", secret: status.secret)))
                }
                for before in playbook.schedule?.warnBefore ?? [] {
                    let warning = next.addingTimeInterval(-before.timeInterval)
                    if warning >= now, warning < end {
                        items.append((warning, Item(kind: "warning", tone: "warn",
                                                    text: "warning: \(status.secret) rotates in \(DurationText.format(before))",
                                                    secret: status.secret)))
                    }
                }
                guard let schedule = playbook.schedule, let following = ScheduleMath.nextRotation(after: next, schedule: schedule),
                      following > next else { break }
                next = following
            }
        }
        if let keyTable = dependencies.playbooks.values.first(where: \.isKeyTable) {
            let policy = KeyTableSource.policy(keyTable)
            let rotateAfter = (policy.maxAge - policy.warnBefore).timeInterval
            let keys = try await dependencies.store.transaction {
                try $0.activeAPIKeys(createdBefore: end.addingTimeInterval(-rotateAfter), limit: 20_000)
            }
            let byDay = Dictionary(grouping: keys) { DashboardText.day(max(now, $0.createdAt.addingTimeInterval(rotateAfter))) }
            for (day, keys) in byDay {
                let date = ISO8601.parse(day + "T00:00:00Z") ?? now
                items.append((date, Item(kind: "keys", tone: "warn", text: "\(keys.count) customer key(s) reach their rotation point",
                                         secret: nil)))
            }
        }
        let grouped = Dictionary(grouping: items) { DashboardText.day($0.0) }
        let days = grouped.keys.sorted().map { day in
            Day(date: day, items: grouped[day]!.sorted { $0.0 < $1.0 }.map(\.1))
        }
        return DashboardCalendar(days: days, span: span)
    }
}
