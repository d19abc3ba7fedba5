/// A message as the test SMTP server received and parsed it.
public struct ReceivedMail: Decodable {
    /// The envelope sender (MAIL FROM).
    public var mailFrom: String
    /// The envelope recipients (RCPT TO) the server accepted.
    public var rcptTos: [String]
    /// The message as it arrived, dot-stuffing undone.
    public var raw: String
    /// Header fields as Python's e-mail parser reads them: unfolded, encoded-words decoded.
    public var headers: [[String]]
    /// The decoded subject.
    public var subject: String
    /// The decoded text body.
    public var body: String?
    /// What the parser found wrong with the message.
    public var defects: [String]
    /// The login the client authenticated with, or nil.
    public var authenticatedAs: String?
    /// Whether the session was encrypted.
    public var tls: Bool

    enum CodingKeys: String, CodingKey {
        case mailFrom = "mail_from", rcptTos = "rcpt_tos", raw, headers, subject, body, defects
        case authenticatedAs = "authenticated_as", tls
    }

    /// Every value of the header `name`, compared case-insensitively.
    public func values(_ name: String) -> [String] {
        headers.filter { $0.first?.lowercased() == name.lowercased() }.compactMap { $0.last }
    }

    /// The first value of the header `name`.
    public func header(_ name: String) -> String? { values(name).first }
}
