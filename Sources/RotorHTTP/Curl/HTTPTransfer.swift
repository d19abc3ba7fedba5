import CCurl
import Foundation

/// One HTTP request's easy handle, the response collected so far, and the caller waiting for it.
///
/// Created, driven and cleaned up on the loop thread only; it is deliberately not Sendable. libcurl
/// delivers the body and header lines through the handle's callbacks, which call back into it.
final class HTTPTransfer: CurlTransfer {
    let handle: CurlEasyHandle
    let continuation: CheckedContinuation<HTTPResponse, any Error>
    private let request: HTTPRequest
    private var headers = HTTPHeaders()
    private var body: [UInt8] = []
    private var exceededLimit = false

    /// Creates the easy handle and applies every option; throws when an option is refused, in which
    /// case the caller has not been resumed.
    init(_ request: HTTPRequest, continuation: CheckedContinuation<HTTPResponse, any Error>) throws(HTTPClientError) {
        self.request = request
        self.continuation = continuation
        handle = try CurlEasyHandle(subject: request.subject, protocols: "http,https",
                                    overTLS: request.url.lowercased().hasPrefix("https:"),
                                    connectTimeout: request.connectTimeout, timeout: request.timeout)
        try configure()
    }

    func outcome(_ code: CURLcode) -> Result<HTTPResponse, HTTPClientError> {
        if exceededLimit || code == CURLE_FILESIZE_EXCEEDED {
            return .failure(HTTPClientError.responseTooLarge(limit: request.maxResponseBytes).about(request))
        }
        guard code == CURLE_OK else {
            return .failure(handle.classify(code).about(request, detail: handle.message(for: code)))
        }
        return .success(HTTPResponse(status: handle.long(CURLINFO_RESPONSE_CODE), headers: headers, body: body))
    }

    // MARK: - Options

    private func configure() throws(HTTPClientError) {
        try handle.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try handle.set(CURLOPT_FOLLOWLOCATION, request.followRedirects ? 1 : 0)
        try handle.set(CURLOPT_MAXREDIRS, 5)
        try configureMethodAndBody()
        try configureHeaders()
        try handle.route(.init(
            body: { [unowned self] in receiveBody($0) },
            line: { [unowned self] in receiveHeaderLine($0) }
        ))
    }

    private func configureMethodAndBody() throws(HTTPClientError) {
        switch request.method {
        case .GET:
            try handle.set(CURLOPT_HTTPGET, 1)
        case .HEAD:
            try handle.set(CURLOPT_NOBODY, 1)
        case .POST:
            try handle.set(CURLOPT_POST, 1)
        case .PUT, .PATCH, .DELETE, .OPTIONS:
            try handle.set(CURLOPT_CUSTOMREQUEST, request.method.rawValue)
        }
        // A PUT or PATCH without a body still says Content-Length: 0, which some servers insist on.
        let sendsBody = request.body != nil || [.POST, .PUT, .PATCH].contains(request.method)
        if sendsBody {
            let body = request.body ?? []
            if request.method == .GET { try handle.set(CURLOPT_CUSTOMREQUEST, "GET") }
            try handle.set(CURLOPT_POSTFIELDSIZE_LARGE, size: body.count)
            // COPYPOSTFIELDS copies the bytes now, so the transfer owns no buffer for the body.
            // Never NULL, even for an empty body: NULL would make libcurl read the body from stdin.
            let easy = self.easy
            try handle.check(body.withUnsafeBytes { bytes in
                let pointer = bytes.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start)
                return rotor_curl_easy_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: pointer))
            })
        }
        // Lets libcurl refuse an announced Content-Length up front; receiveBody enforces the limit on
        // bodies of unknown length (and on a limit of 0, which libcurl reads as "none"). Not for HEAD,
        // whose Content-Length describes a body that never comes.
        if request.method != .HEAD, request.maxResponseBytes > 0 {
            try handle.set(CURLOPT_MAXFILESIZE_LARGE, size: request.maxResponseBytes)
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
        try handle.set(CURLOPT_HTTPHEADER, lines: lines)
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

    private func receiveHeaderLine(_ line: String) {
        if line.hasPrefix("HTTP/") {
            // A new status line starts a new response (after a redirect or a 1xx); keep only the last.
            headers = HTTPHeaders()
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.add(name: name, value: value)
        }
    }
}
