import Foundation
import RotorCore

extension KeyTable {
    /// Revoked keys deleted per transaction.
    static let retentionBatch = 1_000

    /// Deletes the keys revoked more than `policy.retention` before `now` (none without a retention), a batch per
    /// transaction through an index on the revocation time (a pass costs what is due). Their audit rows stay: the
    /// history of a key outlives the key. Returns how many were deleted.
    func deleteExpiredRevokedKeys(now: Date) async throws -> Int {
        guard let retention = policy.retention else { return 0 }
        let cutoff = now.addingTimeInterval(-retention.timeInterval)
        var deleted = 0
        while true {
            let batch = try await store.transaction { try $0.deleteAPIKeys(revokedBefore: cutoff, limit: Self.retentionBatch) }
            deleted += batch
            if batch < Self.retentionBatch { return deleted }
        }
    }
}
