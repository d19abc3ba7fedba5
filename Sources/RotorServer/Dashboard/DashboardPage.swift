import Foundation
import Hummingbird
import Mustache
import RotorCrypto

/// Renders a dashboard page: its template (embedded in the module, see `Resources/Dashboard`) inside the layout,
/// with the headers every dashboard answer carries.
///
/// Mustache escapes every `{{value}}`; the layout takes the page's already rendered HTML through `{{{body}}}` only.
/// The Content-Security-Policy allows nothing from elsewhere and no inline code or style but the page's own
/// `<style>` and (on the live progress page) `<script>`, which carry a fresh nonce.
struct DashboardPage {
    /// The layout's view: what every page shows around its body.
    struct Chrome {
        var title: String
        var nonce: String
        var user: String?
        var role: String?
        var csrf: String?
        var body: String
        /// The live progress page's script (the only JavaScript of the dashboard), for this rotation.
        var progressScript: Bool
        /// Mustache reads stored properties only.
        var signedIn: Bool
    }

    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        let templates: [String: [UInt8]] = [
            "layout": PackageResources.layout_mustache, "sign-in": PackageResources.sign_in_mustache,
            "message": PackageResources.message_mustache, "overview": PackageResources.overview_mustache,
            "secret": PackageResources.secret_mustache, "confirm": PackageResources.confirm_mustache,
            "progress": PackageResources.progress_mustache, "audit": PackageResources.audit_mustache,
            "calendar": PackageResources.calendar_mustache, "keys": PackageResources.keys_mustache,
        ]
        for (name, bytes) in templates {
            // The templates are part of the build: one that does not parse is a bug the first test finds.
            try! library.register(String(decoding: bytes, as: UTF8.self), named: name)
        }
        return library
    }()

    var template: String
    var title: String
    var view: Any
    var session: DashboardSession?
    var progressScript = false

    func render(nonce: String) -> String {
        let body = Self.library.render(view, withTemplate: template) ?? ""
        let chrome = Chrome(title: title, nonce: nonce, user: session?.user, role: session?.role,
                            csrf: session?.user == nil ? nil : session?.csrf, body: body, progressScript: progressScript, signedIn: session?.user != nil)
        return Self.library.render(chrome, withTemplate: "layout") ?? ""
    }

    func response(status: HTTPResponse.Status = .ok) -> Response {
        let nonce = Base64URL.encode(SecureRandom.bytes(16))
        return Response(status: status, headers: Self.headers(nonce: nonce, type: "text/html; charset=utf-8"),
                        body: .init(byteBuffer: ByteBuffer(string: render(nonce: nonce))))
    }

    /// The headers of every dashboard answer: no caching, no framing, no referrer, nothing loaded from elsewhere.
    /// `body` as a file download named `filename`, under the pages' strict headers (no script or style may run).
    static func download(_ body: String, type: String, filename: String) -> Response {
        download(ByteBuffer(string: body), type: type, filename: filename)
    }

    static func download(_ body: ByteBuffer, type: String, filename: String) -> Response {
        var headers = headers(nonce: "none", type: type)
        headers[.contentDisposition] = "attachment; filename=\"\(filename)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    static func headers(nonce: String, type: String) -> HTTPFields {
        [
            .contentType: type,
            .cacheControl: "no-store",
            .contentSecurityPolicy: "default-src 'none'; style-src 'nonce-\(nonce)'; script-src 'nonce-\(nonce)'; "
                + "connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            HTTPFields.Element.Name("X-Frame-Options")!: "DENY",
            HTTPFields.Element.Name("X-Content-Type-Options")!: "nosniff",
            HTTPFields.Element.Name("Referrer-Policy")!: "same-origin",
            HTTPFields.Element.Name("Cross-Origin-Opener-Policy")!: "same-origin",
            HTTPFields.Element.Name("Cross-Origin-Resource-Policy")!: "same-origin",
            HTTPFields.Element.Name("X-Robots-Tag")!: "noindex",
        ]
    }

    /// A 303 to `location` (after a form, and for pages that need a sign-in).
    static func redirect(_ location: String) -> Response {
        var headers = headers(nonce: "none", type: "text/plain; charset=utf-8")
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    /// A page with a title and a few paragraphs (refusals, outcomes).
    static func message(_ title: String, _ paragraphs: [String], session: DashboardSession?, links: [Link] = []) -> DashboardPage {
        DashboardPage(template: "message", title: title, view: Message(title: title, paragraphs: paragraphs, links: links), session: session)
    }

    struct Message {
        var title: String
        var paragraphs: [String]
        var links: [Link]
    }

    struct Link {
        var href: String
        var label: String
    }
}
