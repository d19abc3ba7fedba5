import Foundation

/// Builds the RFC 5322 message for a `MailMessage`, refusing anything that could inject a header.
enum MailComposer {
    /// Header fields Rotor writes itself. Cc and Bcc are refused too: recipients come only from
    /// `MailMessage.to`, and a header that named others would mislead the reader.
    static let reservedHeaders: Set<String> = [
        "date", "from", "to", "cc", "bcc", "subject", "message-id", "mime-version", "content-type",
        "content-transfer-encoding",
    ]

    static func render(_ message: MailMessage) throws(HTTPClientError) -> [UInt8] {
        try validate(message)
        var lines = [
            "Date: \(rfc5322Date(message.date))",
            "From: \(message.from)",
            addressList(name: "To", message.to),
            HeaderEncoding.field(name: "Subject", value: message.subject),
            "Message-ID: \(message.messageID)",
        ]
        for (name, value) in message.extraHeaders {
            lines.append(HeaderEncoding.field(name: name, value: value))
        }
        let (encoding, body) = encodeBody(message.textBody)
        lines += [
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: \(encoding)",
            "",
        ]
        return Array(lines.joined(separator: "\r\n").utf8) + Array("\r\n".utf8) + body
    }

    // MARK: - Validation

    static func validate(_ message: MailMessage) throws(HTTPClientError) {
        guard MailAddress.isValid(message.from) else {
            throw .invalidMessage(reason: "the sender is not a plain address (local@domain)")
        }
        guard !message.to.isEmpty else {
            throw .invalidMessage(reason: "there is no recipient")
        }
        for (index, address) in message.to.enumerated() where !MailAddress.isValid(address) {
            throw .invalidMessage(reason: "recipient \(index + 1) of \(message.to.count) is not a plain address (local@domain)")
        }
        try checkValue(message.subject, of: "Subject")
        guard isValidMessageID(message.messageID) else {
            throw .invalidMessage(reason: "the Message-ID is not of the form <id@domain>")
        }
        for (name, value) in message.extraHeaders {
            guard isValidFieldName(name) else {
                throw .invalidMessage(reason: "an extra header name is empty, longer than 64 characters, or not printable ASCII without ':'")
            }
            guard !reservedHeaders.contains(name.lowercased()) else {
                throw .invalidMessage(reason: "the header '\(name)' is written by Rotor itself")
            }
            try checkValue(value, of: name)
        }
    }

    /// A control character (CR and LF above all) in a header value would end the field and let the
    /// rest of the value add fields of its own (header injection), so it is refused, not stripped.
    private static func checkValue(_ value: String, of name: String) throws(HTTPClientError) {
        if value.unicodeScalars.contains(where: { $0.value < 32 || $0.value == 127 || (0x80..<0xA0).contains($0.value) || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            throw .invalidHeader(name: name)
        }
    }

    /// RFC 5322 §3.6.8: printable ASCII except the colon; at most 64 characters, so that a field
    /// always has room for its value on its first line.
    private static func isValidFieldName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.unicodeScalars.allSatisfy { (33...126).contains($0.value) && $0 != ":" }
    }

    private static func isValidMessageID(_ id: String) -> Bool {
        guard id.hasPrefix("<"), id.hasSuffix(">"), id.utf8.count <= 250 else { return false }
        let inner = id.dropFirst().dropLast()
        let parts = inner.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty }
            && inner.unicodeScalars.allSatisfy { (33...126).contains($0.value) && !"<>()[],;:\\\" ".unicodeScalars.contains($0) }
    }

    // MARK: - Fields

    /// "To: a@x, b@y", folded after a comma where a line would pass 78 characters.
    private static func addressList(name: String, _ addresses: [String]) -> String {
        var lines: [String] = []
        var line = "\(name):"
        for (index, address) in addresses.enumerated() {
            let piece = " " + address + (index < addresses.count - 1 ? "," : "")
            if index > 0, line.utf8.count + piece.utf8.count > 78 {
                lines.append(line)
                line = ""
            }
            line += piece
        }
        lines.append(line)
        return lines.joined(separator: "\r\n")
    }

    /// RFC 5322 §3.3, in UTC: "Tue, 14 Nov 2023 22:13:20 +0000".
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    // MARK: - Body

    /// The body with CRLF line ends: 7bit when it is ASCII with lines SMTP carries as they are,
    /// quoted-printable otherwise, so the message never depends on the server's 8BITMIME support.
    static func encodeBody(_ text: String) -> (encoding: String, body: [UInt8]) {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.utf8) }
        // A final line end ends the last line; it does not start an empty one.
        if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
        let isSevenBit = lines.allSatisfy { line in
            line.count <= 998 && line.allSatisfy { ($0 >= 32 && $0 < 127) || $0 == UInt8(ascii: "\t") }
        }
        if isSevenBit {
            return ("7bit", lines.flatMap { $0 + Array("\r\n".utf8) })
        }
        return ("quoted-printable", QuotedPrintable.encode(lines: lines))
    }
}
