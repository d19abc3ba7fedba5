import Foundation

/// Store URLs may carry a database password: show them without it.
public enum StoreURLDisplay {
    /// `url` with any password in its user info replaced by `***`.
    public static func redacted(_ url: String) -> String {
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://"),
              var components = URLComponents(string: url) else { return url }
        if components.password != nil { components.password = "***" }
        return components.string ?? "postgres://***"
    }
}
