import Foundation

/// A plain-text e-mail, as `HTTPClient.sendMail(_:via:)` submits it.
///
/// `rendered()` builds the RFC 5322 message: Date, From, To, Subject (RFC 2047 encoded when it is not
/// plain ASCII), Message-ID, MIME-Version, a UTF-8 text/plain body in 7bit or quoted-printable, CRLF
/// line ends. Header values with a line break or another control character are refused, never
/// cleaned up, because a line break in a header is how mail header injection works.
public struct MailMessage: Sendable {
    /// The sender, a plain address (`rotor@example.com`); also the SMTP envelope sender.
    public var from: String
    /// The recipients, plain addresses; the SMTP envelope recipients are exactly these.
    public var to: [String]
    /// The subject, any Unicode text on one line.
    public var subject: String
    /// The body, plain text; line ends of any kind are sent as CRLF.
    public var textBody: String
    /// Extra header fields, such as `X-Priority: 1`. Fields Rotor writes itself (Date, From, To, Cc,
    /// Bcc, Subject, Message-ID, MIME-Version, Content-Type, Content-Transfer-Encoding) are refused.
    public var extraHeaders: HTTPHeaders
    /// The Message-ID, angle brackets included. A sender that retries the same notification should
    /// keep it, so that receiving systems can recognise the copy.
    public var messageID: String
    /// The Date header.
    public var date: Date

    /// Creates a message; without a `messageID` a random one at the sender's domain is made.
    public init(
        from: String, to: [String], subject: String, textBody: String, extraHeaders: HTTPHeaders = [:],
        messageID: String? = nil, date: Date = Date()
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.textBody = textBody
        self.extraHeaders = extraHeaders
        self.messageID = messageID ?? Self.makeMessageID(domain: MailAddress.domain(of: from) ?? "rotor.invalid")
        self.date = date
    }

    /// The message as it is submitted, before SMTP's dot-stuffing (which libcurl does on the way out).
    ///
    /// - Throws: `HTTPClientError.invalidMessage` for a malformed address, no recipient, a reserved or
    ///   malformed extra header name or a malformed Message-ID; `HTTPClientError.invalidHeader` for a
    ///   header value with a control character.
    public func rendered() throws(HTTPClientError) -> [UInt8] {
        try MailComposer.render(self)
    }

    /// `<uuid@domain>`: a random UUID is unique enough, and says nothing about the message.
    static func makeMessageID(domain: String) -> String {
        "<\(UUID().uuidString.lowercased())@\(domain)>"
    }
}
