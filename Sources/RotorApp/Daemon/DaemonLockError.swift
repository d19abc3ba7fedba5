/// Another daemon holds a SQLite store: says which one, and what to do.
public struct DaemonLockError: Error, CustomStringConvertible {
    /// The lease owner of the running daemon (`host:pid:id`).
    public let holder: String
    /// The store's URL; shown without its password.
    public let storeURL: String

    public var description: String {
        "another rotor daemon (\(holder)) is running on this SQLite store "
            + "(\(StoreURLDisplay.redacted(storeURL))); SQLite serves one daemon. "
            + "Stop the other one, or use a PostgreSQL store to run several."
    }
}
