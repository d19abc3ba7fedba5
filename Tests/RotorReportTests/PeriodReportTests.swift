import Foundation
import RotorCore
import RotorReport
import Testing

/// The compliance report over a quarter with a rotated secret, an overdue one, a skip with a hostile reason, a
/// compliance override, an emergency, a failure then recovery and customer keys, on both backends.
@Suite("period report")
struct PeriodReportTests {
    static func build(_ store: any Store, chain: ReportChainStatus? = nil) async throws -> PeriodReport {
        let period = ReportPeriod(from: ReportScenario.period.from, to: ReportScenario.period.to)
        let builder = PeriodReportBuilder(period: period, now: ReportScenario.now,
                                          secrets: ReportScenario.subjects.map { .init(name: $0.name, maxAge: $0.maxAge) },
                                          keyMaxAge: 90 * 86400)
        return try await builder.build(store: store, chainVerification: chain)
    }

    @Test(arguments: ReportBackend.allCases)
    func figuresExceptionsAndEvidenceFollowTheAuditLog(_ backend: ReportBackend) async throws {
        try await backend.withStores { store, rehearsal in
            let scenario = try await ReportScenario.write(to: store, rehearsal: rehearsal)
            let ids = scenario.ids
            let report = try await Self.build(store)
            let ages = Dictionary(report.ages.map { ($0.subject, $0) }, uniquingKeysWith: { first, _ in first })

            let alpha = try #require(ages["alpha"])
            #expect(alpha.status == .ok && alpha.longestAgeDays == 62 && alpha.ageAtEndDays == 59 && alpha.rotations == 1)
            #expect(alpha.auditIDs == [ids["alpha.import"]!, ids["alpha.promote"]!])
            // beta's only "rotation" was a --now rehearsal: overdue from 14 January to the end, 77 days.
            let beta = try #require(ages["beta"])
            #expect(beta.status == .exception && beta.overdueDays == 77 && beta.rotations == 0)
            #expect(beta.overdueSince == ReportScenario.at("2026-01-14T00:00:00Z"))
            #expect(beta.auditIDs == [ids["beta.import"]!])
            #expect(ages["epsilon"]?.status == .notImported)
            #expect(ages[ReportScenario.hostileName]?.status == .ok)
            #expect(ages["delta"]?.status == .ok)

            let keyExceptions = report.ageExceptions.filter { $0.kind == "api_key" }
            #expect(Set(keyExceptions.map(\.subject)) == ["key_old", "key_late"])
            #expect(keyExceptions.first { $0.subject == "key_late" }?.overdueDays == 45)
            #expect(keyExceptions.first { $0.subject == "key_late" }?.auditIDs == [ids["key_late.rotated"]!])
            #expect(keyExceptions.first { $0.subject == "key_old" }?.overdueDays == 61)
            #expect(keyExceptions.first { $0.subject == "key_old" }?.auditIDs == [ids["key_old.created"]!])

            #expect(report.skips.map(\.actor) == ["dave", "bob"])
            #expect(report.skips.map(\.overrideCompliance) == [false, true])
            #expect(report.skips.first?.reason == ReportScenario.hostileReason)
            #expect(report.skips.map(\.auditID) == [ids["gamma.skip"], ids["gamma.override"]])

            let emergency = try #require(report.emergencies.first { $0.subject == "delta" })
            #expect(emergency.triggerToLiveSeconds == 270 && emergency.actor == "carol" && emergency.outcome == "completed")
            #expect(emergency.auditIDs == [ids["delta.started"]!, ids["delta.promote"]!])
            #expect(report.emergencies.first { $0.kind == "api_key" }?.subject == "key_leak")

            let failure = try #require(report.failures.first)
            #expect(report.failures.count == 1 && failure.subject == ReportScenario.hostileName)
            #expect(failure.timeToRecoverySeconds == 93_600 && failure.recoveryRotationID == "rot_gamma_2")
            #expect(failure.auditIDs == [ids["gamma.failed"]!, ids["gamma.promote"]!])

            #expect(report.coverage == ReportCoverage(secretsCounted: 4, secretsWithin: 3, keysCounted: 6, keysWithin: 4))
            #expect(report.coverage.percent == 70)
            #expect(report.months.map(\.month) == ["2026-01", "2026-02", "2026-03"])
            #expect(report.months.map(\.completed) == [0, 1, 1] && report.months.map(\.failed) == [0, 0, 1])
            #expect(report.keyAges.map(\.count).reduce(0, +) == 4 && report.keyAges.last?.count == 1)
            // Every id a claim cites is in the appendix; the rehearsal is not.
            let cited = Set(report.ages.flatMap(\.auditIDs) + report.emergencies.flatMap(\.auditIDs) + report.failures.flatMap(\.auditIDs)
                            + report.skips.compactMap(\.auditID))
            #expect(cited.isSubset(of: Set(report.evidence.compactMap(\.id))))
            #expect(!report.evidence.contains { $0.actor == "rehearsal" })
        }
    }

