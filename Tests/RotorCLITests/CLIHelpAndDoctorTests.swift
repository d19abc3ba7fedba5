import Foundation
import RotorCore
import RotorSandbox
import RotorTestSupport
import Testing

/// Help, completion and `rotor doctor`'s checks of credentials and providers, through the real binary.
@Suite("CLI help and doctor", .serialized)
struct CLIHelpAndDoctorTests {
    @Test func completionScriptsAreGeneratedForEveryShell() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            for (shell, marker) in [("bash", "-F _rotor rotor"), ("zsh", "#compdef rotor"), ("fish", "complete -c 'rotor'")] {
                let script = try await world.run(["--generate-completion-script", shell])
                #expect(script.status == 0, "\(shell): \(script)")
                #expect(script.stdout.contains(marker), "\(shell): \(script.stdout.prefix(300))")
                // Secret names are completed by asking rotor itself.
                #expect(script.stdout.contains("---completion status --"), "\(shell)")
            }
        }
    }

    @Test func secretNamesCompleteFromThePlaybooksWithoutTheStore() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            let playbooks = "\(world.dir)/Playbooks"
            try "secret: billing-key # the billing API\nsource: { provider: random }\n"
                .write(toFile: "\(playbooks)/billing.yaml", atomically: true, encoding: .utf8)
            // Hostile or irrelevant files: a name with shell syntax, a flow mapping, a huge file, not YAML at all.
            try "secret: \"$(touch \(world.dir)/owned)\"\n".write(toFile: "\(playbooks)/evil.yml", atomically: true, encoding: .utf8)
            try "secret: { name: x }\n".write(toFile: "\(playbooks)/flow.yml", atomically: true, encoding: .utf8)
            try ("secret: huge-one\n" + String(repeating: "# padding\n", count: 200_000))
                .write(toFile: "\(playbooks)/huge.yml", atomically: true, encoding: .utf8)
            try "secret: not-a-playbook\n".write(toFile: "\(playbooks)/notes.txt", atomically: true, encoding: .utf8)
            // No `init`: completion must not need the master key or the store.
            func complete(_ word: String, _ extra: [String] = [], env: [String: String] = [:]) async throws -> [String] {
                let words = ["rotor", "status"] + extra + [word]
                let result = try await world.run(["---completion", "status", "--", "positional@0", "\(words.count - 1)", "\(word.count)"] + words,
                                                 env: env)
                #expect(result.status == 0, "\(result)")
                return result.stdout.split(separator: "\n").map(String.init)
            }
            #expect(try await complete("") == ["app-token", "billing-key"])
            #expect(try await complete("bil") == ["billing-key"])
            #expect(try await complete("zzz") == [])
            #expect(!FileManager.default.fileExists(atPath: "\(world.dir)/owned"))
            // --playbooks on the line being completed wins over ROTOR_PLAYBOOKS; a missing folder offers nothing.
            let other = "\(world.dir)/other"
            try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
            try "secret: other-secret\n".write(toFile: "\(other)/o.yml", atomically: true, encoding: .utf8)
            #expect(try await complete("", ["--playbooks", other]) == ["other-secret"])
            #expect(try await complete("", ["--playbooks=\(other)"]) == ["other-secret"])
            #expect(try await complete("", env: ["ROTOR_PLAYBOOKS": "\(world.dir)/missing"]) == [])
        }
    }

    @Test func everySubcommandsHelpHasAnExample() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            var pending: [[String]] = [[]]
            var seen = 0
            while let path = pending.popLast() {
                let help = try await world.run(path + ["--help"])
                #expect(help.status == 0, "\(path): \(help)")
                #expect(help.stdout.contains("Example"), "rotor \(path.joined(separator: " ")) --help has no example:\n\(help.stdout)")
                pending += Self.subcommands(in: help.stdout).map { path + [$0] }
                seen += 1
            }
            #expect(seen > 30, "walked \(seen) commands")
        }
    }

    /// `make install` puts the man pages `make man` generated (one per command) into PREFIX/share/man/man1.
    @Test func makeInstallInstallsTheGeneratedManPages() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-man-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let pages = "\(scratch)/man"
        try FileManager.default.createDirectory(atPath: pages, withIntermediateDirectories: true)
        for page in ["rotor.1", "rotor.status.1", "rotor.keys.revoke.1"] {
            try ".TH \(page)\n".write(toFile: "\(pages)/\(page)", atomically: true, encoding: .utf8)
        }
        let binDir = URL(fileURLWithPath: RotorProcess.executable).deletingLastPathComponent().path
        let make = try OperationsTests.run("/usr/bin/make", ["-C", OperationsTests.repository, "install", "PREFIX=\(scratch)/prefix",
                                                             "BIN_DIR=\(binDir)", "MAN_DIR=\(pages)"])
        #expect(make.status == 0, "\(make.output)")
        for page in ["rotor.1", "rotor.status.1", "rotor.keys.revoke.1"] {
            let installed = "\(scratch)/prefix/share/man/man1/\(page)"
            let mode = try FileManager.default.attributesOfItem(atPath: installed)[.posixPermissions] as? Int
            #expect(mode == 0o644, "\(installed)")
        }
        // Without generated pages, install still works and says how to get them.
        let without = try OperationsTests.run("/usr/bin/make", ["-C", OperationsTests.repository, "install", "PREFIX=\(scratch)/bare",
                                                                "BIN_DIR=\(binDir)", "MAN_DIR=\(scratch)/none"])
        #expect(without.status == 0 && without.output.contains("make man"), "\(without.output)")
    }

    /// The names listed under SUBCOMMANDS: in a help text (each on a line indented by two spaces).
    static func subcommands(in help: String) -> [String] {
        guard let section = help.components(separatedBy: "SUBCOMMANDS:").dropFirst().first else { return [] }
        var names: [String] = []
        for line in section.split(separator: "\n", omittingEmptySubsequences: false).dropFirst() {
            if line.isEmpty { break }
            guard line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first else { continue }
            if name != "help" { names.append(String(name)) }
        }
        return names
    }

    @Test func doctorReachesEachProviderReadOnlyAndNamesABadTokenWithoutPrintingIt() async throws {
        let (world, sandbox) = try await SandboxEndToEndTests.world(.sqlite)
        try await withCleanup({ await sandbox.stop(); await world.close() }) {
            func vendors() async -> [String?] {
                [await sandbox.envValue(project: "web-app", key: "OPENAI_API_KEY"), await sandbox.envValue(service: "srv-api", key: "OPENAI_API_KEY"),
                 await sandbox.envValue(envGroup: "evg-shared", key: "OPENAI_API_KEY"),
                 "\(await sandbox.deployCount(project: "web-app"))", "\(await sandbox.deployCount(service: "srv-api"))"]
            }
            let vendorsBefore = await vendors()
            func writeVaultPlaybook(vault: String) throws {
                try """
                    secret: vault-copy
                    grace: 1h
                    source: { provider: random }
                    targets:
                      - { provider: 1password, connect: "\(sandbox.baseURL)/onepassword", token: env:OP_CONNECT_TOKEN,
                          vault: \(vault), item: rotorsandboxitem0000000001, field: OPENAI_API_KEY }

                    """.write(toFile: "\(world.dir)/Playbooks/vault-copy.yml", atomically: true, encoding: .utf8)
            }
            try writeVaultPlaybook(vault: "rotorsandboxvault000000001")
            let opToken = ["OP_CONNECT_TOKEN": "sandbox-connect-token"]
            let good = try await world.run(["doctor"], env: SandboxEndToEndTests.tokens.merging(opToken) { $1 })
            #expect(good.status == 0, "\(good)")
            for line in ["✅ credential env:VENDOR_ADMIN_TOKEN", "✅ openai-api-key target vercel web-app OPENAI_API_KEY",
                         "✅ openai-api-key target render srv-api OPENAI_API_KEY", "✅ openai-api-key target render evg-shared OPENAI_API_KEY",
                         "✅ vault-copy target 1password rotorsandboxitem0000000001 OPENAI_API_KEY", "✅ credential env:OP_CONNECT_TOKEN"] {
                #expect(good.stdout.contains(line), "\(line):\n\(good)")
            }
            // Read-only: the vendors hold what they held.
            #expect(await vendors() == vendorsBefore)

            // A vault the token may not read.
            try writeVaultPlaybook(vault: "rotorsandboxvault000000002")
            let canary = "canary-vercel-token-5d1e"
            var env = SandboxEndToEndTests.tokens.merging(opToken) { $1 }
            env["VERCEL_TOKEN"] = canary
            env["VENDOR_ADMIN_TOKEN"] = ""
            let bad = try await world.run(["doctor"], env: env)
            #expect(bad.status == 1, "\(bad)")
            let vercel = bad.stdout.split(separator: "\n").filter { $0.contains("target vercel web-app") }
            #expect(vercel.count == 1 && vercel[0].hasPrefix("❌") && vercel[0].contains("rejected the token from env:VERCEL_TOKEN"),
                    "\(bad)")
            #expect(bad.stdout.contains("❌ credential env:VENDOR_ADMIN_TOKEN") && bad.stdout.contains("export VENDOR_ADMIN_TOKEN"), "\(bad)")
            #expect(bad.stdout.contains("✅ openai-api-key target render srv-api OPENAI_API_KEY"), "\(bad)")
            let vault = bad.stdout.split(separator: "\n").filter { $0.contains("vault-copy target 1password") && !$0.contains("credential") }
            #expect(vault.count == 1 && vault[0].hasPrefix("❌") && vault[0].contains("403"), "\(bad)")
            #expect(!bad.stdout.contains(canary) && !bad.stderr.contains(canary), "a token was printed:\n\(bad)")

            try writeVaultPlaybook(vault: "rotorsandboxvault000000001")
            let offline = try await world.run(["doctor", "--offline"], env: SandboxEndToEndTests.tokens.merging(opToken) { $1 })
            #expect(offline.status == 0 && !offline.stdout.contains("target vercel"), "\(offline)")
        }
    }
}
