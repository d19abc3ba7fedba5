import ArgumentParser

/// Lets the global options (`--home`, `--store`, `--playbooks`, `--config`) come before the subcommand, as in
/// `rotor --home /srv/rotor status`, the way gh, kubectl and terraform accept them. ArgumentParser only parses an
/// option on the command that declares it (every leaf command, through ``GlobalOptions``), so the arguments are
/// reordered before parsing: global options met while walking down the subcommand path move to just after it.
enum GlobalArgumentOrder {
    /// The global options that take a value, as spelt on the command line.
    static let names: Set<String> = ["--home", "--store", "--playbooks", "--config"]

    /// `arguments` (without the program name) with global options found before the end of the subcommand path
    /// moved right after it. Everything else keeps its order; from the first argument that is neither a
    /// subcommand nor a global option on, nothing moves.
    static func reorder(_ arguments: [String], root: any ParsableCommand.Type) -> [String] {
        var path: [String] = []
        var moved: [String] = []
        var command = root
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if names.contains(argument), index + 1 < arguments.endIndex {
                moved += [argument, arguments[index + 1]]
                index += 2
            } else if let name = argument.split(separator: "=", maxSplits: 1).first, argument.contains("="),
                      names.contains(String(name)) {
                moved.append(argument)
                index += 1
            } else if let next = subcommand(named: argument, of: command) {
                path.append(argument)
                command = next
                index += 1
            } else {
                break
            }
        }
        return path + moved + arguments[index...]
    }

    /// The subcommand of `command` called `name` (or one of its aliases).
    static func subcommand(named name: String, of command: any ParsableCommand.Type) -> (any ParsableCommand.Type)? {
        command.configuration.subcommands.first { $0._commandName == name || $0.configuration.aliases.contains(name) }
    }
}
