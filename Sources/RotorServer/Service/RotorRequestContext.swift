import Hummingbird
import HummingbirdAuth
import NIOCore

/// The request context of the service: Hummingbird's core context and the connection, whose peer
/// address the failure limit counts by. The address is the socket's, never a header's: a header is
/// whatever the client wants it to be.
///
/// The dashboard's pages (`/ui`) keep a server-side session (``DashboardSession``), loaded by the session middleware.
public struct RotorRequestContext: RequestContext, RemoteAddressRequestContext, SessionRequestContext {
    public var coreContext: CoreRequestContextStorage
    private let channel: any Channel
    public let sessions: SessionContext<DashboardSession>

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
        sessions = SessionContext()
    }

    /// The connected peer; nil when there is no socket (a router driven by tests). Read only when a
    /// request needs it, so that requests that never fail do not pay for it.
    public var remoteAddress: SocketAddress? { channel.remoteAddress }

    /// The address failures are counted against.
    var client: ClientAddress { ClientAddress(remoteAddress) }
}
