import RotorCore
import RotorKeyTable
import RotorReport

extension RotorApp {
    /// The compliance report over `period` for every managed secret of the playbooks and the customer keys (under
    /// the key table's policy, or its default): what `rotor report` prints and the dashboard offers for download.
    /// The audit chain is verified for it (the whole log, with the chain key) unless `chainVerification` is given.
    public func periodReport(_ period: ReportPeriod, chainVerification: ReportChainStatus? = nil) async throws -> PeriodReport {
        let chain: ReportChainStatus
        if let chainVerification { chain = chainVerification } else { chain = try await auditChainStatus() }
        let playbooks = loadPlaybooks().playbooks
        let keyPolicy = playbooks.first(where: \.isKeyTable).map(KeyTableSource.policy) ?? KeyTablePolicy()
        let builder = PeriodReportBuilder(period: period, now: clock.now, secrets: PeriodReportBuilder.subjects(of: playbooks),
                                          keyMaxAge: keyPolicy.maxAge.timeInterval)
        return try await builder.build(store: store, chainVerification: chain)
    }

    /// `rotor audit verify` of the store, as the report shows it.
    public func auditChainStatus() async throws -> ReportChainStatus {
        let verification = try await store.transaction { try $0.verifyAuditChain() }
        return ReportChainStatus(intact: verification.intact, rows: verification.rowsChecked,
                                 firstBadRow: verification.firstBad?.id, headHash: verification.headHash)
    }
}
