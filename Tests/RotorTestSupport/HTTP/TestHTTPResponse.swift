import Foundation

/// What the test server answers on a path. (Not `TestResponse`: HummingbirdTesting, which some suites import
/// next to this library, has a type of that name.)
public struct TestHTTPResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Waited before answering.
    public var delay: Duration
    /// Read the request, then keep the connection open without a word until the client closes it.
    public var neverAnswer: Bool
    /// Send no Content-Length and end the body by closing the connection, so the client cannot know
    /// the size in advance.
    public var omitContentLength: Bool

    public init(status: Int = 200, headers: [(String, String)] = [], body: [UInt8] = [], delay: Duration = .zero,
                neverAnswer: Bool = false, omitContentLength: Bool = false) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
        self.neverAnswer = neverAnswer
        self.omitContentLength = omitContentLength
    }

    /// `text` as the body, UTF-8.
    public static func text(_ text: String, status: Int = 200, headers: [(String, String)] = []) -> TestHTTPResponse {
        TestHTTPResponse(status: status, headers: headers, body: Array(text.utf8))
    }
}
