import Hummingbird
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing
@testable import RotorServer

/// ``ConnectionGuard`` on an embedded channel, whose clock moves only when the test says.
@Suite("Connection guard")
struct ConnectionGuardTests {
    func channel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ConnectionGuard(readTimeout: .milliseconds(300)))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    static let post = HTTPRequest(method: .post, scheme: nil, authority: "rotor", path: "/v1/keys/verify")

    /// Hummingbird's idle timer restarts with every body part; this deadline runs from the head.
    @Test func aBodyTrickledPastTheReadTimeoutIsDropped() throws {
        let channel = try channel()
        try channel.writeInbound(HTTPRequestPart.head(Self.post))
        for _ in 0..<2 {
            channel.embeddedEventLoop.advanceTime(by: .milliseconds(140))
            try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: "x")))
            #expect(channel.isActive)
        }
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(30))
        #expect(!channel.isActive, "a trickled body kept the connection")
    }

    @Test func aCompleteRequestIsNotHurried() throws {
        let channel = try channel()
        try channel.writeInbound(HTTPRequestPart.head(Self.post))
        try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: "{}")))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        channel.embeddedEventLoop.advanceTime(by: .seconds(5))
        #expect(channel.isActive)
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        #expect(channel.isActive)
        _ = try channel.finish()
    }

    @Test func aResponseThatSaysCloseClosesTheConnectionOnceItIsOut() throws {
        let channel = try channel()
        try channel.writeInbound(HTTPRequestPart.head(Self.post))
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .contentTooLarge, headerFields: [.connection: "close"])))
        #expect(channel.isActive)
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        #expect(try channel.readOutbound(as: HTTPResponsePart.self) != nil, "the response was not written before the close")
        #expect(!channel.isActive)
    }
}
