/// Why the old value of a rotation whose source a person handles (`manual`) is not known to be revoked yet: it still
/// works at the vendor, its `revoke_check` could not run, or no check exists and nobody has confirmed. The rotation
/// stays in `revoking` and the owner is asked (and reminded). Never carries the value.
public struct RevokePending: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
