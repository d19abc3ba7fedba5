import Foundation
import Logging

/// Repeats requests through an `HTTPClient` as a `RetryPolicy` decides.
///
/// The transport knows nothing about retries and the policy knows nothing about transport: this type
/// only loops, sleeps and logs. Sleep and the wall clock are injected so tests run in real time only
/// where they mean to.
public struct RetryingHTTPClient: Sendable {
    /// The transport every attempt goes through.
    public let client: HTTPClient
    /// When to retry and how long to wait.
    public let policy: RetryPolicy
    /// Where a request with a `rateLimitBucket` waits for the vendor's budget before each attempt.
    public let rateLimits: RateLimitGates?
    private let sleep: @Sendable (Duration) async throws -> Void
    private let now: @Sendable () -> Date

    /// Creates a retrying client over `client`.
    public init(
        client: HTTPClient,
        policy: RetryPolicy = .init(),
        rateLimits: RateLimitGates? = nil,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.client = client
        self.policy = policy
        self.rateLimits = rateLimits
        self.sleep = sleep
        self.now = now
    }

    /// Performs `request`, retrying as the policy allows.
    ///
    /// - Returns: the first response the policy does not retry, or the last response (such as a final
    ///   429 or 500) when the retries run out.
    /// - Throws: the last transport error when the final attempt threw; `CancellationError` at once when
    ///   the task is cancelled, including during a wait.
    public func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        let started = now()
        let redactor = HTTPRedactor(secrets: request.secrets)
        var attempt = 0
        while true {
            attempt += 1
            let outcome: Result<HTTPResponse, any Error>
            do {
                outcome = .success(try await gatedExecute(request))
            } catch let error as CancellationError {
                throw error
            } catch {
                outcome = .failure(error)
            }
            let current = now()
            guard let wait = policy.delay(attempt: attempt, request: request, outcome: outcome, now: current),
                  Duration.seconds(current.timeIntervalSince(started)) + wait <= policy.maxTotalTime else {
                return try outcome.get()
            }
            let reason: String = switch outcome {
            case .success(let response): "status \(response.status)"
            case .failure(let error): "\(error)"
            }
            client.logger.info("HTTP retry scheduled", metadata: [
                "http.method": "\(request.method.rawValue)",
                "http.url": "\(redactor.redactURL(request.url))",
                "http.attempt": "\(attempt)",
                "http.max_attempts": "\(policy.maxAttempts)",
                "http.retry_in_ms": "\(Int((wait.inSeconds * 1000).rounded()))",
                "http.retry_reason": "\(redactor.redact(reason))",
            ])
            try await sleep(wait)
        }
    }

    /// One attempt, through the request's rate-limit gate when it has one.
    private func gatedExecute(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let rateLimits, let bucket = request.rateLimitBucket else { return try await client.execute(request) }
        try await rateLimits.admit(bucket)
        do {
            let response = try await client.execute(request)
            await rateLimits.answered(bucket, response)
            return response
        } catch {
            await rateLimits.abandoned(bucket)
            throw error
        }
    }
}
