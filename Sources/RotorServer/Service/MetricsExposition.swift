import Prometheus

/// What `GET /metrics` serves: a Prometheus registry (the one swift-metrics was bootstrapped with) and the
/// reading of the gauges that are computed at scrape time (secret ages, outbox depth, leases held).
public struct MetricsExposition: Sendable {
    /// The registry whose metrics are rendered in Prometheus's text format.
    public var registry: PrometheusCollectorRegistry
    /// Run before each scrape; a failure is logged and the scrape answered with what the registry holds.
    public var refresh: @Sendable () async throws -> Void

    public init(registry: PrometheusCollectorRegistry, refresh: @escaping @Sendable () async throws -> Void = {}) {
        self.registry = registry
        self.refresh = refresh
    }
}