    @Test(arguments: ReportBackend.allCases)
    func csvCarriesTheFiguresAndTheAuditRowsOfEachClaim(_ backend: ReportBackend) async throws {
        try await backend.withStores { store, rehearsal in
            let ids = try await ReportScenario.write(to: store, rehearsal: rehearsal).ids
            let csv = ReportCSV.render(try await Self.build(store))
            let table = try CSVTable(csv)
            #expect(table.header == ReportCSV.columns)
            func row(_ control: String, _ subject: String = "", kind: String? = nil) -> [String: String]? {
                table.rows.first { $0["control"] == control && $0["subject"] == subject && (kind == nil || $0["kind"] == kind) }
            }
            #expect(row("coverage", kind: "all")?["value"] == "70")
            #expect(row("max_age", "beta")?["status"] == "exception")
            #expect(row("max_age", "beta")?["audit_ids"] == "\(ids["beta.import"]!)")
            #expect(row("max_age", "alpha")?["value"] == "62")
            #expect(row("max_age", "key_late")?["status"] == "exception")
            #expect(row("emergency", "delta")?["value"] == "270")
            #expect(row("emergency", "delta")?["audit_ids"] == "\(ids["delta.started"]!) \(ids["delta.promote"]!)")
            #expect(row("failure", ReportScenario.hostileName)?["value"] == "93600")
            #expect(row("failure", ReportScenario.hostileName)?["status"] == "recovered")
            let skips = table.rows.filter { $0["control"] == "skip" }
            #expect(skips.map { $0["actor"] } == ["dave", "bob"])
            #expect(skips.first?["reason"] == ReportScenario.hostileReason)
            #expect(skips.last?["status"] == "override_compliance")
            #expect(row("audit_chain")?["status"] == "not_verified")
        }
    }

    @Test(arguments: ReportBackend.allCases)
    func htmlLinksEveryClaimToItsRowAndEscapesHostileValues(_ backend: ReportBackend) async throws {
        try await backend.withStores { store, rehearsal in
            let ids = try await ReportScenario.write(to: store, rehearsal: rehearsal).ids
            let html = ReportHTML.render(try await Self.build(store))
            for key in ["beta.import", "alpha.promote", "delta.started", "delta.promote", "gamma.failed", "gamma.promote", "gamma.skip",
                        "key_late.rotated"] {
                let id = ids[key]!
                #expect(html.contains("href=\"#audit-\(id)\""), "claim links \(key)")
                #expect(html.contains("<tr id=\"audit-\(id)\">"), "appendix holds \(key)")
            }
            #expect(!html.contains("<script"), "the hostile secret name opens no tag")
            #expect(!html.contains("<img"), "the hostile reason opens no tag")
            #expect(html.contains("gamma&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(html.contains("&lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot; &amp; more"))
            #expect(html.contains("not verified (no audit chain in this store)"))
            #expect(html.contains("@media print"))
            // Self-contained: nothing fetched (the only URL is the SVG namespace).
            let urls = html.components(separatedBy: "://").dropFirst().filter { !$0.hasPrefix("www.w3.org/2000/svg\"") }
            #expect(urls.isEmpty, "\(urls.prefix(3))")
            #expect(!html.contains("src=\"") && !html.contains("url("))
            #expect(html.contains("<svg") && html.contains("<title id=\"age-plot-title\">"))

            let broken = ReportHTML.render(try await Self.build(store, chain: ReportChainStatus(intact: false, rows: 40, firstBadRow: ids["beta.import"])))
            #expect(broken.contains("BROKEN: 40 rows checked, first bad row #\(ids["beta.import"]!)"))
            let intact = ReportHTML.render(try await Self.build(store, chain: ReportChainStatus(intact: true, rows: 40, headHash: "ab12")))
            #expect(intact.contains("intact: 40 rows verified, head hash ab12"))
        }
    }

    @Test func anEmptyStoreGivesFullCoverageAndEmptySections() async throws {
        try await ReportBackend.sqlite.withStores { store, _ in
            let period = ReportPeriod(from: ReportScenario.period.from, to: ReportScenario.period.to)
            let report = try await PeriodReportBuilder(period: period, now: ReportScenario.now, secrets: [], keyMaxAge: nil).build(store: store)
            #expect(report.coverage.percent == 100 && report.evidence.isEmpty && report.ages.isEmpty)
            let html = ReportHTML.render(report)
            #expect(html.contains("No rotation was skipped in the period.") && html.contains("No key table"))
            #expect(try CSVTable(ReportCSV.render(report)).rows.count == 5)
        }
    }
}
