import Foundation
import Logging
import RotorCore

/// The ``APIKeyChangeFeed`` of both backends: a connection of its own for reads (so following changes never
/// waits behind, or holds up, the store's writers) and, on PostgreSQL, a second one that only LISTENs.
final class SQLKeyChangeFeed: APIKeyChangeFeed {
    private let reader: ConnectionThread<any SQLConnection>
    private let listener: ConnectionThread<PostgresConnection>?

    private init(reader: ConnectionThread<any SQLConnection>, listener: ConnectionThread<PostgresConnection>?) {
        self.reader = reader
        self.listener = listener
    }

    deinit {
        reader.requestStop()
        listener?.requestStop()
    }

    static func open(url: StoreURL) async throws -> SQLKeyChangeFeed {
        switch url {
        case .sqlite(let path):
            let reader = try await ConnectionThread<any SQLConnection>.start(
                name: "rotor-keys-feed", open: { try SQLiteConnection(path: path) }, close: { $0.close() })
            return SQLKeyChangeFeed(reader: reader, listener: nil)
        case .postgres:
            let reader = try await ConnectionThread<any SQLConnection>.start(
                name: "rotor-keys-feed", open: { try PostgresConnection(url: url) }, close: { $0.close() })
            do {
                let listener = try await ConnectionThread<PostgresConnection>.start(
                    name: "rotor-keys-listen", open: { try Self.listening(url) }, close: { $0.close() })
                return SQLKeyChangeFeed(reader: reader, listener: listener)
            } catch {
                await reader.stop()
                throw error
            }
        }
    }

    private static func listening(_ url: StoreURL) throws -> PostgresConnection {
        let connection = try PostgresConnection(url: url)
        try connection.executeScript("LISTEN \(SQLTransaction.apiKeyChannel)")
        return connection
    }

    func changes(after sequence: Int64) async throws -> APIKeyChanges {
        try await reader.run { connection in
            try connection.ensureUsable()
            return try SQLTransaction.apiKeyChanges(on: connection, after: sequence)
        }
    }

    func waitForChange(timeout: Duration) async -> Bool {
        guard let listener else {
            try? await Task.sleep(for: timeout)
            return false
        }
        let announced = try? await listener.run { connection -> Bool in
            do {
                return try connection.waitForNotification(timeout: timeout)
            } catch {
                // The server went away: reconnect and listen again; the caller reads the changes anyway.
                try? connection.ensureUsable()
                try? connection.executeScript("LISTEN \(SQLTransaction.apiKeyChannel)")
                return false
            }
        }
        if announced == nil { try? await Task.sleep(for: timeout) }
        return announced ?? false
    }

    func close() async {
        await reader.stop()
        await listener?.stop()
    }
}

/// Opens a feed of the customer key table at `url`, for a server's in-memory key index (see ``APIKeyChangeFeed``).
/// The store must have been opened (and so migrated) first.
public func openAPIKeyChangeFeed(url: StoreURL) async throws -> any APIKeyChangeFeed {
    try await SQLKeyChangeFeed.open(url: url)
}
