import Foundation
import RotorHTTP

/// A request as the test server received it.
public struct RecordedRequest: Sendable {
    public var method: String
    /// The request target as sent: path and query.
    public var target: String
    public var headers: HTTPHeaders
    public var body: [UInt8]
    public var receivedAt: ContinuousClock.Instant
    /// Which accepted connection carried the request, counting from 1.
    public var connection: Int

    public init(method: String, target: String, headers: HTTPHeaders, body: [UInt8],
                receivedAt: ContinuousClock.Instant, connection: Int = 0) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.receivedAt = receivedAt
        self.connection = connection
    }
}
