/// A request handed from async code to the loop thread, with the continuation that receives its outcome.
struct CurlSubmission: Sendable {
    let id: UInt64
    let request: HTTPRequest
    let continuation: CheckedContinuation<HTTPResponse, any Error>
}
