/// `server:` in `rotor.yml`: where `rotor serve` listens, how links in messages start, and where its
/// secrets come from.
public struct ServerConfig: Sendable, Equatable {
    /// The address used when `listen:` is not set.
    public static let defaultHost = "127.0.0.1"
    /// The port used when `listen:` is not set.
    public static let defaultPort = 8750

    /// The interface to listen on (`listen: "HOST:PORT"`), by default loopback only.
    public var host: String
    /// The port to listen on; `rotor serve --port N` overrides it.
    public var port: Int
    /// The externally reachable base URL, without a trailing slash, that reply links are built from;
    /// nil when unset (messages then carry reply codes and the CLI command, but no links).
    public var publicURL: String?
    /// The bearer token of the admin API (`POST /v1/secrets/{name}/emergency`), or nil to disable it.
    public var adminToken: CredentialReference?
    /// The HMAC key bridges sign `POST /v1/replies` with, or nil to disable text replies.
    public var replySecret: CredentialReference?

    /// Server settings; the defaults listen on 127.0.0.1:8750 with no links, admin API or replies.
    public init(host: String = defaultHost, port: Int = defaultPort, publicURL: String? = nil,
                adminToken: CredentialReference? = nil, replySecret: CredentialReference? = nil) {
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.adminToken = adminToken
        self.replySecret = replySecret
    }

    /// `HOST:PORT`, as written in `listen:` (IPv6 hosts in brackets).
    public var listen: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The host and port of `HOST:PORT` (IPv6 hosts in brackets, a port from 1 to 65535), read as `listen:` is;
    /// nil when it is not one. For `--listen` and ROTOR_LISTEN.
    public static func address(_ text: String) -> (host: String, port: Int)? {
        RotorConfigReader.hostAndPort(text).map { (host: $0.0, port: $0.1) }
    }
}
