import Foundation
import RotorHTTP
import Testing

/// The RFC 5322 message `MailMessage.rendered()` builds, and what it refuses to build.
@Suite struct MailMessageTests {
    func message(subject: String = "Rotation completed", body: String = "Done.\n") -> MailMessage {
        MailMessage(from: "rotor@example.com", to: ["oncall@example.com"], subject: subject, textBody: body,
                    messageID: "<abc@example.com>", date: Date(timeIntervalSince1970: 1_700_000_000))
    }

    func render(_ message: MailMessage) throws -> (head: [String], body: String) {
        let text = String(decoding: try message.rendered(), as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        return (parts[0].components(separatedBy: "\r\n"), parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    @Test func rendersEveryRequiredHeaderWithCRLFLineEnds() throws {
        var sent = message(body: "line one\nline two\r\nline three\rend")
        sent.extraHeaders = ["X-Priority": "1"]
        let bytes = try sent.rendered()
        let (head, body) = try render(sent)
        #expect(head == [
            "Date: Tue, 14 Nov 2023 22:13:20 +0000",
            "From: rotor@example.com",
            "To: oncall@example.com",
            "Subject: Rotation completed",
            "Message-ID: <abc@example.com>",
            "X-Priority: 1",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 7bit",
        ])
        #expect(body == "line one\r\nline two\r\nline three\r\nend\r\n")
        // Every LF is part of a CRLF, and every CR of one.
        for (index, byte) in bytes.enumerated() where byte == 10 { #expect(index > 0 && bytes[index - 1] == 13) }
        for (index, byte) in bytes.enumerated() where byte == 13 { #expect(index + 1 < bytes.count && bytes[index + 1] == 10) }
    }

    @Test func generatedMessageIDIsUniqueAtTheSendersDomain() {
        let first = MailMessage(from: "rotor@example.com", to: ["a@example.com"], subject: "", textBody: "")
        let second = MailMessage(from: "rotor@example.com", to: ["a@example.com"], subject: "", textBody: "")
        #expect(first.messageID.hasPrefix("<") && first.messageID.hasSuffix("@example.com>"))
        #expect(first.messageID != second.messageID)
    }

    @Test func longASCIISubjectIsFoldedAtSpaces() throws {
        let subject = Array(repeating: "rotation", count: 30).joined(separator: " ")
        let (head, _) = try render(message(subject: subject))
        let start = try #require(head.firstIndex { $0.hasPrefix("Subject:") })
        let folded = head[start...].prefix { $0.hasPrefix("Subject:") || $0.hasPrefix(" ") }
        #expect(folded.count > 1)
        #expect(folded.allSatisfy { $0.utf8.count <= 78 })
        #expect(folded.joined() == "Subject: " + subject)
    }

    @Test func nonASCIISubjectIsEncodedInWholeCharacterWords() throws {
        let subject = "Schlüssel „openai“ rotiert 🔑 " + String(repeating: "鍵", count: 40)
        let (head, _) = try render(message(subject: subject))
        let start = try #require(head.firstIndex { $0.hasPrefix("Subject:") })
        let lines = Array(head[start...].prefix { $0.hasPrefix("Subject:") || $0.hasPrefix(" ") })
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.utf8.count <= 76 && $0.unicodeScalars.allSatisfy(\.isASCII) })
        var decoded = ""
        for line in lines {
            let word = line.replacingOccurrences(of: "Subject: ", with: "").trimmingCharacters(in: .whitespaces)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="), "\(word)")
            let payload = try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))))
            // Each word decodes alone: no character is split between two words.
            decoded += try #require(String(data: payload, encoding: .utf8))
        }
        #expect(decoded == subject)
    }

    @Test func asciiThatLooksLikeAnEncodedWordIsEncoded() throws {
        let (head, _) = try render(message(subject: "literally =?UTF-8?B?SGk=?= here"))
        #expect(head.contains { $0.hasPrefix("Subject: =?UTF-8?B?") })
    }

    @Test func nonASCIIBodyIsQuotedPrintable() throws {
        let (head, body) = try render(message(body: "Grüße = 100 %\n" + String(repeating: "é", count: 60) + "\ntrailing space \n"))
        #expect(head.contains("Content-Transfer-Encoding: quoted-printable"))
        let lines = body.components(separatedBy: "\r\n")
        #expect(lines[0] == "Gr=C3=BC=C3=9Fe =3D 100 %")
        #expect(lines.allSatisfy { $0.utf8.count <= 76 && $0.unicodeScalars.allSatisfy(\.isASCII) })
        #expect(lines[1].hasSuffix("="), "a 60-character line of é is soft-broken")
        #expect(body.contains("trailing space=20\r\n"))
    }

    @Test func lineBreaksAndControlCharactersInHeaderValuesAreRefused() {
        for subject in ["a\r\nBcc: x@evil.example", "a\nBcc: x@evil.example", "a\rBcc: x@evil.example", "a\u{0}b",
                        "a\u{2028}Bcc: x@evil.example", "a\u{85}b", "a\u{7F}b"] {
            #expect(throws: HTTPClientError.invalidHeader(name: "Subject"), "\(subject.debugDescription)") {
                try message(subject: subject).rendered()
            }
        }
        var extra = message()
        extra.extraHeaders = ["X-Note": "ok\r\nBcc: x@evil.example"]
        #expect(throws: HTTPClientError.invalidHeader(name: "X-Note")) { try extra.rendered() }
    }

    @Test func malformedAddressesAndHeaderNamesAreRefused() {
        let badAddresses = ["", "no-at-sign", "a@b@c", "@example.com", "a@", "a b@example.com", "<a@example.com>",
                            "a@example.com\r\nBcc: x@evil.example", "a@example.com,b@example.com", "ä@example.com",
                            "a@.example.com", "a@example..com"]
        for address in badAddresses {
            var from = message()
            from.from = address
            #expect(throws: HTTPClientError.invalidMessage(reason: "the sender is not a plain address (local@domain)"),
                    "\(address.debugDescription)") { try from.rendered() }
            var to = message()
            to.to = ["ok@example.com", address]
            #expect(throws: HTTPClientError.invalidMessage(reason: "recipient 2 of 2 is not a plain address (local@domain)"),
                    "\(address.debugDescription)") { try to.rendered() }
        }
        var nobody = message()
        nobody.to = []
        #expect(throws: HTTPClientError.invalidMessage(reason: "there is no recipient")) { try nobody.rendered() }

        for name in ["Bcc", "cc", "From", "SUBJECT", "Content-Type", "Message-ID"] {
            var reserved = message()
            reserved.extraHeaders = [name: "x"]
            #expect(throws: HTTPClientError.invalidMessage(reason: "the header '\(name)' is written by Rotor itself")) {
                try reserved.rendered()
            }
        }
        for name in ["", "X Note", "X-Note:", "X-Nöte", String(repeating: "X", count: 65)] {
            var malformed = message()
            malformed.extraHeaders = [name: "x"]
            #expect(throws: HTTPClientError.self, "\(name.debugDescription)") { try malformed.rendered() }
        }
        var messageID = message()
        messageID.messageID = "<abc@example.com>\r\nBcc: x@evil.example"
        #expect(throws: HTTPClientError.invalidMessage(reason: "the Message-ID is not of the form <id@domain>")) {
            try messageID.rendered()
        }
    }

    @Test func smtpServerNeverShowsItsPassword() {
        let password = "pw-canary-9d1e"
        let server = SMTPServer(url: "smtps://mail.example.com:465", username: "rotor", password: password)
        var dumped = ""
        dump(server, to: &dumped)
        for text in [server.description, String(reflecting: server), "\(server)", dumped] {
            #expect(!text.contains(password), "\(text)")
            #expect(text.contains("mail.example.com"))
        }
        #expect(server.description.contains("password <redacted>"))
    }
}
