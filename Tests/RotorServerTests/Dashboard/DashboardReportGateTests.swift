import Foundation
import RotorCore
@testable import RotorReport
@testable import RotorServer
import RotorTestSupport
import Synchronization
import Testing

/// The dashboard's report downloads share one chain verification for a few minutes and are built one at a time.
@Suite("Dashboard report gate")
struct DashboardReportGateTests {
    static func report(_ period: ReportPeriod, _ chain: ReportChainStatus) -> PeriodReport {
        PeriodReport(period: period, generatedAt: period.to, ages: [], unlistedKeyExceptions: 0, keyMaxAgeDays: nil, skips: [],
                     emergencies: [], failures: [], coverage: ReportCoverage(), months: [], keyAges: [], evidence: [],
                     chainVerification: chain)
    }

    @Test func theChainIsVerifiedOncePerFewMinutesNotOncePerDownload() async throws {
        let clock = TestClock()
        let verifications = Mutex(0)
        let gate = DashboardReportGate(clock: clock, verifyChain: {
            let count = verifications.withLock { $0 += 1; return $0 }
            return ReportChainStatus(intact: true, rows: count)
        }, build: { period, chain in Self.report(period, chain) })
        let period = ReportPeriod(from: clock.now.addingTimeInterval(-86_400 * 30), to: clock.now)
        for _ in 0..<5 { _ = try await gate.report(period) }
        #expect(verifications.withLock { $0 } == 1)
        clock.advance(by: DashboardReportGate.chainReuse + 1)
        let fresh = try await gate.report(period)
        #expect(verifications.withLock { $0 } == 2 && fresh.chainVerification?.rows == 2, "a new verification after the reuse window")
    }

    @Test func aSecondReportWhileOneIsBuiltIsToldToTryAgain() async throws {
        let clock = TestClock()
        let (started, startedNow) = AsyncStream<Void>.makeStream()
        let (release, releaseNow) = AsyncStream<Void>.makeStream()
        let gate = DashboardReportGate(clock: clock, verifyChain: { ReportChainStatus(intact: true, rows: 0) }, build: { period, chain in
            startedNow.yield()
            for await _ in release { break }
            return Self.report(period, chain)
        })
        let period = ReportPeriod(from: clock.now.addingTimeInterval(-86_400), to: clock.now)
        let first = Task { try await gate.report(period) }
        for await _ in started { break }
        await #expect(throws: ServerError.self) { _ = try await gate.report(period) }
        releaseNow.finish()  // every build from now on goes straight through
        _ = try await first.value
        _ = try await gate.report(period)  // free again
    }
}
