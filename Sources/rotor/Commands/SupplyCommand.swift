import ArgumentParser
import Foundation
import RotorApp
import RotorCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct SupplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supply",
        abstract: "Hand SECRET's new value to its waiting rotation (a `manual` source), read from standard input.",
        discussion: """
            The value is read from standard input only (never from an argument or the environment, which other users and logs can see); on a terminal it is not echoed. It is checked first (the playbook's `expect`, then its `test` request); a refused value says why and changes nothing, and the rotation keeps waiting. An accepted value is sealed, and the rotation goes on in this process: propagate, verify, grace. Exit status 0 when the new value is live and verified, 1 otherwise.

            Examples:
              rotor supply stripe-api-key < new-key.txt
              pbpaste | rotor supply stripe-api-key
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The secret's name.") var secret: String
    @Flag(help: "Print the outcome as JSON (steps are not printed).") var json = false

    func run() async throws {
        let observer = json ? StepPrinter.silent : StepPrinter.printer
        let outcome = try await RotorApp.with(global) { app -> RotationOutcome in
            let playbook = try app.playbook(secret, in: app.loadPlaybooks())
            let supplies = app.supplies(observer: observer)
            // Refuse before reading when nothing waits: nobody should paste a key for nothing.
            _ = try await supplies.waitingRotation(playbook)
            let value = try SuppliedInput.read(prompt: "New value of \(secret) (not echoed): ")
            do {
                return try await supplies.supply(playbook, value: value, actor: RotorApp.actor)
            } catch let refusal as ValueRefusal {
                throw CLIError("value refused: \(refusal.description)")
            }
        }
        if json { print(JSONOutput.document(OutcomeJSON(outcome))) }
        if !outcome.succeeded { throw ExitCode.failure }
    }
}

/// Reads a supplied value from standard input: everything up to end of input (one trailing line break dropped), or
/// on a terminal one line with echo off.
enum SuppliedInput {
    static func read(prompt: String) throws -> SecretValue {
        let limit = 16_384
        var bytes: [UInt8] = []
        if isatty(STDIN_FILENO) == 1 {
            FileHandle.standardError.write(Data(prompt.utf8))
            var saved = termios()
            tcgetattr(STDIN_FILENO, &saved)
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
            defer {
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
                FileHandle.standardError.write(Data("\n".utf8))
            }
            while bytes.count <= limit, let byte = readByte(), byte != 0x0A { bytes.append(byte) }
        } else {
            while bytes.count <= limit, let byte = readByte() { bytes.append(byte) }
        }
        if bytes.last == 0x0A { bytes.removeLast() }
        if bytes.last == 0x0D { bytes.removeLast() }
        guard bytes.count <= limit else { throw CLIError("the value on standard input is longer than \(limit) bytes; nothing was changed") }
        guard !bytes.isEmpty else { throw CLIError("no value on standard input; nothing was changed (e.g. rotor supply SECRET < key.txt)") }
        return SecretValue(bytes: bytes)
    }

    private static func readByte() -> UInt8? {
        var byte: UInt8 = 0
        while true {
            #if canImport(Glibc)
            let count = Glibc.read(STDIN_FILENO, &byte, 1)
            #else
            let count = Darwin.read(STDIN_FILENO, &byte, 1)
            #endif
            if count == 1 { return byte }
            if count < 0 && errno == EINTR { continue }
            return nil
        }
    }
}
