import Foundation
import RotorHTTP

/// A webhook URL as Rotor may show it: scheme, host and port only.
///
/// Slack incoming-webhook URLs carry their credential in the path, and so do many other webhook
/// URLs (Teams, Discord, no-code tools), so everything after the host is treated as secret: replaced
/// in what is shown, and handed to the HTTP client as secrets to redact from its logs and errors.
struct RedactedEndpoint: Sendable {
    /// `https://hooks.slack.com/<redacted>`.
    let display: String
    /// The parts of the URL that must never be shown.
    let secrets: [String]

    init(_ url: String) {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
              let host = components.host, !host.isEmpty, let schemeEnd = url.range(of: "://") else {
            // Unparseable: nothing of it is shown.
            display = "<unparseable URL>"
            secrets = [url]
            return
        }
        let afterScheme = url[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { "/?#".contains($0) }) ?? url.endIndex
        var rest = url[authorityEnd...]
        while rest.hasPrefix("/") { rest = rest.dropFirst() }
        var secrets = [String(rest), components.percentEncodedQuery ?? "", components.user ?? "", components.password ?? ""]
        // The last path segment is the token itself; a receiver or libcurl may quote it alone.
        if let last = components.percentEncodedPath.split(separator: "/").last { secrets.append(String(last)) }
        self.secrets = secrets.filter { !$0.isEmpty }
        let origin = "\(scheme)://\(host)\(components.port.map { ":\($0)" } ?? "")"
        display = rest.isEmpty ? origin : "\(origin)/\(HTTPRedactor.placeholder)"
    }
}
