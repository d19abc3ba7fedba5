/// A source whose new values a person supplies (`provider: manual`): nothing is minted at a vendor. A rotation of
/// it waits in `awaiting_value` until `rotor supply` (or a supply link) hands a value over, which is checked first.
public protocol SuppliedValueSource: CredentialSource {
    /// What the person is asked to do, shown on the supply page and in the request.
    var instructions: String { get }
    /// Checks a supplied value before anything is stored: its pattern, then its test request. Throws a
    /// ``ValueRefusal`` that says why, never quoting the value.
    func check(_ value: SecretValue, clock: any RotorClock) async throws
    /// The same source, whose mint returns `value`: used for the one drive that follows a supply.
    func supplying(_ value: SecretValue) -> any CredentialSource
    /// What the owner does to retire the old value at the vendor (`revoke_instructions`); nil when none is given.
    var revokeInstructions: String? { get }
    /// Whether a `revoke_check` proves the old value dead; without one, a person's confirmation closes the revoke.
    var hasRevokeCheck: Bool { get }
    /// Runs the `revoke_check` with the OLD value. Returns what proved it dead (e.g. `GET … answered HTTP 401`);
    /// throws ``RevokePending`` while the value still works or the check cannot run. Never quotes the value.
    func proveRevoked(_ old: SecretValue, clock: any RotorClock) async throws -> String
}

extension SuppliedValueSource {
    public var revokeInstructions: String? { nil }
    public var hasRevokeCheck: Bool { false }
    public func proveRevoked(_ old: SecretValue, clock: any RotorClock) async throws -> String {
        throw RevokePending("no revoke_check: a person confirms that the old value is revoked")
    }
}

/// Why a supplied value was refused. Never carries the value.
public struct ValueRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
