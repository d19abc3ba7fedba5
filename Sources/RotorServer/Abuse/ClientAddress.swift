import NIOCore

/// The key failures are counted by: an IPv4 address, or the /64 network of an IPv6 address (one host
/// usually holds a whole /64 and could otherwise change address with every attempt).
struct ClientAddress: Hashable, Sendable, CustomStringConvertible {
    let description: String

    init(_ address: SocketAddress?) {
        switch address {
        case .v4?:
            description = address?.ipAddress ?? "unknown"
        case .v6(let v6)?:
            var raw = v6.address.sin6_addr
            let prefix = withUnsafeBytes(of: &raw) { Array($0.prefix(8)) }
            // An IPv4-mapped address (::ffff:a.b.c.d) is that IPv4 host, not a network.
            if prefix == [0, 0, 0, 0, 0, 0, 0, 0], let text = address?.ipAddress, text.hasPrefix("::ffff:") {
                description = String(text.dropFirst("::ffff:".count))
            } else {
                description = stride(from: 0, to: 8, by: 2)
                    .map { String(UInt16(prefix[$0]) << 8 | UInt16(prefix[$0 + 1]), radix: 16) }
                    .joined(separator: ":") + "::/64"
            }
        case .unixDomainSocket?:
            description = "local"
        case nil:
            description = "unknown"
        }
    }

    init(_ text: String) { description = text }
}
