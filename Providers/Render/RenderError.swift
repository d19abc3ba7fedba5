/// Why a Render target could not write its variable or get it live.
///
/// The description names the target, the HTTP status and what to do next. It never holds the token or
/// the value: every text that came from Render is passed through a redactor holding both before it is
/// kept here.
public struct RenderError: Error, CustomStringConvertible, Equatable {
    /// What went wrong, as a value tests and callers can compare. A struct rather than an enum so
    /// that new reasons do not break exhaustive switches elsewhere.
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        private init(_ name: String) { description = name }

        /// The token reference could not be resolved (unset variable, unreadable file).
        public static let credential = Reason("credential")
        /// Render answered 401 or 403: a wrong or revoked API key.
        public static let rejectedToken = Reason("rejected token")
        /// Render answered 404: no such service, env group or deploy.
        public static let notFound = Reason("not found")
        /// Render answered another 4xx (400, 409, ...).
        public static let refused = Reason("refused")
        /// 429 answers outlasted the retry policy.
        public static let rateLimited = Reason("rate limited")
        /// 5xx answers outlasted the retry policy, or another unexpected status.
        public static let serverError = Reason("server error")
        /// No HTTP response at all (connection refused, timeout).
        public static let unreachable = Reason("unreachable")
        /// A 2xx whose body did not have the documented shape.
        public static let unexpectedResponse = Reason("unexpected response")
        /// A deploy ended `build_failed`, `update_failed`, `pre_deploy_failed` or `canceled`, or kept
        /// being superseded.
        public static let deployFailed = Reason("deploy failed")
        /// A deploy did not go live within `deploy_timeout`.
        public static let deployTimedOut = Reason("deploy timed out")
    }

    /// What went wrong.
    public let reason: Reason
    /// The HTTP status Render answered with, when there was one.
    public let status: Int?
    /// A full sentence for the operator: target, cause, next step. Never a secret.
    public let description: String

    init(_ reason: Reason, status: Int? = nil, _ description: String) {
        self.reason = reason
        self.status = status
        self.description = description
    }
}
