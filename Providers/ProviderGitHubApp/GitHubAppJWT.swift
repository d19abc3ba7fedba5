import Foundation
import RotorCrypto

/// The JWT a GitHub App authenticates with (docs.github.com, "Generating a JSON Web Token for a GitHub App"):
/// RS256, `iat` 60 seconds in the past against clock drift, `exp` 9 minutes ahead (GitHub refuses more than 10),
/// `iss` the App ID or client ID.
enum GitHubAppJWT {
    static let backdate: TimeInterval = 60
    static let lifetime: TimeInterval = 9 * 60

    /// Signs the token with the PEM private key `pem`.
    ///
    /// - Throws: ``SigningKeyError`` for a PEM that is no unencrypted RSA private key (never quoting it).
    static func sign(pem: String, issuer: GitHubAppIssuer, now: Date) throws -> String {
        let key = try RSAPrivateKey(pem: pem)
        let seconds = Int(now.timeIntervalSince1970)
        let claims = #"{"iat":\#(seconds - Int(backdate)),"exp":\#(seconds + Int(lifetime)),"iss":\#(issuer.json)}"#
        return try RS256Token.sign(claims: claims, with: key)
    }
}
