import CCurl

/// One mail submission over SMTP or SMTPS: the easy handle, the message being uploaded, and the
/// caller waiting for the server's verdict.
///
/// Loop thread only, like `HTTPTransfer`, and fed by the handle's callbacks the same way. libcurl speaks
/// the SMTP dialogue (EHLO, STARTTLS, AUTH, MAIL FROM, RCPT TO, DATA) and dot-stuffs the upload; this
/// type feeds it the rendered message and keeps the server's last reply for the error.
final class MailTransfer: CurlTransfer {
    let handle: CurlEasyHandle
    let continuation: CheckedContinuation<Void, any Error>
    private let server: SMTPServer
    private let payload: [UInt8]
    private var offset = 0
    private var lastRefusal: String?

    /// Creates the easy handle for sending `payload` from `sender` to `recipients` (validated
    /// addresses); throws when an option is refused, in which case the caller has not been resumed.
    init(
        server: SMTPServer, sender: String, recipients: [String], payload: [UInt8],
        continuation: CheckedContinuation<Void, any Error>
    ) throws(HTTPClientError) {
        self.server = server
        self.payload = payload
        self.continuation = continuation
        handle = try CurlEasyHandle(subject: server.subject, protocols: "smtp,smtps", overTLS: server.isImplicitTLS,
                                    connectTimeout: server.connectTimeout, timeout: server.timeout)
        try configure(sender: sender, recipients: recipients)
    }

    func outcome(_ code: CURLcode) -> Result<Void, HTTPClientError> {
        guard code != CURLE_OK else { return .success(()) }
        var detail = handle.message(for: code)
        if let lastRefusal { detail += "; the server said: \(lastRefusal.prefix(200))" }
        return .failure(classify(code).about(server.subject, detail: detail))
    }

    private func classify(_ code: CURLcode) -> HTTPClientError {
        // CURLINFO_RESPONSE_CODE is the last SMTP reply code. libcurl reports a refused MAIL FROM,
        // RCPT TO or DATA as a send error and a refused message as a weird reply; the reply code is
        // what says whether to try again (4xx) or not (5xx).
        let reply = handle.long(CURLINFO_RESPONSE_CODE)
        if code == CURLE_LOGIN_DENIED {
            return .loginDenied
        }
        if [CURLE_SEND_ERROR, CURLE_WEIRD_SERVER_REPLY, CURLE_RECV_ERROR].contains(code), reply >= 400 {
            return .smtpRejected(code: reply)
        }
        return handle.classify(code)
    }

    // MARK: - Options

    private func configure(sender: String, recipients: [String]) throws(HTTPClientError) {
        // A new connection for every submission, closed afterwards. libcurl does not compare TLS
        // settings when it reuses an smtp:// connection upgraded by STARTTLS, so a connection verified
        // against one caFile would otherwise carry a submission configured to trust only the system
        // CAs. Notifications are rare; the handshake costs nothing that matters.
        try handle.set(CURLOPT_FRESH_CONNECT, 1)
        try handle.set(CURLOPT_FORBID_REUSE, 1)
        try handle.set(CURLOPT_MAIL_FROM, "<\(sender)>")
        try handle.set(CURLOPT_MAIL_RCPT, lines: recipients.map { "<\($0)>" })
        if server.requireTLS {
            try handle.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        }
        if let caFile = server.caFile {
            try handle.set(CURLOPT_CAINFO, caFile)
        }
        if let username = server.username {
            try handle.set(CURLOPT_USERNAME, username)
        }
        if let password = server.password {
            try handle.set(CURLOPT_PASSWORD, password)
        }
        try handle.set(CURLOPT_UPLOAD, 1)
        try handle.set(CURLOPT_INFILESIZE_LARGE, size: payload.count)
        // libcurl passes every server reply line to the header callback. SMTP has no response body.
        try handle.route(.init(
            line: { [unowned self] in receiveReply($0) },
            upload: { [unowned self] in supply($0) }
        ))
    }

    /// Keeps the last refusal (4xx or 5xx): after a failure libcurl still says QUIT, and the final
    /// "221 Bye" would hide the reason.
    private func receiveReply(_ line: String) {
        if let code = Int(line.prefix(3)), code >= 400 { lastRefusal = line }
    }

    /// Copies the next part of the message into libcurl's buffer; 0 means the message is complete.
    private func supply(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, payload.count - offset)
        guard count > 0 else { return 0 }
        payload.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<(offset + count)]))
        }
        offset += count
        return count
    }
}
