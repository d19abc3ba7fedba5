import CCurl

/// A transfer in flight on the loop thread: one easy handle, and the caller waiting for its outcome.
///
/// Not Sendable: created, driven, finished and cleaned up on the loop thread only. A conforming type
/// configures its handle and reads the outcome; finishing, abandoning and cleaning up are the same for
/// every protocol and live in the extension. Each transfer resumes its caller exactly once, through
/// `finish(_:)` or `abandon(_:)`, and the loop keeps it alive until the handle is cleaned up.
protocol CurlTransfer: AnyObject {
    /// What the caller gets when the transfer succeeds.
    associatedtype Output: Sendable
    /// The easy handle, which owns every list, buffer and callback its options point to.
    var handle: CurlEasyHandle { get }
    /// The caller waiting for the outcome.
    var continuation: CheckedContinuation<Output, any Error> { get }
    /// What a transfer libcurl reports done with `code` produced; the handle can still be read.
    func outcome(_ code: CURLcode) -> Result<Output, HTTPClientError>
}

extension CurlTransfer {
    /// The easy handle the multi handle drives.
    var easy: UnsafeMutableRawPointer { handle.pointer }

    /// Reads the outcome of a transfer libcurl reports done with `code` and resumes the caller with it.
    func finish(_ code: CURLcode) {
        continuation.resume(with: outcome(code).mapError { $0 })
    }

    /// Resumes the caller with `error` instead: the transfer was cancelled or never started.
    func abandon(_ error: any Error) {
        continuation.resume(throwing: error)
    }

    /// Frees the easy handle and everything it points to, after it left the multi handle.
    func cleanUp() {
        handle.cleanUp()
    }
}
