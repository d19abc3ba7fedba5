import Foundation
import RotorCore
import RotorCrypto
@testable import RotorStore
import Testing

/// The store side of `rotor rekey`: key pickups and sealed settings move to the new key (versions are covered
/// end to end in RotorCLITests), wiped pickups are left alone, and the key ids in use follow.
@Suite("Rekey in the store")
struct RekeyStoreTests {
    @Test(arguments: TestBackend.all)
    func pickupsAndSettingsAreResealedUnderTheNewKey(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let old = MasterKey.random()
            let oldSealer = Sealer(keyring: MasterKeyring(current: old))
            let waiting = try oldSealer.seal(Array("rk_live_waiting".utf8), context: SealingContext.pickup(id: "p-waiting"))
            try await store.transaction { tx in
                try tx.insertPickup(KeyPickupRecord(id: "p-waiting", newKeyID: "k2", oldKeyID: "k1", sealedKey: waiting.box,
                                                    masterKeyID: old.id, createdAt: t(0), expiresAt: t(day)))
                try tx.insertPickup(KeyPickupRecord(id: "p-claimed", newKeyID: "k4", oldKeyID: "k3", sealedKey: [],
                                                    masterKeyID: old.id, createdAt: t(0), expiresAt: t(day), claimedAt: t(1)))
            }
            let check = try await SealedSetting.loadOrCreate(SealedSetting.keyCheck, store: store, sealer: oldSealer)
            #expect(try await MasterKeyCoverage.keyIDsInUse(store: store) == [old.id])

            let new = MasterKey.random()
            let ring = MasterKeyring(current: new, others: [old])
            let report = try await RekeyService(store: store, sealer: Sealer(keyring: ring), batchSize: 1).run()
            #expect(report.pickups == 1 && report.settings == 1 && report.versions == 0)

            let newOnly = Sealer(keyring: MasterKeyring(current: new))
            #expect(try await MasterKeyCoverage.keyIDsInUse(store: store) == [new.id])
            let pickup = try #require(try await store.transaction { try $0.pickup(oldKeyID: "k1") })
            #expect(pickup.masterKeyID == new.id)
            #expect(try newOnly.open(SealedValue(keyID: pickup.masterKeyID, box: pickup.sealedKey),
                                     context: SealingContext.pickup(id: "p-waiting")) == Array("rk_live_waiting".utf8))
            #expect(try await SealedSetting.loadOrCreate(SealedSetting.keyCheck, store: store, sealer: newOnly) == check)
            let coverage = try await MasterKeyCoverage.check(store: store, keyring: MasterKeyring(current: old))
            #expect(coverage.missing == [new.id] && coverage.problem != nil, "the old key alone no longer opens the store")

            let again = try await RekeyService(store: store, sealer: Sealer(keyring: ring), batchSize: 1).run()
            #expect(again.total == 0, "nothing left to re-seal")
        }
    }
}
