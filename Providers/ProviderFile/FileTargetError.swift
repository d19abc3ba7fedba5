/// Why a file target could not read or write its file; never carries a secret.
public struct FileTargetError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
