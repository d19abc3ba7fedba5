import Metrics
import RotorCore

/// The counters and the timer of `POST /v1/keys/verify`, made once when the router is built: on the verify hot
/// path a result costs one dictionary read, one atomic increment and one histogram record, and never a lookup
/// in the metrics registry.
struct VerifyMetrics: Sendable {
    /// Every `result` label: `valid`, each reason a key is refused for, and `error` (the store did not answer).
    static let results = ["valid", "bad_format", "bad_checksum", "unknown", "revoked", "error"]

    private let counters: [String: Counter]
    private let timer: Timer

    init() {
        counters = Dictionary(uniqueKeysWithValues: Self.results.map {
            ($0, Counter(label: RotorMetrics.verifyRequests, dimensions: [("result", $0)]))
        })
        timer = Timer(label: RotorMetrics.verifyDuration)
    }

    /// One verification that began at `start` ended with `result` (a label of ``results``; others count as `error`).
    func record(_ result: String, since start: ContinuousClock.Instant) {
        timer.record(duration: ContinuousClock.now - start)
        (counters[result] ?? counters["error"])?.increment()
    }
}
