/// An error from a ``Store``. It says what happened and what to do next, and never carries a parameter value
/// (every value is bound, so database messages cannot contain one).
///
/// A struct over a private enum, so new cases do not break callers: match with ``code``, or compare with `==`.
public struct StoreError: Error, CustomStringConvertible, Equatable {
    /// The kind of failure, for matching.
    public enum Code: String, Sendable, Equatable {
        case activeRotationExists
        case schemaTooNew
        case migrationFailed
        case connectionFailed
        case queryFailed
        case constraintViolation
        case notFound
        case invalidURL
        case leaseLost
    }

    private enum Kind: Equatable {
        case activeRotationExists(rotationID: String)
        case schemaTooNew(found: Int, supported: Int)
        case migrationFailed(version: Int, message: String)
        case connectionFailed(String)
        case queryFailed(String)
        case constraintViolation(String)
        case notFound(String)
        case invalidURL(String)
        case leaseLost(String)
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    /// The secret already has an active rotation, `rotationID`; only one may run at a time.
    public static func activeRotationExists(rotationID: String) -> StoreError { .init(.activeRotationExists(rotationID: rotationID)) }
    /// The database was migrated by a newer rotor (schema version `found`) than this one (`supported`).
    public static func schemaTooNew(found: Int, supported: Int) -> StoreError { .init(.schemaTooNew(found: found, supported: supported)) }
    /// Migration `version` failed; the database was left at the previous version.
    public static func migrationFailed(version: Int, message: String) -> StoreError { .init(.migrationFailed(version: version, message: message)) }
    /// The database could not be opened or reached.
    public static func connectionFailed(_ message: String) -> StoreError { .init(.connectionFailed(message)) }
    /// The database refused a query; `message` is the database's own message.
    public static func queryFailed(_ message: String) -> StoreError { .init(.queryFailed(message)) }
    /// A write broke a database constraint (unique, check, foreign key); `message` names the constraint.
    public static func constraintViolation(_ message: String) -> StoreError { .init(.constraintViolation(message)) }
    /// The record to update (`what`, for example `rotation r-1`) does not exist.
    public static func notFound(_ what: String) -> StoreError { .init(.notFound(what)) }
    /// The store URL could not be understood; `hint` says what was wrong (never the password).
    public static func invalidURL(_ hint: String) -> StoreError { .init(.invalidURL(hint)) }
    /// The lease on `what` expired and another owner took it over; this owner's outcome was not recorded.
    public static func leaseLost(_ what: String) -> StoreError { .init(.leaseLost(what)) }

    /// The kind of failure.
    public var code: Code {
        switch kind {
        case .activeRotationExists: .activeRotationExists
        case .schemaTooNew: .schemaTooNew
        case .migrationFailed: .migrationFailed
        case .connectionFailed: .connectionFailed
        case .queryFailed: .queryFailed
        case .constraintViolation: .constraintViolation
        case .notFound: .notFound
        case .invalidURL: .invalidURL
        case .leaseLost: .leaseLost
        }
    }

    /// For ``Code/activeRotationExists``: the id of the rotation that is already active.
    public var activeRotationID: String? {
        if case .activeRotationExists(let id) = kind { return id }
        return nil
    }

    public var description: String {
        switch kind {
        case .activeRotationExists(let id):
            "store: the secret already has an active rotation (\(id)); wait for it to finish, or roll it back, before starting another"
        case .schemaTooNew(let found, let supported):
            "store: the database schema is at version \(found) but this rotor supports up to version \(supported); "
                + "upgrade rotor to a release that knows this schema (never point an older rotor at a newer database)"
        case .migrationFailed(let version, let message):
            "store: schema migration \(version) failed and was rolled back: \(message); fix the cause and start rotor again"
        case .connectionFailed(let message):
            "store: cannot use the database: \(message); check the store URL, that the server is up, and the credentials"
        case .queryFailed(let message):
            "store: the database refused a query: \(message)"
        case .constraintViolation(let message):
            "store: the write breaks a database rule: \(message)"
        case .notFound(let what):
            "store: \(what) does not exist"
        case .invalidURL(let hint):
            "store: invalid store URL: \(hint); use sqlite:PATH (for example sqlite:.rotor/rotor.db) "
                + "or postgres://USER@HOST:PORT/DATABASE (postgresql:// works too)"
        case .leaseLost(let what):
            "store: the lease on \(what) expired and another process took it over; its outcome is theirs to record"
        }
    }
}
