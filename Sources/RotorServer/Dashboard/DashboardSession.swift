import Foundation

/// What the server-side session store keeps for one browser: who signed in (nil before sign-in, when the session
/// only carries the sign-in form's CSRF token), their role, the CSRF token of every form, and when it started.
/// The cookie carries only the session's random id.
public struct DashboardSession: Codable, Sendable, Equatable {
    /// The signed-in person's name; nil for the anonymous session of the sign-in form.
    var user: String?
    /// `viewer` or `operator`.
    var role: String?
    /// Sent back by every form of this session and compared in constant time.
    var csrf: String
    /// When the session started, by the service's clock: the session ends ``DashboardAuth/lifetime`` later.
    var startedAt: Date

    var isOperator: Bool { role == "operator" }
}
