/// Why a command could not run or did not succeed; never carries a secret (stderr is scrubbed first).
public struct ExecError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
