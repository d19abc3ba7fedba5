import CCurl
import Foundation

/// One request's libcurl easy handle and the response collected so far.
///
/// Created, driven and cleaned up on the loop thread only; it is deliberately not Sendable. libcurl
/// calls back into it through `Unmanaged` pointers passed as CURLOPT_WRITEDATA / CURLOPT_HEADERDATA, the
/// pattern of swift-corelibs-foundation's EasyHandle: the callbacks are capture-free C functions that
/// recover the transfer from that pointer. The loop keeps the transfer alive until the handle is cleaned up.
final class CurlTransfer {
    let submission: CurlSubmission
    let easy: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var headers = HTTPHeaders()
    private var body: [UInt8] = []
    private var exceededLimit = false
    private var isCleanedUp = false

    private var request: HTTPRequest { submission.request }

    /// Creates the easy handle and applies every option; throws when an option is refused.
    init(_ submission: CurlSubmission) throws(HTTPClientError) {
        guard let easy = curl_easy_init() else {
            throw HTTPClientError.transport(curlCode: Int(CURLE_OUT_OF_MEMORY.rawValue)).about(submission.request)
        }
        self.submission = submission
        self.easy = easy
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        do {
            try configure()
        } catch {
            cleanUp()
            throw error
        }
    }

    deinit {
        cleanUp()
    }

    /// Frees the easy handle and everything it points to. The loop calls this after removing the handle
    /// from the multi handle; deinit calls it again as a safety net.
    func cleanUp() {
        guard !isCleanedUp else { return }
        isCleanedUp = true
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// The outcome once libcurl reports the transfer done with `code`.
    func outcome(_ code: CURLcode) -> Result<HTTPResponse, HTTPClientError> {
        if exceededLimit || code == CURLE_FILESIZE_EXCEEDED {
            return .failure(HTTPClientError.responseTooLarge(limit: request.maxResponseBytes).about(request))
        }
        guard code == CURLE_OK else {
            let message = String(cString: errorBuffer)
            let detail = message.isEmpty ? String(cString: curl_easy_strerror(code)) : message
            return .failure(classify(code).about(request, detail: detail))
        }
        var status = 0
        _ = rotor_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPResponse(status: status, headers: headers, body: body))
    }

    private func classify(_ code: CURLcode) -> HTTPClientError {
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            // libcurl reports both timeouts with one code. A connection this transfer established (TCP,
            // and TLS for https) rules out the connect timeout. Its absence does not prove it, because a
            // reused keep-alive connection also reports no connect time; but then the total timeout can
            // only have fired once the whole `timeout` had passed.
            let isTLS = request.url.lowercased().hasPrefix("https:")
            var connectedAfter = 0.0
            var elapsed = 0.0
            _ = rotor_curl_easy_getinfo_double(easy, isTLS ? CURLINFO_APPCONNECT_TIME : CURLINFO_CONNECT_TIME, &connectedAfter)
            _ = rotor_curl_easy_getinfo_double(easy, CURLINFO_TOTAL_TIME, &elapsed)
            return connectedAfter == 0 && elapsed < request.timeout.inSeconds - 0.001 ? .connectTimeout : .timeout
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

    // MARK: - Options

    private func configure() throws(HTTPClientError) {
        try set(CURLOPT_URL, request.url)
        try set(CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
        // Signals are process-wide; libcurl must not use them for timeouts on a threaded process.
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_PROTOCOLS_STR, "http,https,smtp,smtps")
        try set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_FOLLOWLOCATION, request.followRedirects ? 1 : 0)
        try set(CURLOPT_MAXREDIRS, 5)
        try set(CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeout.curlMilliseconds)
        try set(CURLOPT_TIMEOUT_MS, request.timeout.curlMilliseconds)
        // CURLOPT_SSL_VERIFYPEER / VERIFYHOST stay at libcurl's secure defaults, and CURLOPT_PROXY is left
        // unset so that libcurl honours http_proxy / https_proxy / no_proxy from the environment.
        try configureMethodAndBody()
        try configureHeaders()
        try configureCallbacks()
    }

