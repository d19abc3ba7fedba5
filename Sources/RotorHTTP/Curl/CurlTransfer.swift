import CCurl

/// A transfer in flight on the loop thread: one easy handle, and the caller waiting for its outcome.
///
/// Not Sendable: created, driven, finished and cleaned up on the loop thread only. Each transfer
/// resumes its caller exactly once, through `finish(_:)` or `abandon(_:)`.
protocol CurlTransfer: AnyObject {
    /// The easy handle the multi handle drives.
    var easy: UnsafeMutableRawPointer { get }
    /// Reads the outcome of a transfer libcurl reports done with `code` and resumes the caller with it.
    func finish(_ code: CURLcode)
    /// Resumes the caller with `error` instead: the transfer was cancelled or never started.
    func abandon(_ error: any Error)
    /// Frees the easy handle and everything it points to, after it left the multi handle.
    func cleanUp()
}
