import Foundation
import RotorCore
import RotorCrypto
import RotorHTTP

/// Checks a GitHub App private key the way GitHub authenticates an App: it signs an RS256 JWT with the value (the
/// PEM) — `iat` a minute ago for clock drift, `exp` nine minutes ahead (GitHub allows at most ten), `iss` the App
/// ID or client ID — and calls `GET /app` with it. Passes when GitHub answers `expect_status`: 200 for a key that
/// works, 401 to prove that an old (deleted) key no longer does.
///
/// Usable in `checks:` and as a manual source's `test:`. One attempt: GitHub accepts a new key at once.
public struct GitHubAppCheck: SecretCheck {
    public static let schema = ProviderSchema(kind: .check, name: "github-app", fields: [
        FieldSpec("app_id", .string, doc: "the App ID (GitHub → Settings → Developer settings → GitHub Apps → the app); or client_id"),
        FieldSpec("client_id", .string, doc: "the App's client ID (Iv23…), which GitHub also accepts as the issuer; or app_id"),
        FieldSpec("api_url", .url, doc: "the REST API base; default https://api.github.com"),
        FieldSpec("expect_status", .int(100...599), doc: "default 200; 401 proves an old key is refused"),
        FieldSpec("timeout", .duration, doc: "default 10s"),
    ], labelFields: ["app_id", "client_id"], rules: GitHubAppRules.check)

    /// GitHub's public API.
    public static let defaultAPI = "https://api.github.com"

    public let issuer: GitHubAppIssuer
    public let apiURL: String
    public let expectStatus: Int
    public let timeout: Duration
    let client: HTTPClient

    public init(config: ProviderConfig, client: HTTPClient) {
        issuer = GitHubAppIssuer(appID: config.string("app_id"), clientID: config.string("client_id"))
        apiURL = config.string("api_url") ?? Self.defaultAPI
        expectStatus = config.int("expect_status") ?? 200
        timeout = config.duration("timeout") ?? .seconds(10)
        self.client = client
    }

    public var label: String { "check github-app \(issuer.text)" }

    /// The `GET /app` URL under `api_url`.
    var appURL: String {
        (apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL) + "/app"
    }

    public func verify(_ value: SecretValue, _ context: StepContext) async throws {
        let redactor = Redactor(values: [value])
        let jwt: String
        do {
            jwt = try GitHubAppJWT.sign(pem: value.revealed, issuer: issuer, now: context.clock.now)
        } catch {
            throw GitHubAppCheckError("\(label): \(redactor.scrub("\(error)"))")
        }
        var request = HTTPRequest(method: .GET, url: appURL)
        request.headers.add(name: "Authorization", value: "Bearer \(jwt)")
        request.headers.add(name: "Accept", value: "application/vnd.github+json")
        request.headers.add(name: "X-GitHub-Api-Version", value: "2022-11-28")
        request.timeout = timeout
        // The JWT is a credential for ten minutes: never logged, like the key.
        request.secrets = [value.revealed, jwt]
        let shown = HTTPRedactor().redactURL(appURL)
        let response: HTTPResponse
        do {
            response = try await client.execute(request)
        } catch {
            throw GitHubAppCheckError("\(label): GET \(shown) failed: \(Redactor(values: [value, SecretValue(jwt)]).scrub("\(error)"))")
        }
        guard response.status == expectStatus else {
            let said = Self.message(response.body).map { " (GitHub: \(redactor.scrub($0)))" } ?? ""
            throw GitHubAppCheckError("\(label): GET \(shown) answered HTTP \(response.status), expected \(expectStatus)\(said)")
        }
    }

    /// GitHub's `{"message": …}`, shortened.
    static func message(_ body: [UInt8]) -> String? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body.prefix(65_536)))) as? [String: Any],
              let message = object["message"] as? String else { return nil }
        return String(message.prefix(200))
    }
}

/// Why a GitHub App check did not pass. Never carries the key or the JWT.
public struct GitHubAppCheckError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
