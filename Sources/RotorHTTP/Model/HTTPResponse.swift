import Foundation

/// A complete HTTP response. Any status, 4xx and 5xx included, is a response rather than an error.
public struct HTTPResponse: Sendable {
    /// The status code of the final response (after redirects, when they are followed).
    public var status: Int
    /// The headers of the final response, in the order received.
    public var headers: HTTPHeaders
    /// The response body, at most `HTTPRequest.maxResponseBytes` long.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body decoded as UTF-8, with invalid sequences replaced.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The body decoded from JSON.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(body))
    }
}
