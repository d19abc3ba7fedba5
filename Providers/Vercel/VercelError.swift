/// Why a Vercel target could not write its variable or get it live.
///
/// The description names the target, the HTTP status and what to do next. It never holds the token or
/// the value: every text that came from Vercel is passed through a redactor holding both before it is
/// kept here.
public struct VercelError: Error, CustomStringConvertible, Equatable {
    /// What went wrong, as a value tests and callers can compare. A struct rather than an enum so
    /// that new reasons do not break exhaustive switches elsewhere.
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        private init(_ name: String) { description = name }

        /// The token reference could not be resolved (unset variable, unreadable file).
        public static let credential = Reason("credential")
        /// Vercel answered 401 or 403: a wrong token, or one without access to the team.
        public static let rejectedToken = Reason("rejected token")
        /// Vercel answered 404: no such project (in this team), deployment or variable.
        public static let notFound = Reason("not found")
        /// Vercel answered 400, or a 2xx whose `failed` list was not empty.
        public static let refused = Reason("refused")
        /// 429 answers outlasted the retry policy.
        public static let rateLimited = Reason("rate limited")
        /// 5xx answers outlasted the retry policy, or another unexpected status.
        public static let serverError = Reason("server error")
        /// No HTTP response at all (connection refused, timeout).
        public static let unreachable = Reason("unreachable")
        /// A 2xx whose body did not have the documented shape.
        public static let unexpectedResponse = Reason("unexpected response")
        /// The project has no READY production deployment to redeploy.
        public static let nothingToRedeploy = Reason("nothing to redeploy")
        /// The deployment ended in ERROR, CANCELED or BLOCKED, or its alias could not be assigned.
        public static let deployFailed = Reason("deploy failed")
        /// The deployment did not become READY within `deploy_timeout`.
        public static let deployTimedOut = Reason("deploy timed out")
    }

    /// What went wrong.
    public let reason: Reason
    /// The HTTP status Vercel answered with, when there was one.
    public let status: Int?
    /// A full sentence for the operator: target, cause, next step. Never a secret.
    public let description: String

    init(_ reason: Reason, status: Int? = nil, _ description: String) {
        self.reason = reason
        self.status = status
        self.description = description
    }
}
