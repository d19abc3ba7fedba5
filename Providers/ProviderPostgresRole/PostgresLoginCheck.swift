import Foundation
import RotorCore

/// Checks that a database credential logs in: connects with it and runs `SELECT 1`, up to `retries` more
/// times, `interval` apart. The value is a connection URL (`format: url`, the default) or a
/// `{"user","password"}` pair (`format: json`, with `host`, `port` and `database` given here).
public struct PostgresLoginCheck: SecretCheck {
    public static let schema = ProviderSchema(kind: .check, name: "postgres-login", fields: [
        FieldSpec("retries", .int(0...100), doc: "extra attempts, default 3"),
        FieldSpec("interval", .duration, doc: "wait between attempts, default 2s"),
        FieldSpec("timeout", .duration, doc: "per attempt (connect and query), default 10s"),
        FieldSpec("format", .enumeration(PostgresCredential.Format.allCases.map(\.rawValue)),
                  doc: "url (default) or json ({\"user\",\"password\"}, needs host, port and database)"),
        FieldSpec("host", .nonEmptyString, doc: "the server, for format json"),
        FieldSpec("port", .int(1...65535), doc: "the server's port, for format json"),
        FieldSpec("database", .nonEmptyString, doc: "the database to log in to, for format json"),
    ], rules: { fields in
        guard fields["format"]?.stringValue == PostgresCredential.Format.json.rawValue else { return [] }
        return ["host", "port", "database"].filter { fields[$0] == nil }.map { name -> ProviderSchema.Problem in
            (nil, "format json needs `\(name)`: the value holds only the user and password")
        }
    })

    public var retries: Int
    public var interval: Duration
    public var timeout: Duration
    let format: PostgresCredential.Format
    let host: String?
    let port: Int?
    let database: String?

    /// A check from a validated playbook configuration.
    public init(config: ProviderConfig) {
        retries = config.int("retries") ?? 3
        interval = config.duration("interval") ?? .seconds(2)
        timeout = config.duration("timeout") ?? .seconds(10)
        format = config.string("format").flatMap(PostgresCredential.Format.init(rawValue:)) ?? .url
        host = config.string("host")
        port = config.int("port")
        database = config.string("database")
    }

    public var label: String {
        guard format == .json else { return "check postgres-login" }
        return "check postgres-login \(host ?? "?"):\(port.map(String.init) ?? "?")/\(database ?? "?")"
    }

    public func verify(_ value: SecretValue, _ context: StepContext) async throws {
        let target = try connectionTarget(value)
        let statementTimeout = Int(timeout.components.seconds) * 1000 + Int(timeout.components.attoseconds / 1_000_000_000_000_000)
        var lastProblem = "no attempt made"
        for attempt in 0...retries {
            if attempt > 0 { try await context.clock.sleep(for: interval) }
            do {
                let rows = try await PostgresSession.run(target) { session in
                    try session.execute("SET statement_timeout = \(statementTimeout)")
                    return try session.execute("SELECT 1")
                }
                if rows.first?.first == "1" { return }
                lastProblem = "SELECT 1 did not answer 1"
            } catch let error as CancellationError {
                throw error
            } catch {
                lastProblem = "\(error)"
            }
        }
        throw PostgresRoleError("\(label) failed after \(retries + 1) attempt\(retries == 0 ? "" : "s"): "
                                + Redactor(values: [value]).scrub(PostgresSession.scrub(lastProblem, target.secrets)))
    }

    private func connectionTarget(_ value: SecretValue) throws -> PostgresSession.Target {
        let seconds = Int(timeout.components.seconds.clamped(to: 2...3600))
        switch format {
        case .url:
            let password = PostgresCredential(decoding: value, .url)?.password
            return .uri(value.revealed, name: "the new credential", secrets: password.map { [$0] } ?? [], connectTimeout: seconds)
        case .json:
            guard let credential = PostgresCredential(decoding: value, .json) else {
                throw PostgresRoleError("\(label): the value is not {\"user\": …, \"password\": …}; is the source's format json?")
            }
            return .fields(user: credential.user, password: credential.password, host: host ?? "", port: port ?? 5432,
                           database: database ?? "", name: "the new credential (user \(credential.user))", connectTimeout: seconds)
        }
    }
}

private extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}
