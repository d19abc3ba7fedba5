import RotorApp
import RotorCore
import RotorServer
import Testing

/// The dashboard's sign-in tokens as rotor.yml's references resolve them: short ones and shared ones are refused,
/// naming the account and never the token.
@Suite("Dashboard token rules")
struct DashboardTokenRulesTests {
    static func account(_ name: String, _ token: String) -> DashboardAccount {
        DashboardAccount(name: name, role: .viewer, token: SecretValue(token))
    }

    @Test func distinctLongTokensPass() throws {
        try DashboardTokenRules.check(users: [Self.account("alice", "a3f9c2e81b7d4f60a9e2"), Self.account("bob", "b3f9c2e81b7d4f60a9e2")],
                                      admin: SecretValue("admin-token-0123456789"))
    }

    @Test func aShortOrSharedTokenIsRefusedNamingTheAccountNotTheToken() {
        let cases: [([DashboardAccount], SecretValue?, String)] = [
            ([Self.account("alice", "short-TOKEN")], nil, "user 'alice' in rotor.yml has 11 characters"),
            ([Self.account("alice", "shared-TOKEN-0123456789"), Self.account("bob", "shared-TOKEN-0123456789")], nil,
             "user 'bob' in rotor.yml has the same sign-in token as user 'alice'"),
            ([Self.account("alice", "shared-TOKEN-0123456789")], SecretValue("shared-TOKEN-0123456789"),
             "user 'alice' in rotor.yml has the same sign-in token as the admin token"),
        ]
        for (users, admin, expected) in cases {
            do {
                try DashboardTokenRules.check(users: users, admin: admin)
                Issue.record("accepted: \(expected)")
            } catch {
                #expect("\(error)".contains(expected), "\(error)")
                #expect(!"\(error)".contains("TOKEN"), "no token in the message: \(error)")
            }
        }
    }
}
