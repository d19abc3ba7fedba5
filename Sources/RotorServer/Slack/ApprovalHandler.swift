/// What an **Approve** button does: approves the rotation waiting in `awaiting_approval`, as the clicking user.
///
/// Injected through ``ServiceDependencies`` by whoever builds the server; the default, ``unavailable``, refuses every
/// approval, so a server without approvals answers the click instead of failing.
public struct ApprovalHandler: Sendable {
    /// Why an approval was not given, shown in the Slack message.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    let approve: @Sendable (_ rotationID: String, _ actor: String) async throws -> String

    /// A handler that approves rotation `rotationID` for `actor` and returns what happened (one sentence), or throws
    /// ``Refusal`` (or any error whose description says why) when it may not.
    public init(approve: @escaping @Sendable (_ rotationID: String, _ actor: String) async throws -> String) {
        self.approve = approve
    }

    /// Refuses every approval: "approvals are not available on this server".
    public static let unavailable = ApprovalHandler { _, _ in throw Refusal("approvals are not available on this server") }
}
