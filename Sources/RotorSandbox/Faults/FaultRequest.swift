/// The parts of a request that faults match on.
struct FaultRequest: Sendable {
    /// The emulated API the request went to.
    let target: SandboxFault.Target
    /// The path relative to that API's base.
    let path: String
    /// The full request path.
    let fullPath: String
    /// The method, uppercase.
    let method: String
}
