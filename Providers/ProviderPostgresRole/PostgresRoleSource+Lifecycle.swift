import Foundation
import RotorCore

/// The backstops around an alternating rotation: the second role created from the first when missing
/// (`create_clone`, as AWS's alternating-users rotation does), a `VALID UNTIL` on every password, and a count
/// of the sessions the old role still has open when it is locked.
extension PostgresRoleSource {
    /// `CREATE ROLE clone` + `GRANT first TO clone` when `create_clone` is on and `role` does not exist yet:
    /// the clone inherits the first role's privileges instead of duplicating them.
    func ensureClone(_ role: String, in session: PostgresSession) throws {
        guard createClone, strategy == .alternating, roles.count == 2, role == roles[1] else { return }
        let exists = try session.execute("SELECT 1 FROM pg_roles WHERE rolname = \(try session.literal(role))")
        guard exists.isEmpty else { return }
        try session.execute("CREATE ROLE \(try session.identifier(role)) NOLOGIN")
        try session.execute("GRANT \(try session.identifier(roles[0])) TO \(try session.identifier(role))")
    }

    /// ` VALID UNTIL '…'` for a password minted `now`, or "" without a lifetime: a password that revocation
    /// never reached stops working by itself after the end of grace plus the next interval.
    func validUntilClause(now: Date, in session: PostgresSession) throws -> String {
        guard let passwordLifetime else { return "" }
        let seconds = Double(passwordLifetime.components.seconds)
        return " VALID UNTIL " + (try session.literal(ISO8601.string(now.addingTimeInterval(seconds))))
    }

    /// Sessions the role still has open (they are left to drain; a count only, never a credential).
    func openSessions(of role: String, in session: PostgresSession) throws -> Int {
        let rows = try session.execute("SELECT count(*) FROM pg_stat_activity WHERE usename = \(try session.literal(role))")
        return rows.first?.first.flatMap { $0.flatMap(Int.init) } ?? 0
    }

    /// Logs and journals how many sessions the locked role still has, so the step's detail says whether
    /// clients are still on the old password.
    func reportOpenSessions(_ count: Int, role: String, _ context: StepContext) async {
        guard count > 0 else { return }
        context.logger.notice("postgres-role: the old role is locked but still has open sessions; they finish and drain", metadata: [
            "secret": "\(context.secret)", "role": "\(role)", "open_sessions": "\(count)",
        ])
        let note = #"{"role":\#(Self.jsonString(role)),"open_sessions":\#(count)}"#
        try? await context.checkpoint(note)
    }

    private static func jsonString(_ text: String) -> String {
        (try? String(decoding: JSONEncoder().encode(text), as: UTF8.self)) ?? "\"\""
    }
}
