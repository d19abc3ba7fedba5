import Foundation

/// The secrets and their versions, inside one store transaction (see ``StoreTransaction``).
public protocol SecretsTransaction {
    // MARK: Secrets

    /// Inserts the secret or replaces the record with the same name.
    func upsertSecret(_ secret: SecretRecord) throws
    func secret(named name: String) throws -> SecretRecord?
    /// The secret, its row locked until the transaction ends, for a read-modify-write that another process may
    /// race (a skip during a scheduler pass): `SELECT … FOR UPDATE` on PostgreSQL; SQLite's single writer
    /// already serialises the transactions.
    func lockSecret(named name: String) throws -> SecretRecord?
    /// Like ``lockSecret(named:)``, but does not wait: nil when another transaction holds the row (PostgreSQL,
    /// `FOR UPDATE SKIP LOCKED`) or when there is none, which ``secret(named:)`` tells apart. Lets concurrent
    /// scheduler passes split the secrets between them instead of queueing on each one.
    func claimSecret(named name: String) throws -> SecretRecord?
    /// Writes only the scheduling columns (next rotation, cycle start, warnings sent, skips, updated at) of an
    /// existing secret, leaving the others to whoever owns them; ``StoreError/Code/notFound`` if there is none.
    func updateSchedule(of secret: SecretRecord) throws
    /// Every secret, ordered by name.
    func allSecrets() throws -> [SecretRecord]
    /// Deletes the secret with its versions, rotations and their journals. No error if it does not exist.
    func deleteSecret(named name: String) throws

    // MARK: Versions

    /// Inserts a version; a second `current` version for one secret is refused by the database
    /// (``StoreError/Code/constraintViolation``): demote the old one first, in the same transaction.
    func insertVersion(_ version: SecretVersionRecord) throws
    func version(id: String) throws -> SecretVersionRecord?
    /// Every version of the secret, newest first.
    func versions(secretName: String) throws -> [SecretVersionRecord]
    /// The newest version of the secret with that label.
    func version(secretName: String, label: VersionLabel) throws -> SecretVersionRecord?
    /// Replaces the version with the same id; ``StoreError/Code/notFound`` if there is none.
    func updateVersion(_ version: SecretVersionRecord) throws
}
