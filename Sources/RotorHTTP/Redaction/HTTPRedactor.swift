import Foundation

/// Removes credentials from anything the HTTP layer logs or reports: URLs, header values, error text.
///
/// It is the one place that decides what is sensitive, so the client, the retry layer and the errors
/// all redact the same way. It replaces:
/// - every value in `secrets`, also in its percent-encoded form, wherever it appears;
/// - the password of a URL's user info (`https://user:<redacted>@host/`);
/// - the value of a URL query parameter whose name looks like a credential (`?api_key=<redacted>`);
/// - whole values of credential headers (see `isSensitiveHeader(_:)`).
public struct HTTPRedactor: Sendable {
    /// What stands in for a removed value.
    public static let placeholder = "<redacted>"

    private let secrets: [String]

    /// Creates a redactor for the given secret values; empty strings are ignored.
    public init(secrets: [String] = []) {
        var variants = Set<String>()
        for secret in secrets where !secret.isEmpty {
            variants.insert(secret)
            for allowed in [CharacterSet.urlQueryAllowed, .urlPathAllowed, .alphanumerics] {
                if let encoded = secret.addingPercentEncoding(withAllowedCharacters: allowed) {
                    variants.insert(encoded)
                }
            }
        }
        // Longest first, so a secret that contains another is replaced whole.
        self.secrets = variants.sorted { $0.count > $1.count }
    }

    /// `text` with every secret value replaced.
    public func redact(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: Self.placeholder)
        }
        return result
    }

    /// `url` with its secrets, user-info password and credential-like query values replaced.
    public func redactURL(_ url: String) -> String {
        var result = redact(url)
        guard var components = URLComponents(string: result) else { return result }
        var changed = false
        if components.password != nil {
            components.password = Self.placeholder
            changed = true
        }
        if let items = components.queryItems {
            components.queryItems = items.map { item in
                guard item.value != nil, Self.isSensitiveName(item.name) else { return item }
                changed = true
                return URLQueryItem(name: item.name, value: Self.placeholder)
            }
        }
        if changed, let rebuilt = components.string {
            result = rebuilt.replacingOccurrences(of: "%3Credacted%3E", with: Self.placeholder)
        }
        return result
    }

    /// The value to show for a header: `<redacted>` for credential headers, otherwise the value with
    /// its secrets replaced.
    public func headerValue(name: String, value: String) -> String {
        Self.isSensitiveHeader(name) ? Self.placeholder : redact(value)
    }

    /// Headers rendered as `Name: value; Name: value`, for a log line.
    public func describe(_ headers: HTTPHeaders) -> String {
        headers.map { "\($0.name): \(headerValue(name: $0.name, value: $0.value))" }.joined(separator: "; ")
    }

    /// Whether a header's value is a credential and is never shown: Authorization,
    /// Proxy-Authorization, Cookie, Set-Cookie, X-Api-Key, and any name containing token, secret, key
    /// or password.
    public static func isSensitiveHeader(_ name: String) -> Bool {
        let lower = name.lowercased()
        return ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"].contains(lower)
            || isSensitiveName(lower)
    }

    private static func isSensitiveName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return ["token", "secret", "key", "password", "signature"].contains { lower.contains($0) }
    }
}
