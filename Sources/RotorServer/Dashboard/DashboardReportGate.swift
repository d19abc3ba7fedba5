import Foundation
import RotorCore
import RotorReport

/// Keeps the dashboard's report download from loading the store: one report is built at a time (a second request
/// meanwhile is told to try again), and the audit chain's verification — a pass over the whole log — is reused for
/// ``chainReuse`` instead of being run for every download. Any signed-in viewer may download, so without this a
/// few clicks would hold the store (on SQLite, its one writer) for as long as whole-log passes take.
public actor DashboardReportGate {
    /// How long a chain verification is reused.
    public static let chainReuse: TimeInterval = 300

    private let clock: any RotorClock
    private let verifyChain: @Sendable () async throws -> ReportChainStatus
    private let build: @Sendable (ReportPeriod, ReportChainStatus) async throws -> PeriodReport
    private var building = false
    private var chain: (status: ReportChainStatus, at: Date)?

    public init(clock: any RotorClock, verifyChain: @escaping @Sendable () async throws -> ReportChainStatus,
                build: @escaping @Sendable (ReportPeriod, ReportChainStatus) async throws -> PeriodReport) {
        self.clock = clock
        self.verifyChain = verifyChain
        self.build = build
    }

    /// The report over `period`; throws 429 while another is being built.
    public func report(_ period: ReportPeriod) async throws -> PeriodReport {
        guard !building else {
            throw ServerError(.tooManyRequests, "another compliance report is being built right now",
                              hint: "try again in a minute", format: .html)
        }
        building = true
        defer { building = false }
        let now = clock.now
        let status: ReportChainStatus
        if let chain, now.timeIntervalSince(chain.at) >= 0, now.timeIntervalSince(chain.at) < Self.chainReuse {
            status = chain.status
        } else {
            status = try await verifyChain()
            chain = (status, now)
        }
        return try await build(period, status)
    }
}
