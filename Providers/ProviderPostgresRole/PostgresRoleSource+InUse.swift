import Foundation
import RotorCore

/// Which of the two alternating roles the current value logs into, when the version in use has no handle
/// (a value imported without `--handle`): minting on that role would break every client on it at once.
extension PostgresRoleSource {
    /// `context.currentHandle`, or else the role the current value logs into; nil when there is no current
    /// value (the first rotation). Throws when the current value logs into neither role and names neither.
    func handleInUse(_ context: StepContext) async throws -> String? {
        if let handle = context.currentHandle { return handle }
        guard strategy == .alternating, roles.count == 2, let current = context.currentValue else { return nil }
        let decoded = PostgresCredential(decoding: current, format)
        let password = decoded?.password ?? current.revealed
        var accepted: [String] = []
        for role in roles where await logsIn(role: role, password: password) { accepted.append(role) }
        if accepted.count == 1 { return accepted[0] }
        if let user = decoded?.user, roles.contains(user) { return user }
        throw PostgresRoleError("\(label): cannot tell which of \(roles.joined(separator: ", ")) the current value belongs to "
                                + "(it has no role handle); re-import it with `--handle ROLE`")
    }

    /// Whether `password` opens a session as `role` on the admin URL's server; any failure is a no.
    private func logsIn(role: String, password: String) async -> Bool {
        guard let admin, let url = try? await credentials.resolve(admin).revealed else { return false }
        var target = PostgresSession.Target.uri(url, name: "the current value of role \(role)", secrets: [password], connectTimeout: 5)
        target.parameters += [("user", role), ("password", password)]
        let rows = try? await PostgresSession.run(target) { session in try session.execute("SELECT 1") }
        return rows != nil
    }
}
