import CCurl

extension CurlEasyHandle {
    /// Where libcurl's data callbacks deliver for this handle's transfer. Called on the loop thread only.
    struct Callbacks {
        /// Takes the next chunk of the response body and returns how much it took; less than offered makes
        /// libcurl abort with CURLE_WRITE_ERROR. nil: the body is discarded.
        var body: ((UnsafeRawBufferPointer) -> Int)?
        /// Takes one header line (HTTP) or server reply line (SMTP), without its line end.
        var line: ((String) -> Void)?
        /// Copies the next part of the upload into the buffer and returns the count; 0 ends the upload.
        /// nil: nothing is uploaded.
        var upload: ((UnsafeMutableRawBufferPointer) -> Int)?
    }

    /// Routes libcurl's write, header and (with an upload) read callbacks to `callbacks`.
    ///
    /// The C callbacks are capture-free, as libcurl needs: they recover this handle from the `Unmanaged`
    /// pointer passed as their data option, the pattern of swift-corelibs-foundation's EasyHandle. The
    /// closures in `callbacks` belong to the transfer that owns this handle and must not retain it.
    func route(_ callbacks: Callbacks) throws(HTTPClientError) {
        self.callbacks = callbacks
        let context = Unmanaged.passUnretained(self).toOpaque()
        try set(CURLOPT_WRITEDATA, context)
        try set(CURLOPT_HEADERDATA, context)
        // Set even when the body is discarded: without a write callback libcurl prints it to stdout.
        try check(rotor_curl_easy_setopt_write_callback(pointer, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            guard let context else { return 0 }
            let handle = Unmanaged<CurlEasyHandle>.fromOpaque(context).takeUnretainedValue()
            guard let body = handle.callbacks.body else { return size * count }
            guard let data else { return 0 }
            return body(UnsafeRawBufferPointer(start: data, count: size * count))
        })
        try check(rotor_curl_easy_setopt_write_callback(pointer, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            let handle = Unmanaged<CurlEasyHandle>.fromOpaque(context).takeUnretainedValue()
            handle.callbacks.line?(CurlLine.text(UnsafeRawBufferPointer(start: data, count: size * count)))
            return size * count
        })
        guard callbacks.upload != nil else { return }
        try set(CURLOPT_READDATA, context)
        try check(rotor_curl_easy_setopt_read_callback(pointer, CURLOPT_READFUNCTION) { buffer, size, count, context in
            guard let buffer, let context else { return 0 }
            let handle = Unmanaged<CurlEasyHandle>.fromOpaque(context).takeUnretainedValue()
            return handle.callbacks.upload?(UnsafeMutableRawBufferPointer(start: buffer, count: size * count)) ?? 0
        })
    }
}
