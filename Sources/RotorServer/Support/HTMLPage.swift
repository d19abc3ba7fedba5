import Hummingbird

/// The small pages behind reply links: a title, a few paragraphs, and at most one button.
///
/// Every piece of text is escaped. The form posts back to the page's own address (no `action`
/// attribute), so the token in the link never appears in the page.
struct HTMLPage {
    struct Button {
        var label: String
    }

    /// A multi-line text field posted with the button, and hidden fields (a CSRF token).
    struct Field {
        var label: String
        var name: String
        var hidden: [(name: String, value: String)] = []
    }

    var title: String
    var paragraphs: [String]
    var button: Button? = nil
    var field: Field? = nil
    /// Hidden fields posted with the button when there is no text field (a CSRF token).
    var hidden: [(name: String, value: String)] = []

    func render() -> String {
        var html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>\(Self.escape(title)) · Rotor</title>
        <style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}
        button{font-size:1rem;padding:.5rem 1.25rem}</style>
        </head><body>
        <h1>\(Self.escape(title))</h1>

        """
        for paragraph in paragraphs where !paragraph.isEmpty {
            html += "<p>\(Self.escape(paragraph))</p>\n"
        }
        if let button {
            html += "<form method=\"post\">"
            if let field {
                html += "<p><label for=\"f\">\(Self.escape(field.label))</label><br>"
                    + "<textarea id=\"f\" name=\"\(Self.escape(field.name))\" rows=\"4\" cols=\"60\" autocomplete=\"off\" "
                    + "spellcheck=\"false\" required></textarea></p>"
                for hidden in field.hidden {
                    html += "<input type=\"hidden\" name=\"\(Self.escape(hidden.name))\" value=\"\(Self.escape(hidden.value))\">"
                }
            }
            for hidden in field == nil ? hidden : [] {
                html += "<input type=\"hidden\" name=\"\(Self.escape(hidden.name))\" value=\"\(Self.escape(hidden.value))\">"
            }
            html += "<button type=\"submit\">\(Self.escape(button.label))</button></form>\n"
        }
        html += "</body></html>\n"
        return html
    }

    /// The page as a response that browsers neither cache, index, nor pass on in a `Referer` (the
    /// address holds the token), nor read as anything but HTML.
    func response(status: HTTPResponse.Status = .ok) -> Response {
        let headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .cacheControl: "no-store",
            HTTPFields.Element.Name("Referrer-Policy")!: "no-referrer",
            HTTPFields.Element.Name("X-Robots-Tag")!: "noindex",
            HTTPFields.Element.Name("X-Content-Type-Options")!: "nosniff",
            .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
        ]
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: render())))
    }

    /// Escapes text for HTML element content and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
