/// Work handed from async code to the loop thread.
///
/// Until `start` has returned a transfer, the loop answers the caller through `fail`; afterwards the
/// transfer owns the caller's continuation and answers it itself.
struct CurlSubmission: Sendable {
    let id: UInt64
    /// What errors the loop raises about this work name.
    let subject: TransferSubject
    /// Builds the easy handle and sets every option, on the loop thread.
    let start: @Sendable () throws -> any CurlTransfer
    /// Resumes the caller with `error`: the work was refused, cancelled or abandoned before it started.
    let fail: @Sendable (any Error) -> Void
}
