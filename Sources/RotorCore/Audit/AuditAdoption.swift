import Foundation

/// What `rotor audit adopt` did: which rows got a MAC under the chain key, and the head the hashes reach.
public struct AuditAdoption: Sendable, Equatable, Encodable {
    public var rowsAdopted: Int
    public var firstAdopted: Int64?
    public var lastAdopted: Int64?
    public var headID: Int64?
    public var headHash: String?

    public init(rowsAdopted: Int, firstAdopted: Int64?, lastAdopted: Int64?, headID: Int64?, headHash: String?) {
        self.rowsAdopted = rowsAdopted
        self.firstAdopted = firstAdopted
        self.lastAdopted = lastAdopted
        self.headID = headID
        self.headHash = headHash
    }
}
