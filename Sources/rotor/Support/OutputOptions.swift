import ArgumentParser

/// `--quiet` and `--verbose`: how much a command says. Every command takes them, through ``GlobalOptions`` or
/// directly (`version`, `sandbox`).
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print only errors and the result: no progress, hints or advice.") var quiet = false
    @Flag(help: "Log at debug level to standard error (over ROTOR_LOG_LEVEL).") var verbose = false

    /// ArgumentParser validates an option group as it decodes it, before the command runs: the one moment every
    /// command passes through, so the choice is recorded here for ``Console`` and ``CLILogging`` to read.
    func validate() throws {
        if quiet, verbose { throw ValidationError("--quiet and --verbose cannot be used together") }
        Console.configure(quiet: quiet, verbose: verbose)
    }
}
