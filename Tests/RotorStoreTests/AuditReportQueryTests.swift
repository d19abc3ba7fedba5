import Foundation
import RotorCore
@testable import RotorStore
import Testing

/// The audit queries the compliance report is built from: a period by action, and a subject's newest row before
/// or oldest row from a time; each on an index, so a report's cost follows its period, not the whole log.
@Suite("Audit queries of the period report")
struct AuditReportQueryTests {
    @Test(arguments: TestBackend.all)
    func periodAndSubjectQueriesFilterByActionAndTime(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let rows = try await store.transaction { tx in
                [
                    try tx.appendAudit(Fixtures.audit("secret.imported", subject: "a", at: t(10))),
                    try tx.appendAudit(Fixtures.audit("step.promote", subject: "a", at: t(20))),
                    try tx.appendAudit(Fixtures.audit("step.verify", subject: "a", at: t(25))),
                    try tx.appendAudit(Fixtures.audit("step.promote", subject: "b", at: t(30))),
                    try tx.appendAudit(Fixtures.audit("step.promote", subject: "a", at: t(40))),
                ]
            }
            let promotes = try await store.transaction { try $0.auditEvents(since: t(20), until: t(40), actions: ["step.promote"], limit: 10) }
            #expect(promotes == [rows[1], rows[3]], "since inclusive, until exclusive, only the actions asked for")
            #expect(try await store.transaction { try $0.auditEvents(since: t(0), until: t(99), actions: ["step.promote"], limit: 1) } == [rows[1]])
            #expect(try await store.transaction { try $0.auditEvents(since: t(0), until: t(99), actions: [], limit: 10) }.isEmpty)
            let activations = ["step.promote", "secret.imported"]
            #expect(try await store.transaction { try $0.latestAuditEvent(subject: "a", before: t(40), actions: activations) } == rows[1])
            #expect(try await store.transaction { try $0.latestAuditEvent(subject: "a", before: t(10), actions: activations) } == nil)
            #expect(try await store.transaction { try $0.earliestAuditEvent(subject: "a", since: t(21), actions: ["step.promote"]) } == rows[4])
            #expect(try await store.transaction { try $0.earliestAuditEvent(subject: "a", since: t(20), actions: ["step.promote"]) } == rows[1])
            #expect(try await store.transaction { try $0.earliestAuditEvent(subject: "b", since: t(31), actions: ["step.promote"]) } == nil)
            // A hostile action name is a value, not SQL.
            #expect(try await store.transaction { try $0.auditEvents(since: t(0), until: t(99), actions: ["x') OR 1=1 --"], limit: 10) }.isEmpty)
        }
    }

    @Test(arguments: TestBackend.all)
    func reportQueriesUseTheAuditIndexes(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.transaction { tx in
                for index in 0..<20_000 {
                    try tx.appendAudit(Fixtures.audit(index % 7 == 0 ? "step.promote" : "step.verify", subject: "s-\(index % 400)",
                                                      at: t(Double(index))))
                }
            }
            if backend == .postgres { _ = try await rawRows(store, "ANALYZE audit_events") }
            let queries: [(String, String, [SQLValue])] = [
                ("period", SQLTransaction.auditEventsInPeriodQuery(actions: 2),
                 [SQLValue(t(100)), SQLValue(t(200)), .text("step.promote"), .text("secret.imported"), .int(1000)]),
                ("latest", SQLTransaction.auditEventOfSubjectQuery(actions: 1, newest: true), [.text("s-7"), SQLValue(t(5000)), .text("step.promote")]),
                ("earliest", SQLTransaction.auditEventOfSubjectQuery(actions: 1, newest: false), [.text("s-7"), SQLValue(t(5000)), .text("step.promote")]),
            ]
            for (name, query, parameters) in queries {
                let plan: [String]
                switch backend {
                case .sqlite:
                    plan = try await rawRows(store, "EXPLAIN QUERY PLAN " + query, parameters).map { try $0.text("detail") }
                    #expect(!plan.contains { $0.hasPrefix("SCAN audit_events") }, "\(name) scans the log: \(plan)")
                    #expect(plan.contains { $0.contains("USING INDEX audit_events_by") }, "\(name): \(plan)")
                case .postgres:
                    plan = try await rawRows(store, "EXPLAIN " + query, parameters).map { try $0.text("QUERY PLAN") }
                    #expect(!plan.contains { $0.contains("Seq Scan") }, "\(name) scans the log: \(plan)")
                    #expect(plan.contains { $0.contains("audit_events_by") }, "\(name): \(plan)")
                }
            }
        }
    }
}
