import Foundation
import RotorTestSupport
import Testing

/// `rotor validate` with the real providers: what only a rotation would have found is reported up front, each
/// problem on one FILE:LINE:COL line.
@Suite("rotor validate")
struct ValidateCommandTests {
    /// Runs `rotor validate` on `files` (name → text) written to a fresh folder, with `rotor.yml` if given.
    func validate(_ files: [String: String], config: String? = nil) async throws -> RotorProcess.Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-validate-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: "\(dir)/Playbooks", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, text) in files { try text.write(toFile: "\(dir)/Playbooks/\(name)", atomically: true, encoding: .utf8) }
        if let config { try config.write(toFile: "\(dir)/rotor.yml", atomically: true, encoding: .utf8) }
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("ROTOR_") { environment[key] = nil }
        environment["ROTOR_HOME"] = "\(dir)/.rotor"
        return try await RotorProcess(environment: environment, directory: dir).run(["validate", "Playbooks"])
    }

    static func playbook(target: String) -> String {
        "secret: s\nsource: {provider: random}\ntargets:\n  - \(target)\nchecks: []\n"
    }

    @Test func aDotenvKeyThatCannotNameAnEntryIsRefusedWhereItIsWritten() async throws {
        let result = try await validate([
            "equals.yml": Self.playbook(target: "{provider: file, path: .env, key: \"A=B\"}"),
            "newline.yml": Self.playbook(target: "{provider: file, path: .env, key: \"A\\nB=x\"}"),
            "space.yml": Self.playbook(target: "{provider: file, path: .env, key: \" A\"}"),
            "nul.yml": Self.playbook(target: "{provider: file, path: \"a\\0b\", key: A}"),
            "json.yml": Self.playbook(target: "{provider: file, format: json, path: a.json, key: \"A=B\"}"),
        ])
        #expect(result.status == 1, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("Playbooks/equals.yml:4:39: error: a dotenv key cannot contain '=' (it ends the key)"), "\(result)")
        #expect(lines.contains("Playbooks/newline.yml:4:39: error: a dotenv key cannot contain a line break"), "\(result)")
        #expect(lines.contains("Playbooks/space.yml:4:39: error: a dotenv key cannot start or end with a space"), "\(result)")
        #expect(lines.contains { $0.hasPrefix("Playbooks/nul.yml:4:28: error: path contains a NUL character") }, "\(result)")
        #expect(!result.stdout.contains("json.yml"), "a JSON key may hold '='")
        #expect(lines.last == "[failed] 4 problems in 5 files" || lines.last?.hasPrefix("[failed] 4 problems") == true, "\(result)")
    }

    @Test func unknownTagsAreRefusedInPlaybooksAndInRotorYml() async throws {
        let tagged = "secret: s\nsource: {provider: random}\ndescription: !!python/object:os.system [echo, hi]\n"
            + "owner: !custom team\ntargets: [{provider: file, path: .env, key: A}]\n"
        let playbooks = try await validate(["tagged.yml": tagged])
        #expect(playbooks.status == 1, "\(playbooks)")
        #expect(playbooks.stdout.contains("Playbooks/tagged.yml:3:14: error: unknown YAML tag '!!python/object:os.system'"), "\(playbooks)")
        #expect(playbooks.stdout.contains("Playbooks/tagged.yml:4:8: error: unknown YAML tag '!custom'"), "\(playbooks)")

        let config = try await validate(["ok.yml": Self.playbook(target: "{provider: file, path: .env, key: A}")],
                                        config: "channels:\n  ops: !!python/object/apply:os.system [\"id\"]\n")
        #expect(config.status != 0, "\(config)")
        #expect((config.stdout + config.stderr).contains("rotor.yml:2:8: error: unknown YAML tag '!!python/object/apply:os.system'"),
                "\(config)")
    }
}
