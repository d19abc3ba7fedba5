/// What differs between vendor APIs once the HTTP exchange is shared: the shape of their error bodies,
/// the wording of their errors, and the adapter's error type.
///
/// A dialect holds what its sentences name (the target's label, the token reference); never the token.
public protocol VendorDialect: Sendable {
    /// The adapter's public error type.
    associatedtype Failure: VendorError

    /// The code and message of a non-2xx answer's body, or nils when it does not have the vendor's
    /// error shape. Returned as found: the client truncates and scrubs them.
    func errorDetail(in body: [UInt8]) -> (code: String?, message: String?)

    /// The operator's sentence for a failed call: target, cause, next step. `failure` is already
    /// scrubbed; the sentence must add no secret of its own.
    func describe(_ failure: VendorAPIFailure) -> String

    /// The vendor's rate-limit budget a call of `method` to `path` (relative to the API base, no query)
    /// spends, e.g. Render's `write`; nil when the vendor meters nothing per kind of call. Calls of one
    /// bucket with one token wait for each other in `RateLimitGates`.
    func rateLimitBucket(method: HTTPMethod, path: String) -> String?
}

extension VendorDialect {
    /// No buckets: calls are not gated (a 429 is still waited out by the retry policy).
    public func rateLimitBucket(method: HTTPMethod, path: String) -> String? { nil }
}
