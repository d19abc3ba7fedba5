import Foundation
import RotorHTTP
import RotorTestSupport
import Testing

/// `HTTPClient.sendMail` against a real SMTP server (aiosmtpd) on loopback, through libcurl.
@Suite struct SMTPDeliveryTests {
    let client = HTTPClient()
    let date = Date(timeIntervalSince1970: 1_700_000_000)

    func message(subject: String = "Rotation of openai-api-key in 7 days", body: String = "Nothing to do.\n") -> MailMessage {
        MailMessage(from: "rotor@example.com", to: ["oncall@example.com", "security@example.org"],
                    subject: subject, textBody: body, date: date)
    }

    func plain(_ server: SMTPTestServer) -> SMTPServer {
        SMTPServer(url: server.url, requireTLS: false, timeout: .seconds(10))
    }

    @Test func plainSMTPDeliversHeadersBodyAndEveryRecipient() async throws {
        let server = try await SMTPTestServer.start()
        defer { server.stop() }
        // Lines that SMTP would read as the end of the data unless libcurl dot-stuffs them.
        let body = "Hello,\n.\n.hidden line\n..two dots\nend\n"
        let sent = message(body: body)
        try await client.sendMail(sent, via: plain(server))

        let mail = try #require(try server.messages().first)
        #expect(try server.messages().count == 1)
        #expect(mail.mailFrom == "rotor@example.com")
        #expect(mail.rcptTos == ["oncall@example.com", "security@example.org"])
        #expect(mail.header("From") == "rotor@example.com")
        #expect(mail.header("To") == "oncall@example.com, security@example.org")
        #expect(mail.subject == "Rotation of openai-api-key in 7 days")
        #expect(mail.header("Date") == "Tue, 14 Nov 2023 22:13:20 +0000")
        #expect(mail.header("Message-ID") == sent.messageID)
        #expect(sent.messageID.hasSuffix("@example.com>"))
        #expect(mail.header("MIME-Version") == "1.0")
        // Python's parser writes the parameter back quoted; the wire has it as sent.
        #expect(mail.header("Content-Type") == #"text/plain; charset="utf-8""#)
        #expect(mail.raw.contains("\r\nContent-Type: text/plain; charset=utf-8\r\n"))
        #expect(mail.header("Content-Transfer-Encoding") == "7bit")
        #expect(mail.body == "Hello,\r\n.\r\n.hidden line\r\n..two dots\r\nend\r\n", "raw: \(mail.raw.debugDescription)")
        #expect(mail.defects.isEmpty)
        #expect(mail.authenticatedAs == nil)
        #expect(!mail.tls)
    }

