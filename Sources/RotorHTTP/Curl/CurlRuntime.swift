import CCurl

/// Process-wide libcurl set-up.
enum CurlRuntime {
    /// `curl_global_init` must run once, before any other thread uses libcurl. A Swift static is
    /// initialised exactly once, under a lock, on first use; every client touches it before it starts
    /// its thread.
    private static let globalInitResult: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    /// Runs `curl_global_init` if it has not run yet. Stops the process if libcurl cannot initialise,
    /// which only happens when it is out of memory or its TLS library is broken.
    static func initialize() {
        precondition(globalInitResult == CURLE_OK, "curl_global_init failed with CURLcode \(globalInitResult.rawValue)")
    }

    /// libcurl's version and TLS backend, such as "7.88.1 (OpenSSL/3.0.15)".
    static var versionDescription: String {
        initialize()
        // CURLVERSION_NOW is a macro Swift cannot import; the fields read here exist since the first age.
        guard let info = curl_version_info(CURLVERSION_FIRST)?.pointee, let version = info.version else {
            return "unknown"
        }
        let tls = info.ssl_version.map { String(cString: $0) } ?? "no TLS"
        return "\(String(cString: version)) (\(tls))"
    }
}
