/// The typed operations of one store transaction: every aggregate's protocol in one.
///
/// A value of this type is valid only inside the `body` passed to ``Store/transaction(_:)`` and only on the
/// thread that runs it (hence not `Sendable`). Timestamps are stored as whole milliseconds since 1970 (UTC):
/// a `Date` with a finer fraction reads back rounded to the millisecond.
///
/// The same rules hold for each part. A helper that works inside a caller's transaction takes the narrowest
/// part it uses (e.g. `any SettingsTransaction`); `any StoreTransaction` converts to it implicitly.
///
/// A protocol rather than a typealias of the composition: `any StoreTransaction` stays one named existential
/// (one witness table, one name in signatures and diagnostics), and the backend opts in explicitly.
public protocol StoreTransaction:
    SecretsTransaction, RotationsTransaction, APIKeysTransaction, NotificationsTransaction, AuditTransaction, SettingsTransaction,
    BulkKeysTransaction, SessionsTransaction {}
