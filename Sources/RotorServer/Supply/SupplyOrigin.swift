import Foundation
import Hummingbird

/// Refuses a supply POST that a page of another site sent: its `Origin` (else its `Referer`) must be
/// `server.public_url`'s origin. Without a public URL no supply link was ever sent, and none is accepted.
struct SupplyOrigin {
    let publicURL: String?

    func check(_ request: Request) throws {
        guard let expected = publicURL.flatMap(Self.origin) else {
            throw ServerError(.forbidden, "supply links need server.public_url", hint: "set server.public_url in rotor.yml", format: .html)
        }
        let origin = request.headers[.origin].map { $0.lowercased() }
        let referer = request.headers[.referer].flatMap(Self.origin)
        guard let presented = origin ?? referer, presented == expected else {
            throw ServerError(.forbidden, "this form was sent from another site", hint: "open the supply link itself and submit its form",
                              format: .html)
        }
    }

    /// `scheme://host[:port]`, lower case, as browsers send in `Origin`.
    static func origin(_ url: String) -> String? {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(), let host = parts.host?.lowercased(),
              !host.isEmpty else { return nil }
        return "\(scheme)://\(host)" + (parts.port.map { ":\($0)" } ?? "")
    }
}
