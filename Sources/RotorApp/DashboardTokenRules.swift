import RotorCore
import RotorServer

/// The dashboard's sign-in tokens, once resolved: each long enough not to be guessed under the failure limiter, and
/// each person's their own (a token shared by two accounts would sign in as whichever is listed first).
public struct DashboardTokenRules: Error, CustomStringConvertible {
    /// The fewest characters a person's token may have (a 128-bit random token in hex or base64 has more).
    public static let minimumLength = 20

    public let description: String

    /// Throws, naming the account (never a token), when a person's token is short or is another account's too.
    public static func check(users: [DashboardAccount], admin: SecretValue?) throws {
        for user in users where user.token.bytes.count < minimumLength {
            throw DashboardTokenRules(description: "the sign-in token of user '\(user.name)' in rotor.yml has "
                + "\(user.token.bytes.count) characters; use at least \(minimumLength) random ones, for example "
                + "`openssl rand -hex 32`")
        }
        var owners: [[UInt8]: String] = [:]
        if let admin { owners[admin.bytes] = "the admin token" }
        for user in users {
            if let owner = owners[user.token.bytes] {
                throw DashboardTokenRules(description: "user '\(user.name)' in rotor.yml has the same sign-in token as "
                    + "\(owner.hasPrefix("the ") ? owner : "user '\(owner)'"); give every person a token of their own")
            }
            owners[user.token.bytes] = user.name
        }
    }
}
