import Foundation
import RotorCrypto

/// One GitHub App, as strict as GitHub about the JWT it authenticates with (docs.github.com, "Generating a JSON Web
/// Token (JWT) for a GitHub App"): RS256, signed by one of the App's registered keys, `iss` its App ID (a number,
/// or its text) or client ID, `exp` in the future and at most 10 minutes after `iat`, `iat` not in the future
/// beyond a minute of clock drift. Private keys are made and deleted only by admin calls, GitHub's "Generate a
/// private key" and "Delete" buttons; the sandbox keeps only the public halves, as GitHub does. Up to 25 keys.
struct GitHubAppState: Sendable {
    struct Key: Sendable {
        var id: Int
        var publicKeyPEM: String
        var fingerprint: String
        var createdAt: Date
    }

    static let appID = 1_029_384
    static let clientID = "Iv23liRotorSandbox01"
    static let slug = "rotor-sandbox"
    static let maxKeys = 25
    /// How far in the future `iat` may be (clock drift), and how long a token may live.
    static let allowedSkew: TimeInterval = 60
    static let maxLifetime: TimeInterval = 600

    private(set) var keys: [Key] = []
    private var nextID = 1
    let createdAt: Date

    init(now: Date) {
        createdAt = now
    }

    /// Registers the public half of a key made outside the store (RSA generation takes a while).
    mutating func register(publicKeyPEM: String, now: Date) throws(SandboxError) -> Key {
        guard keys.count < Self.maxKeys else { throw SandboxError("a GitHub App has at most \(Self.maxKeys) private keys; delete one first") }
        let key = Key(id: nextID, publicKeyPEM: publicKeyPEM,
                      fingerprint: "SHA256:" + Base64.encode(SHA256.hash(Array(publicKeyPEM.utf8))), createdAt: now)
        nextID += 1
        keys.append(key)
        return key
    }

    /// Deletes key `id`: JWTs it signed are refused from now on. False when there is no such key.
    mutating func delete(id: Int) -> Bool {
        guard let index = keys.firstIndex(where: { $0.id == id }) else { return false }
        keys.remove(at: index)
        return true
    }

    /// Checks a JWT as `GET /app` does; throws the message GitHub answers with 401.
    func authenticate(_ jwt: String?, now: Date) throws(GitHubRefusal) {
        guard let jwt, let token = RS256Token(compact: jwt),
              let header = try? JSONDecoder().decode(JSONValue.self, from: Data(token.header)), header["alg"] == "RS256",
              let claims = try? JSONDecoder().decode(JSONValue.self, from: Data(token.claims)), claims.keys.count > 0 else {
            throw .undecodable
        }
        let signed = keys.contains { key in (try? RSAPublicKey(pem: key.publicKeyPEM)).map(token.isSigned(by:)) ?? false }
        guard signed else { throw .undecodable }
        guard Self.isThisApp(claims["iss"]) else { throw .issuer }
        guard let iat = claims["iat"]?.intValue.map(TimeInterval.init), iat <= now.timeIntervalSince1970 + Self.allowedSkew else {
            throw .issuedAt
        }
        guard let exp = claims["exp"]?.intValue.map(TimeInterval.init), exp > now.timeIntervalSince1970 else { throw .expired }
        guard exp - iat <= Self.maxLifetime else { throw .tooLong }
    }

    private static func isThisApp(_ issuer: JSONValue?) -> Bool {
        if let text = issuer?.stringValue { return text == String(appID) || text == clientID }
        return issuer?.intValue == appID
    }

    /// `GET /app`'s body.
    var json: JSONValue {
        let created = Date(timeIntervalSince1970: createdAt.timeIntervalSince1970.rounded(.down)).ISO8601Format()
        return [
            "id": .int(Self.appID), "slug": .string(Self.slug), "client_id": .string(Self.clientID),
            "node_id": "A_kwDOBxSandbox", "name": "Rotor Sandbox",
            "owner": ["login": "rotor-sandbox", "id": 1, "type": "Organization"],
            "description": "The GitHub App of rotor sandbox", "external_url": "https://example.com",
            "html_url": .string("https://github.com/apps/\(Self.slug)"), "created_at": .string(created),
            "updated_at": .string(created), "permissions": ["metadata": "read"], "events": [], "installations_count": 1,
        ]
    }
}

/// Why GitHub refused an App JWT, in its words.
struct GitHubRefusal: Error, Sendable {
    let message: String

    static let undecodable = GitHubRefusal(message: "A JSON web token could not be decoded")
    static let issuer = GitHubRefusal(message: "'Issuer' claim ('iss') must be the App's ID or client ID")
    static let issuedAt = GitHubRefusal(message: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued")
    static let expired = GitHubRefusal(message: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires")
    static let tooLong = GitHubRefusal(message: "'Expiration time' claim ('exp') is too far in the future")
}
