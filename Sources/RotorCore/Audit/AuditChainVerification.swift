import Foundation

/// What ``AuditChainVerifier`` found: whether the audit chain is intact, and if not, the first row that is not
/// what the chain says it should be. The compliance report and the dashboard show it as it is.
public struct AuditChainVerification: Sendable, Equatable {
    /// The first row that fails, and why.
    public struct BadRow: Sendable, Equatable {
        /// The row's id; nil when the problem is not one row's (a line of a file that is not a row).
        public var id: Int64?
        /// The row's time, as stored (an edited row shows the edited time).
        public var at: Date?
        /// What is wrong, in words: edited, deleted before it, no MAC, ….
        public var problem: String

        public init(id: Int64?, at: Date?, problem: String) {
            self.id = id
            self.at = at
            self.problem = problem
        }
    }

    /// Rows checked, up to and including the first bad one.
    public var rowsChecked: Int
    /// Whether each row's MAC was checked with the chain key (false offline, or for a Rotor without the key).
    public var keyed: Bool
    /// The last row checked that was good: its id and hash. An auditor compares the hash with one Rotor printed.
    public var headID: Int64?
    public var headHash: String?
    /// The first bad row; nil when the chain is intact.
    public var firstBad: BadRow?

    public var intact: Bool { firstBad == nil }

    public init(rowsChecked: Int, keyed: Bool, headID: Int64?, headHash: String?, firstBad: BadRow?) {
        self.rowsChecked = rowsChecked
        self.keyed = keyed
        self.headID = headID
        self.headHash = headHash
        self.firstBad = firstBad
    }
}
