/// What went wrong in the `http` source: which request, what the vendor answered, what to do next.
/// Built only from statuses, URLs (redacted), pointers, references and the vendor's own error message
/// (with every token and value scrubbed), never from a credential.
public struct HTTPSourceError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
}
