import RotorCrypto

/// Re-seals every stored value under the current master key: secret versions, key pickups and sealed
/// settings, in batches of `batchSize`, each batch one transaction. A batch either commits whole or not at all,
/// and a value is picked only while it is sealed under another key, so running it again after a crash (at any
/// point) carries on where the last committed batch stopped.
public struct RekeyService: Sendable {
    /// How many values were re-sealed, by kind.
    public struct Report: Sendable, Equatable {
        public var versions = 0
        public var pickups = 0
        public var settings = 0
        public var batches = 0
        public var total: Int { versions + pickups + settings }
    }

    let store: any Store
    let sealer: Sealer
    let batchSize: Int
    let afterBatch: @Sendable (Int) -> Void

    /// A rekey into `sealer.keyring.current`; any key of the ring opens the old values. `afterBatch` is called
    /// with the number of batches committed so far, after each commit (``RekeyFault``).
    public init(store: any Store, sealer: Sealer, batchSize: Int = 100, afterBatch: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.store = store
        self.sealer = sealer
        self.batchSize = max(1, batchSize)
        self.afterBatch = afterBatch
    }

    /// Re-seals until no value is sealed under another key.
    public func run() async throws -> Report {
        var report = Report()
        let (sealer, limit, current) = (sealer, batchSize, sealer.keyring.current.id)
        while true {
            let count = try await store.transaction { tx -> Int in
                let versions = try tx.versions(sealedNotUnder: current, limit: limit)
                for var version in versions {
                    let context = SealingContext.version(secret: version.secretName, versionID: version.id)
                    let sealed = try sealer.seal(try sealer.open(SealedValue(keyID: version.masterKeyID, box: version.sealedValue),
                                                                 context: context), context: context)
                    version.sealedValue = sealed.box
                    version.masterKeyID = sealed.keyID
                    try tx.updateVersion(version)
                }
                return versions.count
            }
            guard count > 0 else { break }
            report.versions += count
            committed(&report)
        }
        while true {
            let count = try await store.transaction { tx -> Int in
                let pickups = try tx.pickups(sealedNotUnder: current, limit: limit)
                for pickup in pickups {
                    let context = SealingContext.pickup(id: pickup.id)
                    let sealed = try sealer.seal(try sealer.open(SealedValue(keyID: pickup.masterKeyID, box: pickup.sealedKey),
                                                                 context: context), context: context)
                    try tx.resealPickup(id: pickup.id, sealedKey: sealed.box, masterKeyID: sealed.keyID)
                }
                return pickups.count
            }
            guard count > 0 else { break }
            report.pickups += count
            committed(&report)
        }
        let settings = try await store.transaction { tx -> Int in
            var count = 0
            for key in SealedSetting.sealedKeys {
                guard let bytes = try tx.setting(key), let resealed = try SealedSetting.resealed(key, bytes, sealer: sealer) else { continue }
                try tx.setSetting(key, resealed)
                count += 1
            }
            return count
        }
        if settings > 0 {
            report.settings = settings
            committed(&report)
        }
        return report
    }

    private func committed(_ report: inout Report) {
        report.batches += 1
        afterBatch(report.batches)
    }
}
