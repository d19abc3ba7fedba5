import Foundation
import RotorCore
import Testing

/// rotor.yml's `users:` (who may sign in to the dashboard): read when right; broken, hostile and huge input refused
/// at FILE:LINE:COL without echoing a token written in the file.
@Suite struct UsersConfigTests {
    func problems(_ text: String) -> [String] {
        do {
            _ = try RotorConfig.parse(file: "rotor.yml", text: text)
            return []
        } catch let error as RotorConfigError {
            return error.diagnostics.map { "\($0.location.line): \($0.message) \($0.hint ?? "")" }
        } catch {
            return ["\(error)"]
        }
    }

    @Test func usersAreReadWithTheirRolesAndTokenReferences() throws {
        let config = try RotorConfig.parse(file: "rotor.yml", text: """
            users:
              - { name: alice, role: operator, token: env:ROTOR_TOKEN_ALICE }
              - { name: bob, role: viewer, token: file:/run/secrets/rotor-bob }
            """)
        #expect(config.users.map(\.name) == ["alice", "bob"])
        #expect(config.users.map(\.role) == [.operator, .viewer])
        #expect(config.users[0].token == (try CredentialReference(parsing: "env:ROTOR_TOKEN_ALICE")))
        #expect(try RotorConfig.parse(file: "rotor.yml", text: "server: {}\n").users.isEmpty)
    }

    @Test func brokenAndHostileUsersAreRefusedWithoutEchoingATokenWrittenInTheFile() {
        let literal = "tok-written-in-the-file-SECRET"
        let cases: [(String, String)] = [
            ("users: { name: alice }", "a list"),
            ("users:\n  - { name: alice, role: admin, token: env:T }", "is not a role"),
            ("users:\n  - { role: viewer, token: env:T }", "name"),
            ("users:\n  - { name: alice, role: viewer }", "token"),
            ("users:\n  - { name: alice, role: viewer, token: \(literal) }", "credential reference"),
            ("users:\n  - { name: \"<script>\", role: viewer, token: env:T }", "not a valid user name"),
            ("users:\n  - { name: alice, role: viewer, token: env:T }\n  - { name: alice, role: operator, token: env:U }", "listed twice"),
            ("users:\n  - { name: alice, role: viewer, token: env:T, password: x }", "unknown key"),
            ("users:\n  - { name: admin, role: viewer, token: env:T }", "admin token's account"),
            ("users:\n  - just-a-string", "mapping"),
            ("users:\n  - { name: \(String(repeating: "a", count: 5000)), role: viewer, token: env:T }", "not a valid user name"),
        ]
        for (text, expected) in cases {
            let found = problems(text)
            #expect(found.contains { $0.contains(expected) }, "\(text.prefix(80)): \(found)")
            #expect(!found.joined().contains(literal))
        }
    }
}
