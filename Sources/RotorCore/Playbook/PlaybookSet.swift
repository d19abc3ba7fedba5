/// The result of reading many playbook files: the valid playbooks, and every problem found.
public struct PlaybookSet: Sendable, Equatable {
    /// Valid playbooks, in the order their files were given (directories expanded in name order).
    public var playbooks: [Playbook]
    /// Every problem in every file, in file order then position.
    public var diagnostics: [Diagnostic]
    /// Files that gave no valid playbook, each with its problems. A broken file never hides the others.
    public var invalidFiles: [String: [Diagnostic]]

    /// A set with the given contents (empty by default).
    public init(playbooks: [Playbook] = [], diagnostics: [Diagnostic] = [], invalidFiles: [String: [Diagnostic]] = [:]) {
        self.playbooks = playbooks
        self.diagnostics = diagnostics
        self.invalidFiles = invalidFiles
    }

    /// The playbook for `secret`, if valid.
    public func playbook(for secret: String) -> Playbook? {
        playbooks.first { $0.secret == secret }
    }
}
