import ArgumentParser

/// A failure the user can act on: printed as `Error: MESSAGE`. Exit status 1 (the operation failed), or 2 for
/// ``usage(_:)`` (the command line or the configuration is wrong; see ``ExitStatus``).
struct CLIError: Error, CustomStringConvertible {
    let description: String
    /// The process's exit status.
    let status: Int32

    init(_ message: String) {
        description = message
        status = ExitStatus.failed
    }

    private init(_ message: String, status: Int32) {
        description = message
        self.status = status
    }

    /// A usage or configuration error: a bad rotor.yml or playbook, a master key or store that cannot be opened.
    static func usage(_ message: String) -> CLIError { CLIError(message, status: ExitStatus.usage) }
}
