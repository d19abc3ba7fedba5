import Logging

extension HTTPClient {
    /// Submits `message` to `server` over SMTP or SMTPS, on the same transfer thread as HTTP requests.
    ///
    /// The message is checked and rendered first (`MailMessage.rendered()`), so a malformed address or
    /// an attempted header injection is refused before any connection is made; so is a password that
    /// would travel unencrypted. libcurl then speaks the SMTP dialogue with TLS verification on and
    /// dot-stuffs the message. It returns once the server has accepted the message for every recipient;
    /// a refused recipient fails the whole submission and nothing is sent.
    ///
    /// - Throws: `HTTPClientError`: `.invalidMessage` or `.invalidHeader` for a message that cannot be
    ///   sent as given, `.plaintextCredentials`, `.invalidURL`, `.couldNotConnect`, `.connectTimeout`,
    ///   `.timeout`, `.tls` (including a server without STARTTLS when `requireTLS` is set),
    ///   `.loginDenied`, `.smtpRejected(code:)` (retryable for a 4xx reply), `.transport(curlCode:)`;
    ///   `CancellationError` when the calling task is cancelled.
    public func sendMail(_ message: MailMessage, via server: SMTPServer) async throws {
        let subject = server.subject
        var logger = self.logger
        logger[metadataKey: "smtp.url"] = "\(subject.redactor.redactURL(server.url))"
        logger[metadataKey: "smtp.message_id"] = "\(message.messageID)"
        logger[metadataKey: "smtp.recipients"] = "\(message.to.count)"

        let payload: [UInt8]
        do throws(HTTPClientError) {
            if server.password != nil, !server.requireTLS, !server.isImplicitTLS {
                throw HTTPClientError.plaintextCredentials
            }
            payload = try message.rendered()
        } catch {
            let error = error.about(subject)
            logger.info("SMTP submission refused", metadata: ["smtp.error": "\(error)"])
            throw error
        }

        logger.debug("SMTP submission", metadata: ["smtp.bytes": "\(payload.count)"])
        let clock = ContinuousClock()
        let start = clock.now
        do {
            try await loop.perform(subject) { continuation in
                try MailTransfer(server: server, sender: message.from, recipients: message.to, payload: payload,
                                 continuation: continuation)
            }
            logger.info("SMTP submission accepted", metadata: ["smtp.duration_ms": "\(Self.milliseconds(clock.now - start))"])
        } catch let error as CancellationError {
            logger.debug("SMTP submission cancelled", metadata: ["smtp.duration_ms": "\(Self.milliseconds(clock.now - start))"])
            throw error
        } catch {
            logger.info("SMTP submission failed", metadata: [
                "smtp.error": "\(error)",
                "smtp.duration_ms": "\(Self.milliseconds(clock.now - start))",
            ])
            throw error
        }
    }
}
