import ArgumentParser

/// A failure the user can act on: printed as `error: MESSAGE`, exit status 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
