/// The audit chain verification as the report shows it: filled in by whoever verifies the hash chain of the
/// audit log; a report without one says the log was not verified.
public struct ReportChainStatus: Sendable, Equatable {
    /// True when every row's hash follows from the previous row's hash and its own content.
    public var intact: Bool
    /// How many rows were checked.
    public var rows: Int
    /// The id of the first row whose hash does not match (an edit, deletion, insertion or reordering there).
    public var firstBadRow: Int64?
    /// The hash of the newest row: an auditor compares it with the one recorded elsewhere.
    public var headHash: String?

    public init(intact: Bool, rows: Int, firstBadRow: Int64? = nil, headHash: String? = nil) {
        self.intact = intact
        self.rows = rows
        self.firstBadRow = firstBadRow
        self.headHash = headHash
    }

    /// One sentence for the report.
    public static func summary(_ status: ReportChainStatus?) -> String {
        guard let status else { return "not verified (no audit chain in this store)" }
        if status.intact {
            return "intact: \(status.rows) rows verified" + (status.headHash.map { ", head hash \($0)" } ?? "")
        }
        return "BROKEN: \(status.rows) rows checked" + (status.firstBadRow.map { ", first bad row #\($0)" } ?? "")
    }
}
