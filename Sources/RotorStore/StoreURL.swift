import Foundation
import RotorCore

/// Where the store lives: `sqlite:PATH` or a `postgres://` / `postgresql://` URL.
///
/// `description` never shows a password, so a store URL can be logged and put in error messages.
public enum StoreURL: Sendable, Equatable, CustomStringConvertible {
    /// A SQLite database file; a relative path is relative to the working directory.
    case sqlite(path: String)
    /// A PostgreSQL connection URI, handed to libpq as is.
    case postgres(uri: String)

    /// The default store: a SQLite file under `.rotor/` in the working directory.
    public static let defaultURL = "sqlite:.rotor/rotor.db"

    /// Parses a store URL. Errors name the accepted forms and never repeat the input (it may hold a password).
    public init(parsing text: String) throws {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            if path.isEmpty {
                throw StoreError.invalidURL("sqlite: needs a file path after the colon")
            }
            if path.hasPrefix("//") {
                throw StoreError.invalidURL("write a SQLite path directly after sqlite: (sqlite:/absolute/path.db or sqlite:relative/path.db), without //")
            }
            if path == ":memory:" {
                throw StoreError.invalidURL("in-memory SQLite databases are not supported: rotor's state must survive a restart")
            }
            self = .sqlite(path: (path as NSString).expandingTildeInPath)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            let rest = text.drop { $0 != ":" }.dropFirst(3)
            if rest.isEmpty {
                throw StoreError.invalidURL("the postgres:// URL names no host or database")
            }
            self = .postgres(uri: text)
        } else if let colon = text.firstIndex(of: ":"),
                  text[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }),
                  !text[..<colon].isEmpty {
            throw StoreError.invalidURL("unsupported scheme \(text[..<colon])")
        } else if text.isEmpty {
            throw StoreError.invalidURL("the store URL is empty")
        } else {
            throw StoreError.invalidURL("the store URL has no scheme")
        }
    }

    /// The backend this URL selects: `"sqlite"` or `"postgres"`.
    public var backend: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgres"
        }
    }

    /// The URL with any password replaced by `***`.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let uri): Self.redactingPassword(in: uri)
        }
    }

    /// `message` with every occurrence of this URL's password replaced by `***`: a last line of defence for
    /// messages from libpq, which should not echo the password but are not ours to control.
    func redact(_ message: String) -> String {
        guard let password, !password.isEmpty else { return message }
        var redacted = message.replacingOccurrences(of: password, with: "***")
        if let decoded = password.removingPercentEncoding, !decoded.isEmpty {
            redacted = redacted.replacingOccurrences(of: decoded, with: "***")
        }
        return redacted
    }

    /// The password in the URI's user info or `password=` query parameter, as written (percent-encoded).
    private var password: String? {
        guard case .postgres(let uri) = self else { return nil }
        if let (_, password) = Self.userInfoPassword(in: uri) { return String(uri[password]) }
        if let range = Self.queryPasswordRange(in: uri) { return String(uri[range]) }
        return nil
    }

    private static func redactingPassword(in uri: String) -> String {
        var text = uri
        if let (_, password) = userInfoPassword(in: text) {
            text.replaceSubrange(password, with: "***")
        }
        while let range = queryPasswordRange(in: text), text[range] != "***" {
            text.replaceSubrange(range, with: "***")
        }
        return text
    }

    /// The ranges of the user info and of its password in `scheme://user:password@host/...`.
    private static func userInfoPassword(in uri: String) -> (Range<String.Index>, Range<String.Index>)? {
        guard let schemeEnd = uri.range(of: "://") else { return nil }
        let authorityEnd = uri[schemeEnd.upperBound...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? uri.endIndex
        let authority = schemeEnd.upperBound..<authorityEnd
        guard let at = uri[authority].lastIndex(of: "@") else { return nil }
        let userInfo = schemeEnd.upperBound..<at
        guard let colon = uri[userInfo].firstIndex(of: ":") else { return nil }
        return (userInfo, uri.index(after: colon)..<at)
    }

    /// The range of the value of a `password=` query parameter, if any.
    private static func queryPasswordRange(in uri: String) -> Range<String.Index>? {
        guard let query = uri.firstIndex(of: "?") else { return nil }
        var searchStart = query
        while let key = uri.range(of: "password=", range: searchStart..<uri.endIndex) {
            let before = uri[uri.index(before: key.lowerBound)]
            if before == "?" || before == "&" {
                let end = uri[key.upperBound...].firstIndex { $0 == "&" || $0 == "#" } ?? uri.endIndex
                return key.upperBound..<end
            }
            searchStart = key.upperBound
        }
        return nil
    }
}
