import Foundation

/// Store URLs may carry a database password: show them without it.
enum StoreURLDisplay {
    static func redacted(_ url: String) -> String {
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://"),
              var components = URLComponents(string: url) else { return url }
        if components.password != nil { components.password = "***" }
        return components.string ?? "postgres://***"
    }
}
