import Foundation
import Hummingbird
import RotorCrypto
@testable import RotorServer
@testable import RotorStore
import RotorTestSupport
import Testing

/// ``StorePersistDriver`` keeps Hummingbird's `PersistDriver` contract on the store, by the service's clock: on
/// SQLite and PostgreSQL.
@Suite("Store persist driver", .serialized)
struct StorePersistDriverTests {
    typealias Backend = DashboardWorld.Backend

    @Test(arguments: Backend.allCases)
    func createSetGetAndRemoveKeepThePersistDriverContractByTheServicesClock(_ backend: Backend) async throws {
        let daemons = try await DashboardDaemons.make(backend)
        let daemon = try await daemons.open()
        let driver = daemon.service.sessions
        try await driver.create(key: "hbs.one", value: "first", expires: .seconds(60))
        await #expect(throws: PersistError.duplicate) { try await driver.create(key: "hbs.one", value: "again", expires: .seconds(60)) }
        #expect(try await driver.get(key: "hbs.one", as: String.self) == "first")
        try await driver.set(key: "hbs.one", value: "second", expires: nil)
        daemons.clock.advance(by: 59)
        #expect(try await driver.get(key: "hbs.one", as: String.self) == "second", "set without expiry keeps the old one")
        daemons.clock.advance(by: 2)
        #expect(try await driver.get(key: "hbs.one", as: String.self) == nil, "expired by the service's clock")
        try await driver.create(key: "hbs.one", value: "third", expires: .seconds(60))
        #expect(try await driver.get(key: "hbs.one", as: String.self) == "third", "an expired key can be created again")
        await #expect(throws: PersistError.invalidConversion) { _ = try await driver.get(key: "hbs.one", as: [Int].self) }
        try await driver.remove(key: "hbs.one")
        #expect(try await driver.get(key: "hbs.one", as: String.self) == nil)

        try await driver.set(key: "hbs.forever", value: "kept", expires: nil)
        daemons.clock.advance(by: 365 * 86400)
        #expect(try await driver.get(key: "hbs.forever", as: String.self) == "kept")
        await daemon.app.close()
        await daemons.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func aWritePrunesABoundedBatchOfExpiredRows(_ backend: Backend) async throws {
        let daemons = try await DashboardDaemons.make(backend)
        let daemon = try await daemons.open()
        let driver = daemon.service.sessions
        let expired = StorePersistDriver.pruneBatch + 5
        for index in 0..<expired { try await driver.set(key: "hbs.old-\(index)", value: index, expires: .seconds(60)) }
        daemons.clock.advance(by: 61)
        try await driver.set(key: "hbs.new", value: 0, expires: .seconds(60))
        #expect(try await count(daemons) == 5 + 1, "one write deletes at most \(StorePersistDriver.pruneBatch) expired rows")
        try await driver.create(key: "hbs.newer", value: 0, expires: .seconds(60))
        #expect(try await count(daemons) == 2)
        await daemon.app.close()
        await daemons.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func aRowSealedUnderAnotherMasterKeyIsAbsentAndLoggedWithoutItsValue(_ backend: Backend) async throws {
        let daemons = try await DashboardDaemons.make(backend)
        let first = try await daemons.open()
        try await first.service.sessions.set(key: "hbs.shared", value: "canary-value-Zq8", expires: .seconds(60))
        let stranger = StorePersistDriver(store: first.app.store, sealer: Sealer(keyring: MasterKeyring(current: MasterKey.random())),
                                          clock: daemons.clock, logger: first.service.dependencies.logger)
        #expect(try await stranger.get(key: "hbs.shared", as: String.self) == nil)
        #expect(try await first.service.sessions.get(key: "hbs.shared", as: String.self) == "canary-value-Zq8")
        #expect(daemons.logs.all.contains { $0.contains("does not open") && !$0.contains("canary-value-Zq8") })
        await first.app.close()
        await daemons.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func ofTwoDaemonsCreatingOneKeyAtOnceExactlyOneSucceeds(_ backend: Backend) async throws {
        let daemons = try await DashboardDaemons.make(backend)
        let a = try await daemons.open()
        let b = try await daemons.open()
        for round in 0..<20 {
            let key = "hbs.race-\(round)"
            async let first = Self.created(a.service.sessions, key: key, value: "a")
            async let second = Self.created(b.service.sessions, key: key, value: "b")
            let outcomes = try await [first, second]
            #expect(outcomes.filter { $0 }.count == 1, "round \(round): \(outcomes)")
            let stored = try await a.service.sessions.get(key: key, as: String.self)
            #expect(stored == (outcomes[0] ? "a" : "b"))
        }
        await a.app.close()
        await b.app.close()
        await daemons.cleanup()
    }

    /// Whether `create` stored the value (false: it was refused as a duplicate).
    private static func created(_ driver: StorePersistDriver, key: String, value: String) async throws -> Bool {
        do {
            try await driver.create(key: key, value: value, expires: .seconds(60))
            return true
        } catch let error as PersistError where error == .duplicate {
            return false
        }
    }

    private func count(_ daemons: DashboardDaemons) async throws -> Int {
        try await daemons.sql("SELECT COUNT(*) AS n FROM dashboard_sessions").first?.int("n") ?? -1
    }
}
