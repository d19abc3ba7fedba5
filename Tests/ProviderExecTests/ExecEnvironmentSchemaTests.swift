import ProviderExec
import RotorCore
import Testing

@Suite("exec: env in playbooks")
struct ExecEnvironmentSchemaTests {
    @Test func sourceTargetAndCheckAllTakeEnv() throws {
        let playbook = try ExecPlaybooks.parse(source: "env: { A: env:A_TOKEN }", target: "env: { B: file:/run/b }",
                                               check: "env: { C: secret:other-secret }")
        #expect(playbook.source.stringMap("env")?.map(\.value) == ["env:A_TOKEN"])
        #expect(playbook.targets.first?.stringMap("env")?.map(\.value) == ["file:/run/b"])
        #expect(playbook.checks.first?.stringMap("env")?.map(\.value) == ["secret:other-secret"])
    }

    /// Line 6 is the source's `env:` (see `ExecPlaybooks.yaml`), indented by two: its value starts at column 8.
    @Test(arguments: [
        ("env: { API_KEY: sk-live-abc }", "test.yml:6:19: error: 'env.API_KEY' must be a credential reference (env:NAME, file:PATH or secret:NAME) "
            + "(never write the credential itself into a playbook; point to where it is kept)"),
        ("env: { 1BAD: env:X }", "test.yml:6:10: error: '1BAD' in 'env' is not an environment variable name "
            + "(letters, digits and _, not starting with a digit, e.g. GITHUB_APP_KEY)"),
        ("env: { ADMIN: env:ROTOR_ADMIN_TOKEN }", "test.yml:6:17: error: 'env.ADMIN' must not pass Rotor's own env:ROTOR_ADMIN_TOKEN to a command "
            + "(Rotor's settings and credentials (ROTOR_*) never reach a command; export the value under another name)"),
        ("env: [A, B]", "test.yml:6:8: error: expected a mapping of variable names to credential references (env:NAME, file:PATH or secret:NAME) "
            + "for 'env', got a list"),
        ("env: { A: { nested: x } }", "test.yml:6:13: error: expected a string for 'env.A', got a mapping"),
    ])
    func aBadEnvIsRefusedWithItsPosition(_ line: String, _ expected: String) {
        #expect(ExecPlaybooks.problems(source: line) == [expected])
    }
}
