import Foundation
import RotorCore

/// The undo of a `single` mint: the role's password was replaced in place, so "revoking the new" means
/// setting the previous password back; otherwise clients rolled back to the old value could not log in.
extension PostgresRoleSource {
    public func revokeNew(_ new: StoredCredential, previous: StoredCredential?, _ context: StepContext) async throws -> RevokeOutcome {
        guard strategy == .single else { return try await revokeWithOutcome(new, context) }
        guard let role = roles.first, !role.isEmpty else { throw PostgresRoleError("\(label): no role configured") }
        guard let previous, let old = PostgresCredential(decoding: previous.value, format), old.user == role else {
            throw PostgresRoleError("\(label): the previous version holds no \(format.rawValue) password of role "
                                    + "\(role.debugDescription); set the role's password back by hand")
        }
        let now = context.clock.now
        _ = try await withAdmin { session in
            // Same path as a mint: only the SCRAM verifier reaches the server, never the password.
            try session.execute("ALTER ROLE \(try session.identifier(role)) WITH LOGIN PASSWORD "
                + (try session.literal(try session.scramVerifier(password: old.password, role: role)))
                + (try validUntilClause(now: now, in: session)))
        }
        return .revoked
    }
}
