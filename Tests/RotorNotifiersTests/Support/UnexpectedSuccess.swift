/// Thrown by a test helper that expected an operation to fail when it succeeded.
struct UnexpectedSuccess: Error, CustomStringConvertible {
    let what: String
    var description: String { "expected \(what) to fail, but it succeeded" }
}
