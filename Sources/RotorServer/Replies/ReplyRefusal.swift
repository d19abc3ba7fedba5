import Foundation
import Hummingbird
import RotorCore

/// Why a reply token was not honoured. Each refusal is answered with a 4xx and recorded as a
/// `reply.refused` audit event (a refused link, being anonymous, in aggregate: see ``FailureGuard``);
/// neither names the token itself.
enum ReplyRefusal: Error, CustomStringConvertible, Equatable {
    /// No token with that hash (or code): forged, mistyped, or from another installation.
    case unknown
    case expired(Date)
    case used(Date?)
    /// The token names a secret whose playbook is no longer loaded.
    case notManaged(String)
    /// The reply was honoured as far as using the token, but the action itself was refused (max skips, …).
    case actionRefused(String)

    var description: String { auditReason }

    /// The reason recorded in the audit event.
    var auditReason: String {
        switch self {
        case .unknown: "unknown token (forged or mistyped)"
        case .expired(let at): "expired at \(ISO8601.string(at))"
        case .used(let at): "already used" + (at.map { " at \(ISO8601.string($0))" } ?? "")
        case .notManaged(let secret): "\(secret) is no longer managed by a loaded playbook"
        case .actionRefused(let why): why
        }
    }

    var error: ServerError {
        switch self {
        case .unknown:
            ServerError(.notFound, "this reply link or code is not known",
                        hint: "use the link or code from the latest warning exactly as sent, or run `rotor skip SECRET --reason …`")
        case .expired(let at):
            ServerError(.gone, "this reply link or code expired at \(ISO8601.string(at))",
                        hint: "use the link in the latest warning, or run `rotor skip SECRET --reason …`")
        case .used(let at):
            ServerError(.gone, "this reply link or code was already used" + (at.map { " at \(ISO8601.string($0))" } ?? ""),
                        hint: "each link and code works once; see `rotor status SECRET` for the current schedule")
        case .notManaged(let secret):
            ServerError(.notFound, "\(secret) is not managed by this server any more",
                        hint: "ask the operator whether its playbook was removed")
        case .actionRefused(let why):
            ServerError(.conflict, why, hint: "this link or code is now used up; the operator can still act with `rotor skip` or `rotor rotate`")
        }
    }
}
