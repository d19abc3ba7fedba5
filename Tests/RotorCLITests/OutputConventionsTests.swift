import Foundation
import RotorCore
import RotorTestSupport
import Testing

/// The command line behaves like the tools operators already script (README "Scripting"): emoji and colour
/// only on a terminal, NO_COLOR and TERM=dumb honoured, --quiet and --verbose, one JSON style with a
/// schema_version in every document, and one exit status table. All through the real binary.
@Suite("Output conventions", .serialized)
struct OutputConventionsTests {
    static let escape: Unicode.Scalar = "\u{1B}"

    /// Emoji a terminal would draw as a picture (and the variation selector that turns a symbol into one).
    static func emoji(in text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.filter { $0.value == 0xFE0F || ($0.value > 0x7F && $0.properties.isEmoji) }
    }

    static func expectPlain(_ result: RotorProcess.Result, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let both = result.stdout + result.stderr
        #expect(!both.unicodeScalars.contains(escape), "\(arguments) printed an escape sequence: \(result)", sourceLocation: sourceLocation)
        #expect(emoji(in: both).isEmpty, "\(arguments) printed emoji \(emoji(in: both)): \(result)", sourceLocation: sourceLocation)
    }

    @Test func outputToAPipeHasNoEscapeSequencesOrEmoji() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            _ = try await world.initialise()
            let rotated = try await ScriptTerminal.runInPipe(world, ["rotate", "app-token", "--reason", "pipe"])
            #expect(rotated.status == 0, "\(rotated)")
            Self.expectPlain(rotated, ["rotate"])
            #expect(rotated.stdout.contains("[ok] "), "the marks are words in a pipe: \(rotated)")
            for arguments in [["doctor"], ["status"], ["status", "app-token"], ["history", "app-token"], ["compliance"],
                              ["schedule"], ["validate"], ["plan", "app-token"], ["version"], ["tick"], ["status", "--bogus"],
                              ["keys", "verify", "rk_live_nonsense"], ["rollback", "app-token", "--reason", "pipe"]] {
                Self.expectPlain(try await ScriptTerminal.runInPipe(world, arguments), arguments)
            }
        }
    }

    @Test func aTerminalGetsColourAndEmojiUnlessNoColorOrDumbSaySo() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            #expect(try await world.run(["init"]).status == 0)
            let shown = try await ScriptTerminal.run(world, ["doctor"])
            #expect(shown.status == 0, "\(shown)")
            #expect(shown.stdout.contains("✅"), "\(shown)")
            #expect(shown.stdout.contains("\u{1B}[32m"), "a check that passed is green: \(shown)")
            // NO_COLOR counts when it is set to anything but the empty string (no-color.org).
            #expect(try await ScriptTerminal.run(world, ["doctor"], env: ["NO_COLOR": ""]).stdout.contains("\u{1B}["))

            let error = try await ScriptTerminal.run(world, ["status", "--bogus"])
            #expect(error.status == 2, "\(error)")
            #expect(error.stdout.contains("\u{1B}[31mError:"), "an error on a terminal says so in red: \(error)")

            for env in [["NO_COLOR": "1"], ["NO_COLOR": "yes please"], ["TERM": "dumb"]] {
                for arguments in [["doctor"], ["status", "--bogus"], ["validate"]] {
                    let plain = try await ScriptTerminal.run(world, arguments, env: env)
                    Self.expectPlain(plain, arguments + ["\(env)"])
                }
                #expect(try await ScriptTerminal.run(world, ["doctor"], env: env).stdout.contains("[ok] master key"))
            }
        }
    }

    @Test func quietPrintsOnlyErrorsAndTheResultAndVerboseLogsAtDebug() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            let initialised = try await world.run(["init", "--quiet"])
            #expect(initialised.status == 0)
            #expect(!initialised.stdout.contains("Next:") && initialised.stdout.contains("[ok] store"), "\(initialised)")
            let value = "e2e_quiet_" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
            try world.vendorAdopt(value)
            try world.setFile(value)
            #expect(try await world.run(["import", "app-token", "--handle", "h_imported"], stdin: value).status == 0)

            // ROTOR_LOG_LEVEL=trace (the world's) is quietened by the flag: the flag wins over the environment.
            let quiet = try await world.run(["rotate", "app-token", "--quiet"])
            #expect(quiet.status == 0, "\(quiet)")
            let lines = quiet.stdout.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("[ok] app-token: "), "only how the rotation ended: \(quiet)")
            #expect(quiet.stderr.isEmpty, "no log lines below error: \(quiet)")
            #expect(try await world.run(["tick", "--quiet"]).stdout.isEmpty, "nothing to do says nothing")

            let verbose = try await world.run(["status", "--verbose"], env: ["ROTOR_LOG_LEVEL": "error"])
            #expect(verbose.status == 0)
            #expect(verbose.stderr.contains(" debug "), "--verbose logs at debug over ROTOR_LOG_LEVEL: \(verbose)")
            #expect(try await world.run(["status"], env: ["ROTOR_LOG_LEVEL": "error"]).stderr.isEmpty)

            let both = try await world.run(["status", "--quiet", "--verbose"])
            #expect(both.status == 2 && both.stderr.contains("cannot be used together"), "\(both)")
            // Every command takes them, also those that need no store.
            #expect(try await world.run(["version", "--quiet"]).status == 0)
            #expect(try await world.run(["validate", "--verbose"]).status == 0)
        }
    }

    @Test func exitStatusIsOneForAFailedOperationAndTwoForAUsageOrConfigurationError() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            // The master key does not exist yet: configuration, nothing attempted.
            #expect(try await world.run(["status"]).status == 2)
            _ = try await world.initialise()
            #expect(try await world.run(["status"]).status == 0)

            // Usage: an unknown option, a value that does not parse, a combination validate() refuses.
            for arguments in [["status", "--bogus"], ["history", "app-token", "--limit", "many"], ["resolve", "app-token"],
                              ["nonsense"], ["keys", "verify"], ["notifications", "list", "--limit", "0"]] {
                let result = try await world.run(arguments)
                #expect(result.status == 2, "\(arguments): \(result)")
                #expect(result.stderr.contains("Error:"), "\(arguments): \(result)")
            }

            // The operation failed: a check fails and the rotation rolls back; a key that is not valid.
            try world.setAppDown(true)
            let rolledBack = try await world.run(["rotate", "app-token"])
            #expect(rolledBack.status == 1, "\(rolledBack)")
            try world.setAppDown(false)
            #expect(try await world.run(["keys", "verify", "rk_live_nonsense"]).status == 1)
            #expect(try await world.run(["history", "app-tokn"]).status == 1, "an unknown secret is a failed lookup")

            // Configuration: a broken playbook for the secret named, a broken rotor.yml.
            let playbook = "\(world.dir)/Playbooks/app-token.yml"
            let good = try String(contentsOfFile: playbook, encoding: .utf8)
            try (good + "\nbogus_key: 1\n").write(toFile: playbook, atomically: true, encoding: .utf8)
            let invalid = try await world.run(["rotate", "app-token"])
            #expect(invalid.status == 2 && invalid.stderr.contains("is invalid"), "\(invalid)")
            try good.write(toFile: playbook, atomically: true, encoding: .utf8)
            try "channels: [ unclosed\n".write(toFile: "\(world.dir)/rotor.yml", atomically: true, encoding: .utf8)
            for arguments in [["status"], ["rotate", "app-token"], ["validate"], ["keys", "list"], ["tick"]] {
                let result = try await world.run(arguments)
                #expect(result.status == 2, "\(arguments): \(result)")
                #expect(result.stderr.contains("rotor.yml"), "\(arguments): \(result)")
            }

            let help = try await world.run(["--help"])
            #expect(help.status == 0)
            for line in ["Exit status:", "0   ok", "1   the operation failed", "2   usage or configuration error"] {
                #expect(help.stdout.contains(line), "\(help)")
            }
        }
    }
}
