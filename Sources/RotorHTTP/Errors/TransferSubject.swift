/// What an error names as the transfer it happened to: an HTTP method and URL, or an SMTP server URL,
/// with the redactor that removes that transfer's credentials from anything shown.
struct TransferSubject: Sendable {
    /// The HTTP method, or nil for a mail submission.
    let method: String?
    /// The URL as given, credentials included: shown only through `redactor`.
    let url: String
    /// Removes the transfer's secrets from its URL and from libcurl's or the server's words.
    let redactor: HTTPRedactor
}

extension HTTPRequest {
    /// This request as errors name it.
    var subject: TransferSubject {
        TransferSubject(method: method.rawValue, url: url, redactor: HTTPRedactor(secrets: secrets))
    }
}