    private func configureMethodAndBody() throws(HTTPClientError) {
        switch request.method {
        case .GET:
            try set(CURLOPT_HTTPGET, 1)
        case .HEAD:
            try set(CURLOPT_NOBODY, 1)
        case .POST:
            try set(CURLOPT_POST, 1)
        case .PUT, .PATCH, .DELETE, .OPTIONS:
            try set(CURLOPT_CUSTOMREQUEST, request.method.rawValue)
        }
        // A PUT or PATCH without a body still says Content-Length: 0, which some servers insist on.
        let sendsBody = request.body != nil || [.POST, .PUT, .PATCH].contains(request.method)
        if sendsBody {
            let body = request.body ?? []
            if request.method == .GET { try set(CURLOPT_CUSTOMREQUEST, "GET") }
            try check(rotor_curl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            // COPYPOSTFIELDS copies the bytes now, so the transfer owns no buffer for the body.
            // Never NULL, even for an empty body: NULL would make libcurl read the body from stdin.
            try check(body.withUnsafeBytes { bytes in
                let pointer = bytes.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start)
                return rotor_curl_easy_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: pointer))
            })
        }
        // Lets libcurl refuse an announced Content-Length up front; receiveBody enforces the limit on
        // bodies of unknown length (and on a limit of 0, which libcurl reads as "none"). Not for HEAD,
        // whose Content-Length describes a body that never comes.
        if request.method != .HEAD, request.maxResponseBytes > 0 {
            try check(rotor_curl_easy_setopt_off_t(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(request.maxResponseBytes)))
        }
    }

    private func configureHeaders() throws(HTTPClientError) {
        var lines: [String] = []
        for (name, value) in request.headers {
            // "Name;" is libcurl's way to send a header with an empty value; "Name:" would remove it.
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        // An empty value removes a header libcurl would otherwise add, so the request goes out as given;
        // an empty Expect also avoids a one-second 100-continue wait on larger bodies.
        for name in ["Expect", "Accept", "Content-Type"] where !request.headers.contains(name: name) {
            lines.append("\(name):")
        }
        for line in lines {
            guard let list = curl_slist_append(headerList, line) else {
                throw HTTPClientError.transport(curlCode: Int(CURLE_OUT_OF_MEMORY.rawValue)).about(request)
            }
            headerList = list
        }
        try set(CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList))
    }

    private func configureCallbacks() throws(HTTPClientError) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        try set(CURLOPT_WRITEDATA, context)
        try set(CURLOPT_HEADERDATA, context)
        try check(rotor_curl_easy_setopt_write_callback(easy, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
            return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
        })
        try check(rotor_curl_easy_setopt_write_callback(easy, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
            return transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
        })
    }

    // MARK: - Callbacks

    /// Returning less than was offered makes libcurl abort the transfer with CURLE_WRITE_ERROR.
    private func receiveBody(_ chunk: UnsafeRawBufferPointer) -> Int {
        guard body.count + chunk.count <= request.maxResponseBytes else {
            exceededLimit = true
            return 0
        }
        body.append(contentsOf: chunk)
        return chunk.count
    }

    private func receiveHeaderLine(_ chunk: UnsafeRawBufferPointer) -> Int {
        // Trimmed as bytes: in Swift "\r\n" is one Character, which hasSuffix("\n") does not match.
        var end = chunk.endIndex
        while end > chunk.startIndex, chunk[end - 1] == UInt8(ascii: "\n") || chunk[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = String(decoding: chunk[..<end], as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new status line starts a new response (after a redirect or a 1xx); keep only the last.
            headers = HTTPHeaders()
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.add(name: name, value: value)
        }
        return chunk.count
    }

    // MARK: - setopt helpers

    private func set(_ option: CURLoption, _ value: Int) throws(HTTPClientError) {
        try check(rotor_curl_easy_setopt_long(easy, option, value))
    }

    private func set(_ option: CURLoption, _ value: String) throws(HTTPClientError) {
        // libcurl copies string options (since 7.17), so the temporary C string may go.
        try check(rotor_curl_easy_setopt_string(easy, option, value))
    }

    private func set(_ option: CURLoption, _ value: UnsafeMutableRawPointer?) throws(HTTPClientError) {
        try check(rotor_curl_easy_setopt_ptr(easy, option, value))
    }

    private func check(_ code: CURLcode) throws(HTTPClientError) {
        guard code == CURLE_OK else {
            let error: HTTPClientError = code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_URL_MALFORMAT
                ? .invalidURL : .transport(curlCode: Int(code.rawValue))
            throw error.about(request, detail: String(cString: curl_easy_strerror(code)))
        }
    }
}
