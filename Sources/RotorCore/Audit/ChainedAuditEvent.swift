/// An audit row with its place in the tamper-evident chain: what an export carries and what verification reads.
public struct ChainedAuditEvent: Sendable, Equatable {
    /// The row; its `id` is its position in the chain.
    public var event: AuditEvent
    /// Hex SHA-256 of the previous row (``AuditChain/genesis`` for the first); nil on a row outside the chain.
    public var prevHash: String?
    /// Hex SHA-256 over `prevHash` and the row's canonical content (``AuditChain/content(of:)``).
    public var hash: String?
    /// Hex HMAC-SHA256 of `hash` under the chain key; nil when written without the key.
    public var mac: String?

    public init(event: AuditEvent, prevHash: String? = nil, hash: String? = nil, mac: String? = nil) {
        self.event = event
        self.prevHash = prevHash
        self.hash = hash
        self.mac = mac
    }
}
