import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A person's browser, as far as HTTP goes: keeps the session cookie, sends forms with the CSRF token of the last
/// page, from the dashboard's own origin.
final class DashboardClient: @unchecked Sendable {
    let client: any TestClientProtocol
    let origin: String
    var cookie: String?
    var lastCSRF: String?

    init(_ client: any TestClientProtocol, origin: String = "https://rotor.example.com") {
        self.client = client
        self.origin = origin
    }

    @discardableResult
    func get(_ path: String) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let header = [cookie, signInCookie].compactMap({ $0 }).joined(separator: "; ").nilIfEmpty { headers[.cookie] = header }
        let response = try await client.execute(uri: path, method: .get, headers: headers, body: nil)
        remember(response)
        return response
    }

    @discardableResult
    func post(_ path: String, _ fields: [String: String], csrf: String? = nil, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var all = fields
        if all["csrf"] == nil { all["csrf"] = csrf ?? lastCSRF ?? "" }
        let body = all.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .origin: origin]
        if let header = [cookie, signInCookie].compactMap({ $0 }).joined(separator: "; ").nilIfEmpty { headers[.cookie] = header }
        for field in extra { headers[field.name] = field.value }
        let response = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
        remember(response)
        return response
    }

    /// Signs in with `token` through the sign-in page; returns the answer to the form.
    @discardableResult
    func signIn(_ token: String) async throws -> TestResponse {
        try await get("/ui/sign-in")
        return try await post("/ui/sign-in", ["token": token])
    }

    var setCookies: [String] = []
    /// The sign-in form's own cookie (its CSRF token), sent along with the session cookie.
    var signInCookie: String?

    private func remember(_ response: TestResponse) {
        setCookies = response.headers[values: .setCookie]
        for line in setCookies {
            guard let pair = line.split(separator: ";").first else { continue }
            if pair.hasPrefix("rotor_session=") { cookie = String(pair) }
            if pair.hasPrefix("rotor_sign_in=") { signInCookie = String(pair) }
        }
        let text = String(buffer: response.body)
        if let range = text.range(of: "name=\"csrf\" value=\"") {
            lastCSRF = String(text[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}

private extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
