import CCurl

/// One libcurl easy handle with what every transfer shares: its error buffer, typed option setters, the
/// string lists and callbacks its options point to, and the failure classification every protocol
/// shares (timeouts, connection and TLS failures).
///
/// Not Sendable: a transfer creates it, and the loop thread alone configures, drives and frees it.
final class CurlEasyHandle {
    let pointer: UnsafeMutableRawPointer
    /// What errors about this handle's transfer name, redacted.
    let subject: TransferSubject
    /// The total time the transfer may take.
    let timeout: Duration
    /// Whether the connection itself starts with TLS (https, smtps), which tells the two timeouts apart.
    let overTLS: Bool
    /// Where libcurl's data callbacks deliver; see `CurlEasyHandle+Callbacks.swift`.
    var callbacks = Callbacks()
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// The string lists options point to; libcurl does not copy them, so they live until `cleanUp`.
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    private var isCleanedUp = false

    /// Creates the handle with what every transfer needs: URL, allowed protocols, timeouts, no signals.
    init(
        subject: TransferSubject, protocols: String, overTLS: Bool, connectTimeout: Duration, timeout: Duration
    ) throws(HTTPClientError) {
        guard let pointer = curl_easy_init() else {
            throw HTTPClientError.transport(curlCode: Int(CURLE_OUT_OF_MEMORY.rawValue)).about(subject)
        }
        self.pointer = pointer
        self.subject = subject
        self.timeout = timeout
        self.overTLS = overTLS
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        do {
            try set(CURLOPT_URL, subject.url)
            try set(CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
            // Signals are process-wide; libcurl must not use them for timeouts on a threaded process.
            try set(CURLOPT_NOSIGNAL, 1)
            try set(CURLOPT_PROTOCOLS_STR, protocols)
            try set(CURLOPT_CONNECTTIMEOUT_MS, connectTimeout.curlMilliseconds)
            try set(CURLOPT_TIMEOUT_MS, timeout.curlMilliseconds)
            // CURLOPT_SSL_VERIFYPEER / VERIFYHOST stay at libcurl's secure defaults, and CURLOPT_PROXY is
            // left unset so that libcurl honours http_proxy / https_proxy / no_proxy from the environment.
        } catch {
            cleanUp()
            throw error
        }
    }

    deinit {
        cleanUp()
    }

    /// Frees the handle, then the lists and buffers its options point to.
    func cleanUp() {
        guard !isCleanedUp else { return }
        isCleanedUp = true
        curl_easy_cleanup(pointer)
        errorBuffer.deallocate()
        lists.forEach { curl_slist_free_all($0) }
        lists.removeAll()
        callbacks = Callbacks()
    }

    /// libcurl's explanation of a failure with `code`: its error buffer, or the generic text.
    func message(for code: CURLcode) -> String {
        let message = String(cString: errorBuffer)
        return message.isEmpty ? String(cString: curl_easy_strerror(code)) : message
    }

    /// The failure every protocol reports alike, before it is told about the transfer.
    func classify(_ code: CURLcode) -> HTTPClientError {
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            // libcurl reports both timeouts with one code. A connection this transfer established (TCP,
            // and TLS when the protocol starts with it) rules out the connect timeout. Its absence does
            // not prove it, because a reused keep-alive connection also reports no connect time; but
            // then the total timeout can only have fired once the whole `timeout` had passed.
            let connectedAfter = double(overTLS ? CURLINFO_APPCONNECT_TIME : CURLINFO_CONNECT_TIME)
            let elapsed = double(CURLINFO_TOTAL_TIME)
            return connectedAfter == 0 && elapsed < timeout.inSeconds - 0.001 ? .connectTimeout : .timeout
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .couldNotConnect
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .invalidURL
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED,
             CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED,
             CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED:
            return .tls
        default:
            return .transport(curlCode: Int(code.rawValue))
        }
    }

    // MARK: - Options and information

    func set(_ option: CURLoption, _ value: Int) throws(HTTPClientError) {
        try check(rotor_curl_easy_setopt_long(pointer, option, value))
    }

    func set(_ option: CURLoption, _ value: String) throws(HTTPClientError) {
        // libcurl copies string options (since 7.17), so the temporary C string may go.
        try check(rotor_curl_easy_setopt_string(pointer, option, value))
    }

    func set(_ option: CURLoption, _ value: UnsafeMutableRawPointer?) throws(HTTPClientError) {
        try check(rotor_curl_easy_setopt_ptr(pointer, option, value))
    }

    func set(_ option: CURLoption, size value: Int) throws(HTTPClientError) {
        try check(rotor_curl_easy_setopt_off_t(pointer, option, curl_off_t(value)))
    }

    /// Sets `option` to a libcurl string list of `lines` (HTTP headers, SMTP recipients), which this
    /// handle owns until `cleanUp`.
    func set(_ option: CURLoption, lines: [String]) throws(HTTPClientError) {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines {
            guard let longer = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                throw HTTPClientError.transport(curlCode: Int(CURLE_OUT_OF_MEMORY.rawValue)).about(subject)
            }
            list = longer
        }
        if let list { lists.append(list) }
        try set(option, UnsafeMutableRawPointer(list))
    }

    /// Turns a refused option into an error about this transfer.
    func check(_ code: CURLcode) throws(HTTPClientError) {
        guard code == CURLE_OK else {
            let error: HTTPClientError = code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_URL_MALFORMAT
                ? .invalidURL : .transport(curlCode: Int(code.rawValue))
            throw error.about(subject, detail: String(cString: curl_easy_strerror(code)))
        }
    }

    func long(_ info: CURLINFO) -> Int {
        var value = 0
        _ = rotor_curl_easy_getinfo_long(pointer, info, &value)
        return value
    }

    func double(_ info: CURLINFO) -> Double {
        var value = 0.0
        _ = rotor_curl_easy_getinfo_double(pointer, info, &value)
        return value
    }
}
