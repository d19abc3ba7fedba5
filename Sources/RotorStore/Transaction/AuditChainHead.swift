import RotorCore

/// The newest row of the audit chain: the id the next row follows and the hash it links to.
struct AuditChainHead: Sendable, Equatable {
    var id: Int64
    var hash: String

    /// Before the first row.
    static let genesis = AuditChainHead(id: 0, hash: AuditChain.genesis)
}
