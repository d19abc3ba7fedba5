import NIOCore
import NIOHTTPTypes

/// Closes connections that hold the service up, or that it is done with. One per connection, in the
/// HTTP/1 pipeline behind Hummingbird's decoder.
///
/// - A request whose body is not complete within `readTimeout` of its head is dropped. Hummingbird's
///   idle timeout restarts on every body part, so a body trickled a byte at a time would outlive it.
/// - After a response that says `Connection: close` (an oversized body), the rest of the request is not
///   read: the output side is closed once the response is out, so the client reads all of it and sees
///   the end, and the connection is dropped if the client has not closed its side within `readTimeout`.
///   Closing both at once could make the kernel answer the unread body with a reset that destroys the response.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let readTimeout: TimeAmount
    private var requestDeadline: Scheduled<Void>?
    private var lingerDeadline: Scheduled<Void>?
    private var closeAfterResponse = false

    init(readTimeout: TimeAmount) {
        self.readTimeout = readTimeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            requestDeadline?.cancel()
            requestDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: readTimeout) {
                context.close(promise: nil)
            }
        case .end:
            requestDeadline?.cancel()
            requestDeadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            if head.headerFields[.connection]?.lowercased() == "close" { closeAfterResponse = true }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            guard closeAfterResponse else {
                context.write(data, promise: promise)
                return
            }
            requestDeadline?.cancel()
            requestDeadline = nil
            context.writeAndFlush(data, promise: promise)
            context.close(mode: .output, promise: nil)
            lingerDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: readTimeout) {
                context.close(promise: nil)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimers()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
    }

    private func cancelTimers() {
        requestDeadline?.cancel()
        requestDeadline = nil
        lingerDeadline?.cancel()
        lingerDeadline = nil
    }
}
