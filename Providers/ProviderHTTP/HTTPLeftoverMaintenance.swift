import Foundation
import Logging
import RotorCore

/// The maintenance half of `leftovers:`: deletes vendor credentials named for a rotation that is over
/// (completed or rolled back) whose credential Rotor does not hold as pending, current or previous — what a
/// mint retried after a lost response left behind. Credentials of active or failed rotations (a failed one
/// may still be undone) and names of rotations this store does not know (another Rotor) are left alone.
public struct HTTPLeftoverMaintenance: MaintenanceTask {
    /// The secrets whose `http` source has `leftovers:`, with that source.
    let sources: [(secret: String, source: HTTPSource)]
    let store: any Store
    let logger: Logger

    public init(sources: [(secret: String, source: HTTPSource)], store: any Store, logger: Logger) {
        self.sources = sources.filter { $0.source.findsLeftovers }
        self.store = store
        self.logger = logger
    }

    public func tick(now: Date) async -> [TickItem] {
        var items: [TickItem] = []
        for (secret, source) in sources {
            do {
                items += try await sweep(secret: secret, source: source)
            } catch is CancellationError {
                return items
            } catch {
                items.append(TickItem(subject: secret, action: "error", message: "looking for leftover credentials: \(error)"))
            }
        }
        return items
    }

    private func sweep(secret: String, source: HTTPSource) async throws -> [TickItem] {
        let candidates = try await source.leftoverCredentials(secret: secret)
        guard !candidates.isEmpty else { return [] }
        let (over, kept) = try await store.transaction { tx in
            let over = Set(try tx.rotations(secretName: secret).filter { [.completed, .rolledBack].contains($0.state) }.map(\.id))
            let kept = Set(try tx.versions(secretName: secret)
                .filter { [.pending, .current, .previous].contains($0.label) }.compactMap(\.sourceHandle))
            return (over, kept)
        }
        var items: [TickItem] = []
        for credential in candidates where over.contains(credential.rotationID) && !kept.contains(credential.id) {
            try await source.deleteLeftover(credential, secret: secret)
            logger.notice("deleted a leftover credential at the vendor", metadata: [
                "secret": "\(secret)", "rotation": "\(credential.rotationID)", "id": "\(credential.id)",
            ])
            items.append(TickItem(subject: secret, rotationID: credential.rotationID, action: "leftover-deleted",
                                  message: "deleted \(credential.name) (\(credential.id)) at the vendor: a retried mint left it behind"))
        }
        return items
    }
}
