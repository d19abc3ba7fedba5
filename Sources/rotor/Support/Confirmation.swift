import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Asks a person at a terminal to confirm an action that cannot be undone. Scripts pass `--yes`; without it,
/// when standard input is not a terminal there is nobody to ask, and the command refuses (exit 2, a usage
/// error: the command line lacks `--yes`) rather than guess.
enum Confirmation {
    /// Returns when `yes` was given or the person typed "yes"; otherwise says why on standard error and exits
    /// 2 when nobody could answer, 1 when the person did not confirm. Nothing has been changed either way.
    static func require(_ question: String, yes: Bool) throws {
        if yes { return }
        guard isatty(STDIN_FILENO) == 1 else {
            FileHandle.standardError.write(Data(("Error: this needs confirmation, and standard input is not a terminal: "
                                                 + "nobody can answer; pass --yes to confirm from a script. Nothing was changed.\n").utf8))
            throw ExitCode(2)
        }
        FileHandle.standardError.write(Data("\(question) Type yes to go on: ".utf8))
        guard readLine()?.trimmingCharacters(in: .whitespaces).lowercased() == "yes" else {
            throw CLIError("not confirmed; nothing was changed")
        }
    }
}
