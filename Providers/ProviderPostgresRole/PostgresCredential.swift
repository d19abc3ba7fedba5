import Foundation
import RotorCore

/// A database login as a secret's value: a connection URL (`postgres://ROLE:PASSWORD@HOST:PORT/DB`) or a
/// JSON pair (`{"user":…,"password":…}`), as the playbook's `format` says.
struct PostgresCredential: Sendable {
    /// How the value is written.
    enum Format: String, Sendable, CaseIterable {
        case url, json
    }

    var user: String
    var password: String

    /// The value in `format`; `url` needs where the database is.
    func encoded(_ format: Format, host: String, port: String, database: String) -> String {
        switch format {
        case .json:
            return ConfigValue.map([("user", .string(user)), ("password", .string(password))]).jsonText
        case .url:
            let userInfo = Self.encode(user) + ":" + Self.encode(password)
            var authority = host
            var query = ""
            if host.hasPrefix("/") {
                // A Unix socket directory goes in the query, where libpq looks for it.
                authority = ""
                query = "?host=" + Self.encode(host)
            } else if host.contains(":") {
                authority = "[\(host)]"
            }
            if !port.isEmpty { authority += ":" + port }
            return "postgres://\(userInfo)@\(authority)/\(Self.encode(database))\(query)"
        }
    }

    /// The login in a stored value, or nil when the value is not in `format`.
    init?(decoding value: SecretValue, _ format: Format) {
        switch format {
        case .json:
            guard let object = (try? JSONSerialization.jsonObject(with: Data(value.bytes))) as? [String: Any],
                  let user = object["user"] as? String, let password = object["password"] as? String else { return nil }
            self.init(user: user, password: password)
        case .url:
            guard let components = URLComponents(string: value.revealed),
                  components.scheme == "postgres" || components.scheme == "postgresql",
                  let user = components.user else { return nil }
            self.init(user: user, password: components.password ?? "")
        }
    }

    init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters, so any role name fits a URL.
    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    private static let unreserved = CharacterSet(charactersIn:
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
