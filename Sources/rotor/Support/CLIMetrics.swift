import Metrics
import Prometheus
import RotorCore

/// Metrics for the long-running commands (`rotor serve`, `rotor run`): swift-metrics reports into Prometheus's
/// default registry, which `/metrics` serves. One-shot commands bootstrap nothing, so their metric calls cost
/// nothing and go nowhere.
enum CLIMetrics {
    private static let once: Void = {
        var factory = PrometheusMetricsFactory(registry: PrometheusMetricsFactory.defaultRegistry)
        // Buckets fitted to what is measured: a key check takes microseconds, a deploy minutes.
        factory.durationHistogramBuckets = [
            RotorMetrics.verifyDuration: [.microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
                                          .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                          .milliseconds(100), .milliseconds(250), .seconds(1)],
            RotorMetrics.stepDuration: [.milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(15),
                                        .seconds(30), .seconds(60), .seconds(120), .seconds(300), .seconds(900)],
            RotorMetrics.schedulerPassDuration: [.milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5),
                                                 .seconds(15), .seconds(30), .seconds(60), .seconds(300), .seconds(900)],
        ]
        MetricsSystem.bootstrap(factory)
    }()

    /// Starts Prometheus metrics, once per process.
    static func bootstrap() { _ = once }
}
