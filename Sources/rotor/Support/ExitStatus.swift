/// The exit statuses every command uses (README "Scripting", `rotor --help`).
enum ExitStatus {
    /// It worked (for a check: everything passed).
    static let ok: Int32 = 0
    /// The operation failed, or a check found a problem (a rotation rolled back, doctor or compliance found
    /// something, another process holds the rotation).
    static let failed: Int32 = 1
    /// A usage or configuration error: bad arguments, a bad rotor.yml or playbook, a master key or store that
    /// cannot be opened. Nothing was done.
    static let usage: Int32 = 2

    /// The table `rotor --help` and the README show.
    static let table = """
        Exit status:
          0   ok (for checks: everything passed)
          1   the operation failed, or a check found a problem
          2   usage or configuration error (bad arguments, rotor.yml, playbook,
              master key or store); nothing was done
        """
}
