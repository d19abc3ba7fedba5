import Foundation
import ProviderExec
import RotorCore
import RotorTestSupport
import Testing

@Suite("exec: the command's environment")
struct ExecEnvironmentTests {
    /// Rotor's environment as a daemon has it: its own credentials, vendor tokens, anything else.
    static let rotorEnvironment = [
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        "HOME": "/home/rotor-test", "LANG": "C.UTF-8", "TZ": "Europe/Berlin",
        "ROTOR_ADMIN_TOKEN": "canary-admin-token-7f3a", "ROTOR_REPLY_SECRET": "canary-reply-secret-91c2",
        "ROTOR_MASTER_KEY": "canary-master-key-44d0", "VERCEL_TOKEN": "canary-vercel-token-b81e",
        "FOO": "canary-foo-0c5d", "APP_SIGNING_KEY": "declared-signing-key-6e2b",
    ]

    /// Writes what the command received (its environment and its request) to the file named by its argument.
    static let dumper = #"""
        import json, os, sys
        json.dump({"environment": dict(os.environ), "request": json.load(sys.stdin)}, open(sys.argv[1], "w"))
        """#

    /// The interpreter itself: a `python3` found on PATH may be a wrapper script that adds variables of its own.
    static let python: String = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys; print(sys.executable)"]
        let output = Pipe()
        process.standardOutput = output
        guard (try? process.run()) != nil else { return "/usr/bin/python3" }
        process.waitUntilExit()
        let path = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return path.trimmingCharacters(in: .whitespacesAndNewlines)
    }()

    @Test func theCommandGetsOnlyPathHomeLangTZAndWhatItsEntryDeclares() async throws {
        let dir = try ExecFolder()
        try await withCleanup({ dir.remove() }) {
            try Self.dumper.write(toFile: "\(dir.path)/dump.py", atomically: true, encoding: .utf8)
            try "key-from-a-file-2d9f\n".write(toFile: "\(dir.path)/key.txt", atomically: true, encoding: .utf8)
            let playbook = try ExecPlaybooks.parse(target: """
                command: [\(Self.python), \(dir.path)/dump.py, \(dir.path)/seen.json]
                env:
                  SIGNING_KEY: env:APP_SIGNING_KEY
                  FROM_FILE: file:\(dir.path)/key.txt
                """)
            let credentials = CredentialResolver(environment: Self.rotorEnvironment, store: nil, sealer: nil)
            let target = ExecTarget(config: try #require(playbook.targets.first), credentials: credentials,
                                    environment: Self.rotorEnvironment)

            try await target.apply(SecretValue("the-new-credential-5a7c"), stepContext(step: .propagate(0)))

            let seen = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir.path)/seen.json"))) as? [String: Any]
            let environment = try #require(seen?["environment"] as? [String: String])
            #expect(Set(environment.keys) == ["PATH", "HOME", "LANG", "TZ", "SIGNING_KEY", "FROM_FILE"])
            for name in ["PATH", "HOME", "LANG", "TZ"] { #expect(environment[name] == Self.rotorEnvironment[name], "\(name)") }
            #expect(environment["SIGNING_KEY"] == "declared-signing-key-6e2b")
            #expect(environment["FROM_FILE"] == "key-from-a-file-2d9f")
            #expect(!environment.values.contains { $0.contains("canary") }, "one of Rotor's own values reached the command")
            // The value to write travels on stdin only.
            let request = try #require(seen?["request"] as? [String: Any])
            #expect(request["action"] as? String == "apply" && request["value"] as? String == "the-new-credential-5a7c")
            #expect(!environment.values.contains { $0.contains("the-new-credential") })
        }
    }

    @Test func aDeclaredVariableThatCannotBeResolvedStopsTheCommandBeforeItStarts() async throws {
        let dir = try ExecFolder()
        try await withCleanup({ dir.remove() }) {
            let playbook = try ExecPlaybooks.parse(check: """
                command: [/usr/bin/touch, \(dir.path)/ran]
                env: { API_KEY: env:NOT_EXPORTED }
                """)
            let check = ExecCheck(config: try #require(playbook.checks.first),
                                  credentials: CredentialResolver(environment: Self.rotorEnvironment, store: nil, sealer: nil),
                                  environment: Self.rotorEnvironment)
            let error = await #expect(throws: ExecError.self) {
                try await check.verify(SecretValue("value-under-test"), stepContext(step: .verify(0)))
            }
            #expect(error?.description == "exec touch: env API_KEY: env:NOT_EXPORTED is not set; export NOT_EXPORTED in rotor's environment")
            #expect(!FileManager.default.fileExists(atPath: "\(dir.path)/ran"))
        }
    }

    /// A declared value is a credential: when the command prints it to stderr, the error shows it redacted.
    @Test func aDeclaredValueNeverAppearsInAnError() async throws {
        let playbook = try ExecPlaybooks.parse(source: """
            command: [/bin/sh, -c, "echo \\"bad key $SIGNING_KEY\\" >&2; exit 3"]
            env: { SIGNING_KEY: env:APP_SIGNING_KEY }
            """)
        let source = ExecSource(config: playbook.source,
                                credentials: CredentialResolver(environment: Self.rotorEnvironment, store: nil, sealer: nil),
                                environment: Self.rotorEnvironment)
        let error = await #expect(throws: ExecError.self) { try await source.mint(stepContext()) }
        #expect(error?.description == "exec sh mint: exit status 3: bad key <redacted>")
    }
}
