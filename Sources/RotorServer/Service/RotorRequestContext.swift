import Hummingbird
import NIOCore

/// The request context of the service: Hummingbird's core context and the connection, whose peer
/// address the failure limit counts by. The address is the socket's, never a header's: a header is
/// whatever the client wants it to be.
public struct RotorRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    private let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The connected peer; nil when there is no socket (a router driven by tests). Read only when a
    /// request needs it, so that requests that never fail do not pay for it.
    public var remoteAddress: SocketAddress? { channel.remoteAddress }

    /// The address failures are counted against.
    var client: ClientAddress { ClientAddress(remoteAddress) }
}
