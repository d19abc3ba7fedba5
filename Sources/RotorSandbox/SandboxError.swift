/// A request to the sandbox itself that cannot be carried out: an invalid fault, an unknown app,
/// a server that is already running or could not bind its port.
public struct SandboxError: Error, CustomStringConvertible, Equatable {
    /// What went wrong and what to do instead.
    public let message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { "sandbox: \(message)" }
}
