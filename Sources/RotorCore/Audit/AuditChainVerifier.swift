import RotorCrypto

/// Checks audit rows against the chain, one at a time in id order, and stops at the first bad one. Pure: the store
/// feeds it pages of rows, `rotor audit verify --file` the rows of an export.
public struct AuditChainVerifier {
    private let key: HMACSHA256Key?
    private var previous: (id: Int64, hash: String)?
    private var checked = 0
    private var bad: AuditChainVerification.BadRow?

    /// A verifier that also checks MACs when given the chain key.
    public init(key: HMACSHA256Key?) {
        self.key = key
    }

    /// Whether the rows so far are good; once false, later rows are ignored.
    public var isIntact: Bool { bad == nil }

    /// Checks the next row (the rows must come in increasing id order). Returns false at the first bad row.
    @discardableResult
    public mutating func check(_ row: ChainedAuditEvent) -> Bool {
        guard bad == nil else { return false }
        checked += 1
        if let problem = problem(row) {
            bad = AuditChainVerification.BadRow(id: row.event.id, at: row.event.at, problem: problem)
            return false
        }
        previous = (row.event.id ?? 0, row.hash ?? "")
        return true
    }

    /// Records a problem that is not a row's (a line of a file that cannot be read, a chain head that disagrees).
    public mutating func fail(id: Int64?, problem: String) {
        guard bad == nil else { return }
        bad = AuditChainVerification.BadRow(id: id, at: nil, problem: problem)
    }

    /// What was found. The head is the last good row.
    public var result: AuditChainVerification {
        AuditChainVerification(rowsChecked: checked, keyed: key != nil, headID: previous?.id, headHash: previous?.hash,
                               firstBad: bad)
    }

    /// The last good row's id and hash.
    public var head: (id: Int64, hash: String)? { previous }

    private func problem(_ row: ChainedAuditEvent) -> String? {
        guard let id = row.event.id, let prevHash = row.prevHash, let hash = row.hash else {
            return "it has no place in the chain (no hash): it was inserted outside Rotor"
        }
        let expected = previous?.hash ?? AuditChain.genesis
        guard let computed = AuditChain.hash(prevHash: prevHash, content: AuditChain.content(of: row.event)),
              ConstantTime.equals(Array(computed.utf8), Array(hash.lowercased().utf8)) else {
            return "its content does not match its hash: the row was edited, or moved from another place"
        }
        guard prevHash.lowercased() == expected else {
            let after = previous.map { "row \($0.id)" } ?? "the start of the log"
            return "it does not follow \(after): a row between them was deleted or inserted, or rows were reordered"
        }
        if let key {
            guard let mac = row.mac else {
                return "it has no MAC: it was written or rebuilt without the chain key"
            }
            guard ConstantTime.equals(Array(AuditChain.mac(hash: hash.lowercased(), key: key).utf8), Array(mac.lowercased().utf8)) else {
                return "its MAC does not match: the row was rewritten by someone without the chain key"
            }
        }
        if let previous, id <= previous.id {
            return "its id is not after row \(previous.id): rows were reordered"
        }
        return nil
    }
}
