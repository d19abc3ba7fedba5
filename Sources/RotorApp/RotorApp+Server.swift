import Foundation
import Prometheus
import RotorCore
import RotorReport
import RotorKeyTable
import RotorServer
import RotorStore

extension RotorApp {
    /// What the HTTP service needs, with the playbooks of the configured folder.
    public func serviceDependencies() async throws -> ServiceDependencies {
        let set = loadPlaybooks()
        var dependencies = try await serviceDependencies(playbooks: set.playbooks)
        dependencies.invalidPlaybooks = set.problemsBySecret  // the dashboard shows a broken playbook's problems
        return dependencies
    }

    /// What the HTTP service needs to act on `playbooks`. The admin token and the reply signing secret come from
    /// ROTOR_ADMIN_TOKEN and ROTOR_REPLY_SECRET when set (the environment beats rotor.yml), else from the
    /// references in rotor.yml's `server` section; with neither, the endpoint stays disabled.
    public func serviceDependencies(playbooks: [Playbook]) async throws -> ServiceDependencies {
        var adminToken = environment["ROTOR_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : SecretValue($0) }
        if adminToken == nil, let reference = config.server.adminToken { adminToken = try await credentials.resolve(reference) }
        var replySecret = environment["ROTOR_REPLY_SECRET"].flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        if replySecret == nil, let reference = config.server.replySecret {
            replySecret = try await credentials.resolve(reference).bytes
        }
        var users: [DashboardAccount] = []
        for user in config.users {
            users.append(DashboardAccount(name: user.name, role: user.role, token: try await credentials.resolve(user.token)))
        }
        try DashboardTokenRules.check(users: users, admin: adminToken)
        var dependencies = ServiceDependencies(
            store: store, sealer: sealer, clock: clock, logger: logger,
            playbooks: Dictionary(playbooks.map { ($0.secret, $0) }, uniquingKeysWith: { first, _ in first }),
            runner: runner(), keyTable: try await indexedKeyTable(playbooks: playbooks),
            replyTokens: try await replyTokens(), publicURL: publicURL,
            adminToken: adminToken, replySecret: replySecret, metrics: metricsExposition(playbooks: playbooks),
            slackApps: try await slackAppEndpoints(), users: users)
        dependencies.approvals = .service(dependencies)  // the Approve buttons of slack-app channels
        // The dashboard's report download: one at a time, the chain's verification reused for a few minutes.
        let reports = DashboardReportGate(clock: clock, verifyChain: { try await self.auditChainStatus() },
                                          build: { period, chain in try await self.periodReport(period, chainVerification: chain) })
        dependencies.periodReport = { period in try await reports.report(period) }
        dependencies.targetInspector = DriftInspector(factory: providers)  // the dashboard's "Read targets now"
        return dependencies
    }

    /// `/metrics`: the registry swift-metrics reports into when the process bootstrapped Prometheus (`rotor serve`
    /// and `rotor run` do), and the store-derived gauges of `playbooks`, read at every scrape. Their rotation and
    /// delivery counters start at zero, so that a rule on `increase()` sees their first increment.
    private static let processStart = Date()

    public func metricsExposition(playbooks: [Playbook]) -> MetricsExposition {
        RotorMetrics.declare(secrets: playbooks.filter { !$0.isKeyTable }.map(\.secret), channels: Array(config.channels.keys))
        let gauges = StoreGauges(store: store, playbooks: playbooks, clock: clock)
        // Written straight into the registry (not through swift-metrics), so every scrape has at least this line:
        // `time() - rotor_process_start_time_seconds` is the uptime, and a reset shows a restart.
        PrometheusMetricsFactory.defaultRegistry.makeGauge(
            name: "rotor_process_start_time_seconds", help: "When this process started, in seconds since the Unix epoch."
        ).set(Self.processStart.timeIntervalSince1970)
        return MetricsExposition(registry: PrometheusMetricsFactory.defaultRegistry, refresh: { try await gauges.refresh() })
    }
}

extension RotorApp {
    /// The key table of `playbooks` with every key in memory, following the store's changes, for the service.
    func indexedKeyTable(playbooks: [Playbook]) async throws -> KeyTable {
        let feed = try await openAPIKeyChangeFeed(url: try StoreURL(parsing: options.storeURL))
        do {
            return try await keyTable(playbooks: playbooks).indexed(feed: feed, alertChannels: config.alerts.channels)
        } catch {
            await feed.close()
            throw error
        }
    }
}

extension RotorApp {
    /// The HTTP service's limits: the defaults with `ROTOR_HTTP_IDLE_TIMEOUT` and `ROTOR_HTTP_FAILURE_LIMIT`
    /// from this app's environment applied; a value that cannot be used is logged and keeps its default.
    public func serviceLimits() -> ServiceLimits {
        let (limits, problems) = ServiceLimits.from(environment: environment)
        for problem in problems { logger.warning("\(problem)") }
        return limits
    }
}
