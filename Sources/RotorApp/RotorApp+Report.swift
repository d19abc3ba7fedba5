import RotorCore
import RotorKeyTable
import RotorReport

extension RotorApp {
    /// The compliance report over `period` for every managed secret of the playbooks and the customer keys (under
    /// the key table's policy, or its default): what `rotor report` prints and the dashboard offers for download.
    public func periodReport(_ period: ReportPeriod, chainVerification: ReportChainStatus? = nil) async throws -> PeriodReport {
        let playbooks = loadPlaybooks().playbooks
        let keyPolicy = playbooks.first(where: \.isKeyTable).map(KeyTableSource.policy) ?? KeyTablePolicy()
        let builder = PeriodReportBuilder(period: period, now: clock.now, secrets: PeriodReportBuilder.subjects(of: playbooks),
                                          keyMaxAge: keyPolicy.maxAge.timeInterval)
        return try await builder.build(store: store, chainVerification: chainVerification)
    }
}