    @Test func utf8SubjectAndBodyArriveIntact() async throws {
        let server = try await SMTPTestServer.start()
        defer { server.stop() }
        let subject = "Schlüssel „openai-api-key“ wird in 7 Tagen rotiert — 鍵のローテーション 🔑 " + String(repeating: "ä", count: 40)
        let body = "Grüße aus Köln.\nDer neue Schlüssel endet auf …x7K2.\n" + String(repeating: "é", count: 120) + "\nend = done\n"
        try await client.sendMail(message(subject: subject, body: body), via: plain(server))

        let mail = try #require(try server.messages().first)
        #expect(mail.subject == subject)
        #expect(mail.body?.replacingOccurrences(of: "\r\n", with: "\n") == body)
        #expect(mail.header("Content-Transfer-Encoding") == "quoted-printable")
        #expect(mail.defects.isEmpty)
        // On the wire it is 7-bit ASCII with short lines, so no server needs 8BITMIME or SMTPUTF8.
        #expect(mail.raw.unicodeScalars.allSatisfy { $0.isASCII })
        let lines = mail.raw.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 78 }, "\(lines.filter { $0.utf8.count > 78 })")
        #expect(!mail.raw.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "bare LF on the wire")
    }

    @Test func startTLSWithAuthDeliversOverAVerifiedConnection() async throws {
        let server = try await SMTPTestServer.start(.startTLS, login: ("rotor", "correct horse"))
        defer { server.stop() }
        let smtp = SMTPServer(url: server.url, username: "rotor", password: "correct horse", requireTLS: true,
                              caFile: server.certificateFile, timeout: .seconds(10))
        try await client.sendMail(message(), via: smtp)

        let mail = try #require(try server.messages().first)
        #expect(mail.authenticatedAs == "rotor")
        #expect(mail.tls)
        #expect(mail.rcptTos.count == 2)
    }

    @Test func smtpsWithAuthDelivers() async throws {
        let server = try await SMTPTestServer.start(.smtps, login: ("rotor", "correct horse"))
        defer { server.stop() }
        #expect(server.url.hasPrefix("smtps://"))
        let smtp = SMTPServer(url: server.url, username: "rotor", password: "correct horse",
                              caFile: server.certificateFile, timeout: .seconds(10))
        try await client.sendMail(message(), via: smtp)

        let mail = try #require(try server.messages().first)
        #expect(mail.authenticatedAs == "rotor")
        #expect(mail.tls)
    }

    @Test func certificateVerificationStaysOnWithoutTheTestCA() async throws {
        for security in [SMTPTestServer.Security.startTLS, .smtps] {
            let server = try await SMTPTestServer.start(security)
            defer { server.stop() }
            let error = try await failure(message(), SMTPServer(url: server.url, timeout: .seconds(10)))
            #expect(error == .tls, "\(security): \(error)")
            #expect(!error.isRetryable)
            #expect("\(error)".contains("caFile"))
            #expect(try server.messages().isEmpty)
        }
    }

    @Test func submissionWithoutTheCANeverRidesAConnectionVerifiedWithIt() async throws {
        let server = try await SMTPTestServer.start(.startTLS)
        defer { server.stop() }
        try await client.sendMail(message(), via: SMTPServer(url: server.url, caFile: server.certificateFile, timeout: .seconds(10)))
        // Same client, same server, but trusting only the system CAs: a fresh handshake must fail.
        let error = try await failure(message(), SMTPServer(url: server.url, timeout: .seconds(10)))
        #expect(error == .tls, "\(error)")
        #expect(try server.messages().count == 1)
    }

    @Test func requireTLSRefusesAServerWithoutSTARTTLS() async throws {
        let server = try await SMTPTestServer.start(.plain)
        defer { server.stop() }
        let error = try await failure(message(), SMTPServer(url: server.url, requireTLS: true, timeout: .seconds(10)))
        #expect(error == .tls, "\(error)")
        #expect(try server.messages().isEmpty)
    }

    @Test func wrongPasswordIsLoginDeniedAndNotRetried() async throws {
        let server = try await SMTPTestServer.start(.startTLS, login: ("rotor", "correct horse"))
        defer { server.stop() }
        let smtp = SMTPServer(url: server.url, username: "rotor", password: "battery staple",
                              caFile: server.certificateFile, timeout: .seconds(10))
        let error = try await failure(message(), smtp)
        #expect(error == .loginDenied, "\(error)")
        #expect(!error.isRetryable)
        #expect(try server.messages().isEmpty)
    }

    @Test func passwordIsNeverSentOverAnUnencryptedConnection() async throws {
        let server = try await SMTPTestServer.start(.plain)
        defer { server.stop() }
        let smtp = SMTPServer(url: server.url, username: "rotor", password: "correct horse", requireTLS: false)
        let error = try await failure(message(), smtp)
        #expect(error == .plaintextCredentials)
        #expect(!error.isRetryable)
        #expect(try server.messages().isEmpty)
    }

    @Test func refusedRecipientIsPermanentAndNothingIsDelivered() async throws {
        let server = try await SMTPTestServer.start(refuse: ["security@example.org"])
        defer { server.stop() }
        let error = try await failure(message(), plain(server))
        #expect(error == .smtpRejected(code: 550), "\(error)")
        #expect(error.smtpReplyCode == 550)
        #expect(!error.isRetryable)
        #expect("\(error)".contains("Recipient address rejected"), "the server's reason is kept: \(error)")
        #expect(try server.messages().isEmpty)
    }

    @Test func temporaryRefusalIsRetryable() async throws {
        let server = try await SMTPTestServer.start(deferred: ["oncall@example.com"])
        defer { server.stop() }
        let error = try await failure(message(), plain(server))
        #expect(error == .smtpRejected(code: 451), "\(error)")
        #expect(error.isRetryable)
    }

    @Test func serverDownIsRetryable() async throws {
        let port = try await TestHTTPServer.closedPort()
        let error = try await failure(message(), SMTPServer(url: "smtp://127.0.0.1:\(port)", requireTLS: false))
        #expect(error == .couldNotConnect, "\(error)")
        #expect(error.isRetryable)
        #expect("\(error)".hasPrefix("SMTP smtp://127.0.0.1:\(port)"))
    }

    @Test func headerInjectionIsRefusedBeforeAnythingIsSent() async throws {
        let server = try await SMTPTestServer.start()
        defer { server.stop() }
        var injected = message(subject: "Rotation done\r\nBcc: attacker@evil.example")
        #expect(try await failure(injected, plain(server)) == .invalidHeader(name: "Subject"))
        injected = message(subject: "Rotation done\nBcc: attacker@evil.example")
        #expect(try await failure(injected, plain(server)) == .invalidHeader(name: "Subject"))

        injected = message()
        injected.extraHeaders = ["X-Note": "fine\r\nBcc: attacker@evil.example"]
        #expect(try await failure(injected, plain(server)) == .invalidHeader(name: "X-Note"))

        injected = message()
        injected.to = ["oncall@example.com>\r\nRCPT TO:<attacker@evil.example"]
        let error = try await failure(injected, plain(server))
        #expect(error == .invalidMessage(reason: "recipient 1 of 1 is not a plain address (local@domain)"), "\(error)")
        #expect(!error.isRetryable)
        #expect(try server.messages().isEmpty)
    }

    @Test func nonSMTPURLIsRefused() async throws {
        let error = try await failure(message(), SMTPServer(url: "https://127.0.0.1:1/", requireTLS: false))
        #expect(error == .invalidURL, "\(error)")
        #expect("\(error)".contains("smtp://"))
    }

    private func failure(_ message: MailMessage, _ server: SMTPServer) async throws -> HTTPClientError {
        do {
            try await client.sendMail(message, via: server)
        } catch let error as HTTPClientError {
            return error
        }
        throw UnexpectedSuccess(what: "the submission to \(server)")
    }
}
