import Foundation
import RotorApp
import RotorCore
import RotorCrypto
import RotorKeyTable
import RotorTestSupport
import Testing

/// The store backends a customer-key test runs on.
enum KeyBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

/// `count` applications (daemons) on one fresh database of `backend`, sharing a master key and a clock, with
/// playbooks read from their home directory; everything is removed afterwards.
func withKeyApps(_ backend: KeyBackend, count: Int = 1, playbook: String? = nil,
                 _ body: ([RotorApp], TestClock, String) async throws -> Void) async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-bulk-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    if let playbook { try playbook.write(toFile: "\(dir)/customer-api-keys.yml", atomically: true, encoding: .utf8) }
    var server: PostgresTestServer?
    var databaseName: String?
    var storeURL: String?
    if backend == .postgres {
        let required = try PostgresTestServer.required()
        let name = PostgresTestServer.uniqueDatabaseName(prefix: "rotor_bulk")
        storeURL = try await required.createDatabase(named: name)
        (server, databaseName) = (required, name)
    }
    try await withCleanup({ [server, databaseName] in
        try? FileManager.default.removeItem(atPath: dir)
        if let server, let databaseName { try? await server.dropDatabase(named: databaseName) }
    }) {
        let keyring = try MasterKeyring(current: MasterKey(bytes: SecureRandom.bytes(32)))
        let clock = TestClock(Date(timeIntervalSince1970: 1_767_574_800))
        var apps: [RotorApp] = []
        for index in 0..<count {
            apps.append(try await RotorApp.test(home: dir, storeURL: storeURL, clock: clock, label: "bulk-\(index)", keyring: keyring))
        }
        let opened = apps
        try await withCleanup({ for app in opened { await app.close() } }) {
            try await body(opened, clock, dir)
        }
    }
}

/// `count` active keys of org `org` created at `createdAt`, written straight to the store (a realistic table
/// without minting thousands of keys one by one). Their raw keys are unknown: they can be rotated, not presented.
func insertKeys(_ store: any Store, count: Int, org: String, createdAt: Date, idPrefix: String) async throws {
    try await store.transaction { tx in
        try tx.insertAPIKeys((0..<count).map { index in
            APIKeyRecord(id: "key_\(idPrefix)\(String(format: "%07d", index))",
                         keyHash: Array(SHA256.hash(Array("\(idPrefix)\(index)".utf8))), prefix: "rk_live_\(index % 1000)",
                         last4: "abcd", org: org, name: "k\(index)", scopes: ["read"], createdAt: createdAt)
        })
    }
}

/// Runs `body` with a fresh work counter bound; returns its result and the work the store did for it.
func measured<T>(_ body: () async throws -> T) async rethrows -> (T, WorkCounter) {
    let counter = WorkCounter()
    let result = try await WorkCounter.$current.withValue(counter) { try await body() }
    return (result, counter)
}
