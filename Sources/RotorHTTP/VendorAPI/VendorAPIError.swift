/// Why a vendor target (a Vercel project, a Render service) could not write its variable or get it live:
/// the shape every vendor adapter's error shares.
///
/// The description names the target, the HTTP status and what to do next. It never holds a token or a
/// value: every text that came from the vendor passes through `VendorAPIClient.scrub(_:)` first.
public struct VendorAPIError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, as a value tests and callers can compare. A struct rather than an enum so that
    /// new reasons, and an adapter's own ones, do not break exhaustive switches elsewhere.
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        /// The reason's name, e.g. `rejected token`.
        public let description: String

        /// A reason of one adapter's own, e.g. Vercel's `nothing to redeploy`; declare it once, as a
        /// static constant in an extension, so that values compare equal.
        public init(_ name: String) { description = name }

        /// The token reference could not be resolved (unset variable, unreadable file).
        public static let credential = Reason("credential")
        /// The vendor answered 401 or 403: a wrong, revoked or out-of-scope token.
        public static let rejectedToken = Reason("rejected token")
        /// The vendor answered 404: no such project, service, env group, deployment or variable.
        public static let notFound = Reason("not found")
        /// The vendor answered another 4xx, or a 2xx that reports a refusal in its body.
        public static let refused = Reason("refused")
        /// 429 answers outlasted the retry policy.
        public static let rateLimited = Reason("rate limited")
        /// 5xx answers outlasted the retry policy, or another unexpected status.
        public static let serverError = Reason("server error")
        /// No HTTP response at all (connection refused, timeout).
        public static let unreachable = Reason("unreachable")
        /// A 2xx whose body did not have the documented shape.
        public static let unexpectedResponse = Reason("unexpected response")
        /// A deploy ended in a failed state (or could not be made to stick), so the value is not live.
        public static let deployFailed = Reason("deploy failed")
        /// A deploy did not go live within the target's `deploy_timeout`.
        public static let deployTimedOut = Reason("deploy timed out")
    }

    /// What went wrong.
    public let reason: Reason
    /// The HTTP status the vendor answered with, when there was one.
    public let status: Int?
    /// A full sentence for the operator: target, cause, next step. Never a secret.
    public let description: String

    /// An error whose `description` is already worded and scrubbed.
    public init(_ reason: Reason, status: Int? = nil, _ description: String) {
        self.reason = reason
        self.status = status
        self.description = description
    }
}
